#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

extension TxPoolJournal {
    /// Opens (or creates) the journal at `path` and rebuilds the pool it describes under `config`
    /// and `limits` (records that no longer fit are dropped), then rewrites the file as a snapshot.
    ///
    /// A damaged journal is restored as far as its intact records go and kept aside; an old
    /// `AZTXPJ01` journal is migrated; if the rewrite fails for want of space, the old file is
    /// appended to (see ``TxPoolJournalRecovery/rewriteError``). What was found is reported to
    /// `events` as ``TxPoolJournalEvent/opened(_:)`` and kept in ``recovery``.
    /// - Throws: ``JournalError/unreadable(path:errno:)`` or ``JournalError/notARegularFile(path:type:)``
    ///   rather than start with an empty pool; ``JournalError/cannotWrite(path:errno:)`` when the
    ///   journal cannot be written for another reason than space (e.g. permissions).
    /// - Returns: the journal and the restored pool.
    public static func open(path: String, pool config: TxPoolConfig, limits: TxLimits,
                            events: (@Sendable (TxPoolJournalEvent) -> Void)? = nil) throws(JournalError) -> (TxPoolJournal, TxPool) {
        try open(path: path, pool: config, limits: limits, fileSystem: PosixJournalFileSystem(),
                 threadPool: .singleton, events: events)
    }

    static func open(path: String, pool config: TxPoolConfig, limits: TxLimits, fileSystem: any JournalFileSystem,
                     threadPool: NIOThreadPool, events: (@Sendable (TxPoolJournalEvent) -> Void)?)
        throws(JournalError) -> (TxPoolJournal, TxPool) {
        let restored = try restore(path: path, config: config, limits: limits, fileSystem: fileSystem)
        var recovery = restored.recovery
        var file = JournalFile(path: path, fileSystem: fileSystem,
                               damagedCopyPath: recovery.isDamaged ? "\(path).damaged-\(utcTimestamp())" : nil)
        switch file.rewrite(as: restored.scan.pool) {
        case .success(let keptAt):
            recovery.damagedCopyPath = keptAt
        case .failure(let error):
            guard error.isOutOfSpace else { throw error }
            recovery.rewriteError = error
            try appendToExisting(&file, restored, recovery: &recovery)
        }
        let journal = TxPoolJournal(file: file, recovery: recovery, threadPool: threadPool, events: events)
        events?(.opened(recovery))
        return (journal, restored.scan.pool)
    }

    /// Without space for a rewrite: keeps a damaged file aside by a hard link (no space needed)
    /// and appends to the journal as it is, its torn last record cut off; an old-format or
    /// unreadable-header journal is left untouched and nothing is appended until a rewrite succeeds.
    private static func appendToExisting(_ file: inout JournalFile, _ restored: Restored,
                                         recovery: inout TxPoolJournalRecovery) throws(JournalError) {
        if recovery.isDamaged, case .success(let keptAt) = file.keepDamagedCopy(allowCopy: false) {
            recovery.damagedCopyPath = keptAt
        }
        guard let marker = restored.marker else { return }
        let fd: Int32
        switch file.fileSystem.openForAppending(file.path, create: false) {
        case .success(let opened): fd = opened
        case .failure(let error): throw .cannotWrite(path: file.path, errno: error.code)
        }
        var size = restored.scan.fileLength
        if restored.scan.tornTailBytes > 0, !recovery.isDamaged {
            // Truncating frees space; the torn record was never acknowledged.
            if case .success = file.fileSystem.truncate(fd, to: size - restored.scan.tornTailBytes) {
                size -= restored.scan.tornTailBytes
            }
        }
        file.adopt(fd, size: size, marker: marker)
    }

    /// A replayed file: the pool, the recovery report, and the marker to append with (none for
    /// an old-format file or one whose marker is unknown).
    struct Restored {
        var scan: JournalScan
        var recovery: TxPoolJournalRecovery
        var marker: [UInt8]?
    }

