#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix
import Synchronization

/// Pool persistence: an append-only journal file, compacted into a snapshot of the live pool.
///
/// Why a journal and not SQLite (GRDB): the pool lives in memory and the file only has to
/// rebuild it after a restart, so no queries are needed. A journal costs one sequential append per
/// change (the transaction's SSZ on add, 33 bytes on removal) and adds nothing to the build.
/// The format is `TxPoolJournalFormat`: every record carries a CRC and a sync marker, so a
/// damaged record is skipped and the intact ones after it are still restored.
///
/// **Durability (fsync policy): group commit, flushed before acknowledging.** ``append(_:isolation:)``
/// returns only once its records are written and flushed to stable storage (`fdatasync`;
/// `F_FULLFSYNC` on Darwin, where `fsync` leaves them in the drive's cache): a submission is
/// acknowledged only after that, so neither `kill -9` nor a power loss can take back an
/// acknowledged transaction, and a failed write is an error for its submitter, never a success.
/// Records queued while a flush runs are written and flushed together by the next one, so the
/// cost is one flush per batch, not per record, and throughput grows with concurrent submitters.
/// ``appendInBackground(_:)`` (transactions received by gossip, removals, blocks) writes in the
/// same order without a flush of its own: those records reach the disk's cache at once, so they
/// survive a crash of the process, and stable storage with the next flush; a power loss can lose
/// them, but none was acknowledged to anyone (a gossiped transaction is still held by its peers).
///
/// **Threads.** Files are written on a thread of `threadPool` (NIO's blocking-I/O pool), one
/// batch at a time in submission order; callers never block on the disk, they wait for the
/// acknowledgement asynchronously.
///
/// **Compaction** (``compactIfNeeded(_:)``, when the file exceeds twice the live bytes plus
/// 1 MiB, and after any failed write) writes a snapshot to `<path>.tmp`, flushes it, renames it
/// over the journal and flushes the directory: the old file is replaced only by a complete new
/// one. If that fails (a full disk), the temporary file is removed and the old journal is kept
/// and appended to.
///
/// **Opening** (``open(path:pool:limits:events:)``) never trades the file for convenience: an
/// unreadable journal, or something other than a regular file at its path (a directory, a FIFO),
/// is an error; a damaged one is restored as far as its intact records go and then kept aside
/// as `<path>.damaged-<UTC time>`; the old `AZTXPJ01` format is migrated; and on a full disk,
/// where the rewrite fails, the node still starts with the restored pool and appends to the old file.
public final class TxPoolJournal: Sendable {
    /// Why the journal could not be opened or written.
    public enum JournalError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The journal exists but cannot be read (permissions, an I/O error): starting with an
        /// empty pool would lose it.
        case unreadable(path: String, errno: Int32)
        /// Something other than a regular file is at the journal's path.
        case notARegularFile(path: String, type: String)
        /// The journal or its temporary copy cannot be created, renamed or opened for writing.
        case cannotWrite(path: String, errno: Int32)
        /// Records could not be written or flushed (e.g. a full disk): they are not in the journal.
        case writeFailed(errno: Int32)
        /// The journal was closed.
        case closed

        /// A one-line message naming the path and the system error (`strerror` and errno) where there is one.
        public var description: String {
            switch self {
            case .unreadable(let path, let code): "cannot read the transaction pool journal \(path): \(Self.text(code))"
            case .notARegularFile(let path, let type): "the transaction pool journal \(path) is \(type), not a regular file"
            case .cannotWrite(let path, let code): "cannot write \(path): \(Self.text(code))"
            case .writeFailed(let code): "cannot write the transaction pool journal: \(Self.text(code))"
            case .closed: "the transaction pool journal is closed"
            }
        }

        /// A full disk, a quota or a file size limit: the node runs on, refusing what it cannot journal.
        var isOutOfSpace: Bool {
            switch self {
            case .writeFailed(let code), .cannotWrite(_, let code): [ENOSPC, EDQUOT, EFBIG].contains(code)
            default: false
            }
        }

