/// What opening the pool journal found and did; the node logs it (loudly when the file was damaged).
public struct TxPoolJournalRecovery: Hashable, Sendable, CustomStringConvertible {
    /// The format the journal was read in.
    public enum Format: String, Hashable, Sendable {
        /// No journal yet (or an empty file).
        case none
        /// The current format, `AZTXPJ02`.
        case current
        /// The previous format, `AZTXPJ01`: migrated to the current one.
        case legacy
        /// The header was damaged: records were looked for after it.
        case unrecognized
    }

    /// The format the journal was read in.
    public var format: Format
    /// Intact records read (a transaction added or removed, or a block).
    public var recordsRestored: Int
    /// Transactions in the restored pool.
    public var transactions: Int
    /// Damaged stretches skipped (each may have held several records).
    public var damagedRegions: Int
    /// Bytes in the damaged stretches skipped.
    public var damagedBytes: Int
    /// An unfinished last record, cut off: a write interrupted by a crash, never acknowledged.
    public var tornTailBytes: Int
    /// Where the damaged file is kept (`<journal>.damaged-<UTC time>`), when it was damaged.
    public var damagedCopyPath: String?
    /// Why the journal could not be rewritten at open (e.g. a full disk): the old file is appended
    /// to as it is, or, if it cannot be, submissions are refused until a rewrite succeeds.
    public var rewriteError: TxPoolJournal.JournalError?

    /// Damage was found (not counting a torn last record).
    public var isDamaged: Bool { damagedRegions > 0 || format == .unrecognized }

    /// A one-line summary for the node's log: what was restored, skipped, cut off and kept aside.
    public var description: String {
        var text: String
        switch format {
        case .none: text = "no transaction pool journal yet"
        case .current: text = "restored \(transactions) transactions from \(recordsRestored) journal records"
        case .legacy: text = "migrated the AZTXPJ01 journal: \(transactions) transactions from \(recordsRestored) records"
        case .unrecognized: text = "the journal's header is damaged: \(transactions) transactions from \(recordsRestored) records found after it"
        }
        if damagedRegions > 0 { text += "; skipped \(damagedRegions) damaged regions (\(damagedBytes) bytes)" }
        if tornTailBytes > 0 { text += "; cut off an unfinished last record (\(tornTailBytes) bytes)" }
        if let damagedCopyPath { text += "; the damaged file is kept at \(damagedCopyPath)" }
        if let rewriteError { text += "; cannot rewrite it (\(rewriteError))" }
        return text
    }
}

/// What the pool journal reports as it works (the node logs these).
public enum TxPoolJournalEvent: Hashable, Sendable, CustomStringConvertible {
    /// The journal was opened: what was restored, skipped and kept.
    case opened(TxPoolJournalRecovery)
    /// Records could not be written (their submitters were answered with an error).
    case writeFailed(TxPoolJournal.JournalError)
    /// A compaction failed: the old file is kept and still appended to.
    case compactionFailed(TxPoolJournal.JournalError)
    /// A damaged journal that could not be kept aside at open was kept aside by a later compaction.
    case damagedFileKeptAside(path: String)

    /// A one-line message for the node's log.
    public var description: String {
        switch self {
        case .opened(let recovery): "\(recovery)"
        case .writeFailed(let error): "transaction pool journal write failed: \(error)"
        case .compactionFailed(let error): "transaction pool journal compaction failed, the old file is kept: \(error)"
        case .damagedFileKeptAside(let path): "the damaged transaction pool journal is kept at \(path)"
        }
    }
}
