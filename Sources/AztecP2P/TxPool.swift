import HeapModule

/// The pending-transaction pool: bounded by count and bytes, ordered by priority fee, at most one
/// transaction per nullifier (the higher fee wins), emptied by published blocks and by expiry.
///
/// Sans-IO: time comes in as `now` (the embedding node's wall clock, as a duration since the Unix
/// epoch, so that persisted arrival times stay meaningful across restarts). Every mutation
/// returns what it removed, so a journal or the RPC layer can follow along.
///
/// Costs: insert, removal and eviction are O(log n) amortised (lazy-deletion heaps compacted
/// when they reach twice the live count); listing by fee sorts on demand. Memory: a few hundred
/// bytes per transaction besides the ``ValidatedTransaction`` it shares with its other holders
/// (an entry points at it rather than copying its fields), which matters when a simulation runs
/// 10,000 pools of a thousand transactions each.
public struct TxPool: Sendable {
    /// One pooled transaction.
    public struct Entry: Sendable, Hashable {
        /// The transaction with its hash and size, shared with whoever else holds it.
        public let validated: ValidatedTransaction
        /// When it was admitted: wall-clock time since the Unix epoch; expiry counts ``TxPoolConfig/timeToLive`` from it.
        public let receivedAt: Duration
        /// Insertion order, unique per pool: breaks fee ties (the older transaction stays).
        public let sequence: UInt64

        /// The transaction's hash, its key in the pool.
        public var hash: TxHash { validated.hash }
        /// The transaction as decoded.
        public var transaction: AztecTransaction { validated.transaction }
        /// Its SSZ size, what ``TxPoolConfig/maxBytes`` counts.
        public var size: Int { validated.size }
        /// Its ``TxGasSettings/priorityFee``, the pool's order (highest first).
        public var priorityFee: UInt128 { validated.transaction.gasSettings.priorityFee }
    }

    /// Why a valid transaction was not admitted.
    public enum AdmissionFailure: Error, Hashable, Sendable, CustomStringConvertible {
        /// A transaction with the same hash is pooled.
        case alreadyKnown
        /// A pooled transaction with a common nullifier pays at least as much.
        case conflictsWithHigherFee(TxHash)
        /// The pool is full of transactions paying at least as much.
        case poolFull
        /// Larger than the whole pool's byte budget.
        case tooLarge
        /// Its `maxBlockNumber` is already published.
        case expired

        /// A short phrase for logs and error messages.
        public var description: String {
            switch self {
            case .alreadyKnown: "already in the pool"
            case .conflictsWithHigherFee(let h): "conflicts with \(h), which pays at least as much"
            case .poolFull: "pool full of transactions paying at least as much"
            case .tooLarge: "larger than the pool"
            case .expired: "expired"
            }
        }
    }

    /// Why a transaction left the pool.
    public enum RemovalReason: Hashable, Sendable {
        /// The published block includes it.
        case included
        /// The published block spends one of its nullifiers.
        case nullifierSpent
        /// A published block passed its `maxBlockNumber`, or it stayed ``TxPoolConfig/timeToLive``.
        case expired
        /// Pushed out by a higher-paying transaction when the pool was full.
        case evicted
        /// Replaced by a higher-paying transaction with a common nullifier.
        case replaced
        /// Removed on request (e.g. the journal replaying a removal).
        case dropped
    }

    /// A removed transaction and why.
    public struct Removal: Hashable, Sendable {
        /// The removed transaction's hash.
        public let hash: TxHash
        /// Why it was removed.
        public let reason: RemovalReason
    }

    /// Counters for ``AztecRPCBackend/poolStatistics()``.
    public struct Stats: Hashable, Sendable, Codable {
        /// Transactions pooled.
        public var count: Int
        /// SSZ bytes pooled.
        public var bytes: Int
        /// The pool's ``TxPoolConfig/maxTransactions``.
        public var maxTransactions: Int
        /// The pool's ``TxPoolConfig/maxBytes``.
        public var maxBytes: Int
        /// The newest published block reported; `nil` before the first.
        public var latestBlock: UInt64?
    }

