/// A bounded cache of sessions keyed by node id and endpoint, evicting the least recently
/// used session when full.
///
/// Lookups and updates are O(1); an insertion into a full cache scans for the oldest entry
/// (O(capacity)), which is rare compared with lookups.
public struct SessionCache: Sendable {
    private struct Entry: Sendable {
        var session: Session
        var lastUse: UInt64
    }

    /// Maximum number of sessions held.
    public let capacity: Int
    private var entries: [NodeAddress: Entry] = [:]
    private var clock: UInt64 = 0

    /// A cache of at most `capacity` sessions (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Number of sessions held.
    public var count: Int { entries.count }

    /// The session with `address`, marking it recently used.
    public mutating func session(for address: NodeAddress) -> Session? {
        guard var entry = entries[address] else { return nil }
        clock += 1
        entry.lastUse = clock
        entries[address] = entry
        return entry.session
    }

    /// The session with `address` without touching its recency.
    public func peek(_ address: NodeAddress) -> Session? { entries[address]?.session }

    /// Stores `session` for `address`; returns the address evicted to make room, if any.
    @discardableResult
    public mutating func insert(_ session: Session, for address: NodeAddress) -> NodeAddress? {
        clock += 1
        var evicted: NodeAddress?
        if entries[address] == nil, entries.count >= capacity,
           let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            entries[oldest] = nil
            evicted = oldest
        }
        entries[address] = Entry(session: session, lastUse: clock)
        return evicted
    }

    /// Removes the session with `address`.
    @discardableResult
    public mutating func remove(_ address: NodeAddress) -> Session? {
        entries.removeValue(forKey: address)?.session
    }
}