        static func text(_ code: Int32) -> String { String(cString: strerror(code)) + " (errno \(code))" }
    }

    typealias Completion = @Sendable (Result<Void, JournalError>) -> Void

    private enum Work: Sendable {
        /// Records to append; with a completion, flushed before it runs.
        case append([Record], Completion?)
        case rewrite(TxPool, force: Bool, Completion?)
        case close(@Sendable () -> Void)
    }

    private struct State: Sendable {
        /// Owned by the draining thread while `draining`; copied back after each batch.
        var file: JournalFile
        var queue: [Work] = []
        var draining = false
        var rewriteQueued = false
        var failures = 0
        /// Failed rewrites in a row, and when ``compactIfNeeded(_:)`` may try again: a full disk is
        /// not rewritten every tick.
        var failedRewrites = 0
        var nextRewrite: ContinuousClock.Instant?
    }

    /// The journal file's path.
    public let path: String
    /// What opening found and did.
    public let recovery: TxPoolJournalRecovery
    private let threadPool: NIOThreadPool
    private let events: (@Sendable (TxPoolJournalEvent) -> Void)?
    private let state: Mutex<State>

    init(file: JournalFile, recovery: TxPoolJournalRecovery, threadPool: NIOThreadPool,
         events: (@Sendable (TxPoolJournalEvent) -> Void)?) {
        self.path = file.path
        self.recovery = recovery
        self.threadPool = threadPool
        self.events = events
        self.state = Mutex(State(file: file))
    }

    deinit {
        state.withLock { $0.file.close() }
    }

    // MARK: Writing

    /// Appends `records` after everything queued before, and returns once they are on stable
    /// storage. Called from an actor, the records are queued before the actor is left, so they
    /// keep their order with the actor's other journal calls.
    /// - Throws: ``JournalError/writeFailed(errno:)`` (nothing of these records stays in the file),
    ///   or ``JournalError/closed``.
    public func append(_ records: [Record], isolation: isolated (any Actor)? = #isolation) async throws(JournalError) {
        let result = await withCheckedContinuation(isolation: isolation) { continuation in
            enqueue(.append(records, { continuation.resume(returning: $0) }))
        }
        try result.get()
    }

    /// Appends `records` after everything queued before, without waiting and without a flush of
    /// their own. A failure is counted (``failureCount``), reported as an event, and schedules a
    /// rewrite.
    public func appendInBackground(_ records: [Record]) {
        guard !records.isEmpty else { return }
        enqueue(.append(records, nil))
    }

    /// Queues a rewrite as a snapshot of `pool` if one is due: the file exceeds twice the live
    /// bytes plus 1 MiB, or a write failed, or the file is damaged or in the old format. After a
    /// failed rewrite the next waits 10 s, doubling up to 5 minutes while they keep failing.
    public func compactIfNeeded(_ pool: TxPool) {
        let due = state.withLock { state in
            guard !state.rewriteQueued, state.file.shouldRewrite(liveBytes: pool.byteCount),
                  state.nextRewrite.map({ ContinuousClock.now >= $0 }) ?? true else { return false }
            state.rewriteQueued = true
            return true
        }
        if due { enqueue(.rewrite(pool, force: false, nil)) }
    }

    /// Rewrites the file as a snapshot of `pool` (which must reflect every record queued before)
    /// and waits. On failure the old file is kept and still appended to.
    public func compact(_ pool: TxPool, isolation: isolated (any Actor)? = #isolation) async throws(JournalError) {
        let result = await withCheckedContinuation(isolation: isolation) { continuation in
            enqueue(.rewrite(pool, force: true, { continuation.resume(returning: $0) }))
        }
        try result.get()
    }

    /// Writes what is queued, flushes and closes the file; later appends fail with ``JournalError/closed``.
    public func close(isolation: isolated (any Actor)? = #isolation) async {
        await withCheckedContinuation(isolation: isolation) { continuation in
            enqueue(.close({ continuation.resume() }))
        }
    }

    // MARK: State

    /// Failed writes and compactions since opening.
    public var failureCount: Int { state.withLock { $0.failures } }
    /// The file's size after the last batch written.
    public var fileSize: Int { state.withLock { $0.file.size } }
    /// Whether records can be appended: false while no file can be written (a full disk at the
    /// old format's migration, until a compaction succeeds) or after ``close(isolation:)``.
    public var isWritable: Bool { state.withLock { $0.file.isWritable } }

    // MARK: The writer

    private func enqueue(_ work: Work) {
        let start = state.withLock { state in
            state.queue.append(work)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        if start { threadPool.submit { _ in self.drain() } }
    }

    /// Runs on the thread pool, one drain at a time: writes the queue in order, batch after batch.
    private func drain() {
        while true {
            let taken = state.withLock { state -> ([Work], JournalFile)? in
                guard !state.queue.isEmpty else {
                    state.draining = false
                    return nil
                }
                defer { state.queue = [] }
                return (state.queue, state.file)
            }
            guard case let (work, initial)? = taken else { return }
            var file = initial
            var done: [@Sendable () -> Void] = []
            var reports: [TxPoolJournalEvent] = []
            var failures = 0
            var rewrote = false
            // Whether a rewrite was attempted in this batch, and succeeded.
            var rewriteSucceeded: Bool?
            var index = 0
            while index < work.count {
                switch work[index] {
                case .append:
                    var bytes: [UInt8] = []
                    var waiters: [Completion] = []
                    while index < work.count, case .append(let records, let waiter) = work[index] {
                        for record in records { TxPoolJournalFormat.append(record, marker: file.marker, to: &bytes) }
                        if let waiter { waiters.append(waiter) }
                        index += 1
                    }
                    let result = file.append(bytes, synchronize: !waiters.isEmpty)
                    // After close, background records (a late block report) are expected to be refused.
                    if case .failure(let error) = result, error != .closed || !waiters.isEmpty {
                        failures += 1
                        reports.append(.writeFailed(error))
                    }
                    done += waiters.map { waiter in { waiter(result) } }
                case .rewrite(let pool, let force, let waiter):
                    index += 1
                    rewrote = true
                    var result = Result<Void, JournalError>.success(())
                    if force || file.shouldRewrite(liveBytes: pool.byteCount) {
                        switch file.rewrite(as: pool) {
                        case .success(let keptAt):
                            rewriteSucceeded = true
                            if let keptAt { reports.append(.damagedFileKeptAside(path: keptAt)) }
                        case .failure(let error):
                            failures += 1
                            rewriteSucceeded = false
                            reports.append(.compactionFailed(error))
                            result = .failure(error)
                        }
                    }
                    if let waiter { done.append { [result] in waiter(result) } }
                case .close(let waiter):
                    index += 1
                    file.close()
                    done.append(waiter)
                }
            }
            state.withLock { state in
                state.file = file
                state.failures += failures
                if rewrote { state.rewriteQueued = false }
                if rewriteSucceeded == true {
                    state.failedRewrites = 0
                    state.nextRewrite = nil
                } else if rewriteSucceeded == false {
                    state.failedRewrites += 1
                    state.nextRewrite = .now + .seconds(min(300, 10 << min(state.failedRewrites - 1, 5)))
                }
            }
            for report in reports { events?(report) }
            for completion in done { completion() }
        }
    }
}