    /// The pool's bounds.
    public let config: TxPoolConfig
    private var entries: [TxHash: Entry] = [:]
    private var byNullifier: [Nullifier: ValidatedTransaction] = [:]
    /// The live entries by ``Entry/sequence``: what the heaps' keys name.
    private var bySequence: [UInt64: ValidatedTransaction] = [:]
    private var evictionQueue = Heap<EvictionKey>()
    private var timeQueue = Heap<TimeKey>()
    private var blockQueue = Heap<BlockKey>()
    private var nextSequence: UInt64 = 0
    /// The newest published block reported.
    public private(set) var latestBlock: UInt64?
    /// The SSZ bytes held.
    public private(set) var byteCount = 0

    /// An empty pool bounded by `config` (expected validated).
    public init(config: TxPoolConfig = .default) { self.config = config }

    /// Transactions pooled.
    public var count: Int { entries.count }
    /// Size, bounds and newest block, for ``AztecRPCBackend/poolStatistics()``.
    public var stats: Stats {
        Stats(count: count, bytes: byteCount, maxTransactions: config.maxTransactions, maxBytes: config.maxBytes,
              latestBlock: latestBlock)
    }

    /// The pooled transaction with `hash`, or `nil`.
    public func entry(_ hash: TxHash) -> Entry? { entries[hash] }
    /// Whether a transaction with `hash` is pooled.
    public func contains(_ hash: TxHash) -> Bool { entries[hash] != nil }
    /// The pooled transaction holding `nullifier`, if any.
    public func holder(of nullifier: Nullifier) -> TxHash? { byNullifier[nullifier]?.hash }

    /// Adds `transaction`, replacing lower-paying conflicts and evicting the lowest payers when
    /// full; `hash` and `size` are computed when not given. See ``insert(_:now:)``.
    public mutating func insert(_ transaction: AztecTransaction, hash: TxHash? = nil, size: Int? = nil,
                                now: Duration) -> Result<[Removal], AdmissionFailure> {
        if let hash, entries[hash] != nil { return .failure(.alreadyKnown) }
        return insert(ValidatedTransaction(transaction, hash: hash, size: size), now: now)
    }

    /// Adds `validated`, replacing lower-paying conflicts and evicting the lowest payers when
    /// full. A newcomer must pay strictly more than what it displaces, so equal-fee floods churn nothing.
    /// The pool keeps a reference to `validated`, not a copy.
    /// - Returns: the removals it caused.
    public mutating func insert(_ validated: ValidatedTransaction, now: Duration) -> Result<[Removal], AdmissionFailure> {
        let hash = validated.hash
        let transaction = validated.transaction
        guard entries[hash] == nil else { return .failure(.alreadyKnown) }
        if let latestBlock, transaction.maxBlockNumber != 0, transaction.maxBlockNumber <= latestBlock {
            return .failure(.expired)
        }
        let size = validated.size
        guard size <= config.maxBytes else { return .failure(.tooLarge) }
        let priority = transaction.gasSettings.priorityFee

        // Conflicts: every holder of one of our nullifiers must pay strictly less.
        var conflicts: [TxHash] = []
        for nullifier in transaction.nullifiers {
            guard let holder = byNullifier[nullifier]?.hash else { continue }
            guard let existing = entries[holder], existing.priorityFee < priority else {
                return .failure(.conflictsWithHigherFee(holder))
            }
            if !conflicts.contains(holder) { conflicts.append(holder) }
        }

        // Capacity: find the evictions before changing anything.
        var remainingCount = entries.count + 1
        var remainingBytes = byteCount + size
        for c in conflicts {
            remainingCount -= 1
            remainingBytes -= entries[c]?.size ?? 0
        }
        var evictions: [TxHash] = []
        if remainingCount > config.maxTransactions || remainingBytes > config.maxBytes {
            var popped: [EvictionKey] = []
            var fits = true
            while remainingCount > config.maxTransactions || remainingBytes > config.maxBytes {
                guard let key = evictionQueue.popMin() else { fits = false; break }
                popped.append(key)
                guard let live = bySequence[key.sequence], let victim = entries[live.hash] else { continue }
                if conflicts.contains(victim.hash) { continue }
                guard victim.priorityFee < priority else { fits = false; break }
                evictions.append(victim.hash)
                remainingCount -= 1
                remainingBytes -= victim.size
            }
            for key in popped { evictionQueue.insert(key) }
            guard fits else { return .failure(.poolFull) }
        }

        var removals: [Removal] = []
        removals.reserveCapacity(conflicts.count + evictions.count)
        for c in conflicts where removeEntry(c) != nil { removals.append(Removal(hash: c, reason: .replaced)) }
        for e in evictions where removeEntry(e) != nil { removals.append(Removal(hash: e, reason: .evicted)) }

        let entry = Entry(validated: validated, receivedAt: now, sequence: nextSequence)
        nextSequence += 1
        entries[hash] = entry
        byteCount += size
        for nullifier in transaction.nullifiers { byNullifier[nullifier] = validated }
        bySequence[entry.sequence] = validated
        evictionQueue.insert(EvictionKey(priority: priority, sequence: entry.sequence))
        timeQueue.insert(TimeKey(time: now, sequence: entry.sequence))
        if transaction.maxBlockNumber != 0 {
            blockQueue.insert(BlockKey(block: transaction.maxBlockNumber, sequence: entry.sequence))
        }
        compactIfNeeded()
        return .success(removals)
    }