    static func restore(path: String, config: TxPoolConfig, limits: TxLimits,
                        fileSystem: any JournalFileSystem) throws(JournalError) -> Restored {
        let empty = Restored(scan: JournalScan(pool: TxPool(config: config)),
                             recovery: recovery(.none, JournalScan(pool: TxPool(config: config))), marker: nil)
        switch fileSystem.type(atPath: path) {
        case .failure(let error): throw .unreadable(path: path, errno: error.code)
        case .success(nil): return empty
        case .success(.regular?): break
        case .success(let type?): throw .notARegularFile(path: path, type: type.rawValue)
        }
        let fd: Int32
        switch fileSystem.openForReading(path) {
        case .success(let opened): fd = opened
        case .failure(let error):
            // Replaced by something else since the lstat (EINVAL: not regular; ELOOP: a link).
            if case .success(let type?) = fileSystem.type(atPath: path), type != .regular {
                throw .notARegularFile(path: path, type: type.rawValue)
            }
            throw .unreadable(path: path, errno: error.code)
        }
        defer { fileSystem.close(fd) }
        do {
            return try scanFile(config: config, limits: limits) { buffer, offset in
                fileSystem.read(fd, into: buffer, at: offset)
            } ?? empty
        } catch {
            throw .unreadable(path: path, errno: error.code)
        }
    }

    /// Replays a journal read through `read`, trying each plausible framing when the header or the
    /// first record is damaged and keeping the one that restores most.
    /// - Returns: `nil` for an empty file.
    static func scanFile(config: TxPoolConfig, limits: TxLimits,
                         read: @escaping JournalReadWindow.Read) throws(SystemErrno) -> Restored? {
        typealias Format = TxPoolJournalFormat
        let scanner = TxPoolJournalScanner(limits: limits)
        var window = JournalReadWindow(read: read)
        guard try window.load(0, 1) else { return nil }
        guard try window.load(0, Format.headerSize) else {
            // Shorter than a header: nothing to restore, all of it damaged.
            var scan = JournalScan(pool: TxPool(config: config))
            scan.fileLength = try window.skipToEnd()
            scan.damagedRegions = 1
            scan.damagedBytes = scan.fileLength
            return Restored(scan: scan, recovery: recovery(.unrecognized, scan), marker: nil)
        }
        if window.matches(Format.legacyMagic, at: 0) {
            var scan = JournalScan(pool: TxPool(config: config))
            try scanner.scanLegacy(&window, from: Format.legacyMagic.count, into: &scan)
            return Restored(scan: scan, recovery: recovery(.legacy, scan), marker: nil)
        }
        let magicIntact = window.matches(Format.magic, at: 0)
        // The header's marker, and the first record's (which is the same unless one is damaged).
        var markers = [Array(window.bytes(Format.magic.count, Format.markerSize))]
        if try window.load(Format.headerSize, Format.markerSize) {
            let first = Array(window.bytes(Format.headerSize, Format.markerSize))
            if !markers.contains(first) { markers.append(first) }
        }
        func scanned(_ marker: [UInt8]?) throws(SystemErrno) -> JournalScan {
            var scan = JournalScan(pool: TxPool(config: config))
            var fresh = JournalReadWindow(read: read)
            if let marker {
                try scanner.scan(&fresh, marker: marker, from: Format.headerSize, into: &scan)
            } else {
                try scanner.scanLegacy(&fresh, from: Format.legacyMagic.count, into: &scan)
            }
            return scan
        }
        var best = (scan: try scanned(markers[0]), marker: Optional(markers[0]))
        // Other framings, unless the header is intact and so is everything after it.
        var others: [[UInt8]?] = markers.dropFirst().map { $0 }
        if !magicIntact { others.append(nil) }  // perhaps an old-format journal whose magic is damaged
        if !magicIntact || best.scan.isDamaged {
            for marker in others {
                let candidate = try scanned(marker)
                if candidate.isBetter(than: best.scan) { best = (candidate, marker) }
            }
        }
        let intact = magicIntact && best.marker == markers.first
        if !intact, best.scan.tornTailBytes > 0 {
            // Without a trusted header, an unfinished end is damage like any other.
            best.scan.damagedRegions += 1
            best.scan.damagedBytes += best.scan.tornTailBytes
            best.scan.tornTailBytes = 0
        }
        return Restored(scan: best.scan, recovery: recovery(intact ? .current : .unrecognized, best.scan),
                        marker: best.marker)
    }

    private static func recovery(_ format: TxPoolJournalRecovery.Format, _ scan: JournalScan) -> TxPoolJournalRecovery {
        TxPoolJournalRecovery(format: format, recordsRestored: scan.records, transactions: scan.pool.count,
                              damagedRegions: scan.damagedRegions, damagedBytes: scan.damagedBytes,
                              tornTailBytes: scan.tornTailBytes, damagedCopyPath: nil, rewriteError: nil)
    }

    /// The current UTC time as `yyyyMMdd'T'HHmmss'Z'`.
    static func utcTimestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }
}
