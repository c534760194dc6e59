/// A bounded cache of sessions keyed by node id and endpoint, evicting the least recently
/// used session when full.
///
/// Lookups, updates and evictions are O(1) amortized: every use appends the address with its
/// time to a recency queue, and eviction takes the oldest queue item that is still current (a
/// bootnode inserts a session for almost every packet from a new node, so a scan of the whole
/// cache per insertion made a join storm quadratic).
public struct SessionCache: Sendable {
    private struct Entry: Sendable {
        var session: Session
        var lastUse: UInt64
    }

    private struct Use: Sendable {
        var address: NodeAddress
        var time: UInt64
    }

    /// Maximum number of sessions held.
    public let capacity: Int
    private var entries: [NodeAddress: Entry] = [:]
    /// Uses in time order; an item is stale once its address was used again or removed.
    private var uses: [Use] = []
    private var usesHead = 0
    private var clock: UInt64 = 0

    /// A cache of at most `capacity` sessions (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Number of sessions held.
    public var count: Int { entries.count }

    /// The session with `address`, marking it recently used.
    public mutating func session(for address: NodeAddress) -> Session? {
        guard entries[address] != nil else { return nil }
        clock += 1
        entries[address]!.lastUse = clock
        recordUse(address)
        return entries[address]!.session
    }

    /// The session with `address` without touching its recency.
    public func peek(_ address: NodeAddress) -> Session? { entries[address]?.session }

    /// Stores `session` for `address`; returns the address evicted to make room, if any.
    @discardableResult
    public mutating func insert(_ session: Session, for address: NodeAddress) -> NodeAddress? {
        clock += 1
        var evicted: NodeAddress?
        if entries[address] == nil, entries.count >= capacity, let oldest = oldestAddress() {
            entries[oldest] = nil
            evicted = oldest
        }
        entries[address] = Entry(session: session, lastUse: clock)
        recordUse(address)
        return evicted
    }

    private mutating func recordUse(_ address: NodeAddress) {
        uses.append(Use(address: address, time: clock))
        // Stale items are dropped once they are most of the queue, so it stays O(capacity).
        if uses.count - usesHead > 2 * entries.count + 64 {
            uses = uses[usesHead...].filter { entries[$0.address]?.lastUse == $0.time }
            usesHead = 0
        }
    }

    /// The least recently used address (skipping stale queue items).
    private mutating func oldestAddress() -> NodeAddress? {
        while usesHead < uses.count {
            let use = uses[usesHead]
            usesHead += 1
            if entries[use.address]?.lastUse == use.time { return use.address }
        }
        return nil
    }

    /// Removes the session with `address`.
    @discardableResult
    public mutating func remove(_ address: NodeAddress) -> Session? {
        entries.removeValue(forKey: address)?.session
    }
}