    /// Removes what `block` includes, what its nullifiers spend and what it makes expire.
    public mutating func blockPublished(_ block: BlockReport) -> [Removal] {
        latestBlock = max(latestBlock ?? 0, block.number)
        var removals: [Removal] = []
        for hash in block.includedTransactions where removeEntry(hash) != nil {
            removals.append(Removal(hash: hash, reason: .included))
        }
        for nullifier in block.nullifiers {
            if let holder = byNullifier[nullifier]?.hash, removeEntry(holder) != nil {
                removals.append(Removal(hash: holder, reason: .nullifierSpent))
            }
        }
        let latest = latestBlock ?? 0
        while let key = blockQueue.min, key.block <= latest {
            _ = blockQueue.popMin()
            if let live = bySequence[key.sequence], removeEntry(live.hash) != nil {
                removals.append(Removal(hash: live.hash, reason: .expired))
            }
        }
        compactIfNeeded()
        return removals
    }

    /// Removes the transactions that arrived ``TxPoolConfig/timeToLive`` or longer before `now`.
    public mutating func expire(now: Duration) -> [Removal] {
        var removals: [Removal] = []
        while let key = timeQueue.min, key.time + config.timeToLive <= now {
            _ = timeQueue.popMin()
            if let live = bySequence[key.sequence], removeEntry(live.hash) != nil {
                removals.append(Removal(hash: live.hash, reason: .expired))
            }
        }
        compactIfNeeded()
        return removals
    }

    /// Removes one transaction.
    @discardableResult
    public mutating func remove(_ hash: TxHash) -> Entry? {
        let entry = removeEntry(hash)
        compactIfNeeded()
        return entry
    }

    private mutating func removeEntry(_ hash: TxHash) -> Entry? {
        guard let entry = entries.removeValue(forKey: hash) else { return nil }
        bySequence.removeValue(forKey: entry.sequence)
        byteCount -= entry.size
        for nullifier in entry.transaction.nullifiers where byNullifier[nullifier] === entry.validated {
            byNullifier.removeValue(forKey: nullifier)
        }
        return entry
    }

    /// Sets the newest published block without a report (e.g. after a restart).
    public mutating func setLatestBlock(_ number: UInt64) { latestBlock = max(latestBlock ?? 0, number) }

    /// A position in fee order, valid even after its transaction has left the pool.
    public struct Cursor: Hashable, Sendable, CustomStringConvertible {
        /// The priority fee of the position.
        public let priorityFee: UInt128
        /// The insertion sequence number breaking ties among equal fees (``Entry/sequence``).
        public let sequence: UInt64

        /// The position of the entry with this fee and sequence number.
        public init(priorityFee: UInt128, sequence: UInt64) {
            self.priorityFee = priorityFee
            self.sequence = sequence
        }

        /// The cursor just after `entry`.
        public init(after entry: Entry) { self.init(priorityFee: entry.priorityFee, sequence: entry.sequence) }

        /// `<fee>-<sequence>`, both decimal.
        public var description: String { "\(priorityFee)-\(sequence)" }

        /// Parses ``description``.
        public init?(_ text: some StringProtocol) {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let fee = UInt128(parts[0]), let sequence = UInt64(parts[1]) else { return nil }
            self.init(priorityFee: fee, sequence: sequence)
        }

        /// True when `entry` comes after the cursor in fee order.
        func precedes(_ entry: Entry) -> Bool {
            entry.priorityFee != priorityFee ? entry.priorityFee < priorityFee : entry.sequence > sequence
        }
    }

    /// Transactions by priority fee, highest first (ties: older first), starting after `cursor`.
    public func pending(after cursor: Cursor? = nil, limit: Int) -> [Entry] {
        let limit = max(0, limit)
        var candidates = entries.values.filter { cursor?.precedes($0) ?? true }
        guard candidates.count > limit else { return candidates.sorted(by: Self.feeOrder) }
        // Only the first `limit` are needed: partial selection through a bounded heap would be
        // cheaper still; a full sort of the remainder is simple and fine at pool sizes.
        candidates.sort(by: Self.feeOrder)
        return Array(candidates.prefix(limit))
    }

    /// Every pooled entry in insertion order (for snapshots and tests).
    public var entriesInInsertionOrder: [Entry] { entries.values.sorted { $0.sequence < $1.sequence } }

    static func feeOrder(_ a: Entry, _ b: Entry) -> Bool {
        a.priorityFee != b.priorityFee ? a.priorityFee > b.priorityFee : a.sequence < b.sequence
    }

    private mutating func compactIfNeeded() {
        let limit = 2 * entries.count + 64
        if evictionQueue.count > limit {
            evictionQueue = Heap(evictionQueue.unordered.filter { bySequence[$0.sequence] != nil })
        }
        if timeQueue.count > limit {
            timeQueue = Heap(timeQueue.unordered.filter { bySequence[$0.sequence] != nil })
        }
        if blockQueue.count > limit {
            blockQueue = Heap(blockQueue.unordered.filter { bySequence[$0.sequence] != nil })
        }
    }

    /// Violated invariants, empty when consistent (for tests).
    func invariantViolations() -> [String] {
        var problems: [String] = []
        if entries.count > config.maxTransactions { problems.append("count \(entries.count) > max") }
        if byteCount > config.maxBytes { problems.append("bytes \(byteCount) > max") }
        if byteCount != entries.values.reduce(0, { $0 + $1.size }) { problems.append("byteCount drift") }
        var nullifierTotal = 0
        for entry in entries.values {
            for n in entry.transaction.nullifiers {
                nullifierTotal += 1
                if byNullifier[n] !== entry.validated { problems.append("nullifier index misses \(entry.hash)") }
            }
            if let latestBlock, entry.transaction.maxBlockNumber != 0, entry.transaction.maxBlockNumber <= latestBlock {
                problems.append("expired \(entry.hash) still pooled")
            }
        }
        if nullifierTotal != byNullifier.count { problems.append("nullifier index has stale or shared keys") }
        if bySequence.count != entries.count || entries.values.contains(where: { bySequence[$0.sequence] !== $0.validated }) {
            problems.append("sequence index out of step")
        }
        let bound = 2 * entries.count + 64 + 1
        if evictionQueue.count > bound || timeQueue.count > bound || blockQueue.count > bound {
            problems.append("queues grew beyond bound")
        }
        return problems
    }
}

// The heaps' keys name entries by sequence number (``TxPool/Entry/sequence``, through the pool's
// index of live entries), not by hash or reference: 16 to 32 bytes a key instead of 48 to 64,
// which at 10,000 simulated pools of 1,200 transactions is a gigabyte, and a key left behind by
// lazy deletion names nothing once its entry is gone (a reference would keep a removed
// transaction's memory alive until the next compaction).

/// Lowest fee first; among equal fees the newest first, so older transactions stay.
struct EvictionKey: Comparable, Sendable {
    let priority: UInt128
    let sequence: UInt64
    static func < (a: EvictionKey, b: EvictionKey) -> Bool {
        a.priority != b.priority ? a.priority < b.priority : a.sequence > b.sequence
    }
    static func == (a: EvictionKey, b: EvictionKey) -> Bool { a.sequence == b.sequence }
}

struct TimeKey: Comparable, Sendable {
    let time: Duration
    let sequence: UInt64
    static func < (a: TimeKey, b: TimeKey) -> Bool { a.time != b.time ? a.time < b.time : a.sequence < b.sequence }
    static func == (a: TimeKey, b: TimeKey) -> Bool { a.sequence == b.sequence }
}

struct BlockKey: Comparable, Sendable {
    let block: UInt64
    let sequence: UInt64
    static func < (a: BlockKey, b: BlockKey) -> Bool { a.block != b.block ? a.block < b.block : a.sequence < b.sequence }
    static func == (a: BlockKey, b: BlockKey) -> Bool { a.sequence == b.sequence }
}
