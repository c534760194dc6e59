/// Banned keys (IP addresses or node ids) with expiry, bounded in size, plus a strike count per
/// key that bans it when it reaches a threshold.
public struct BanList<Key: Hashable & Sendable>: Sendable {
    public let capacity: Int
    private var bans: [Key: Duration] = [:]
    private var strikes: [Key: Int] = [:]

    /// A list holding at most `capacity` bans and as many strike counters.
    public init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// Number of bans held (expired ones included until they are purged).
    public var count: Int { bans.count }

    /// Whether `key` is banned at `now`.
    public func isBanned(_ key: Key, now: Duration) -> Bool {
        guard let expiry = bans[key] else { return false }
        return expiry > now
    }

    /// Bans `key` until `until`.
    public mutating func ban(_ key: Key, until: Duration, now: Duration) {
        if bans[key] == nil, bans.count >= capacity {
            bans = bans.filter { $0.value > now }
            if bans.count >= capacity, let soonest = bans.min(by: { $0.value < $1.value })?.key { bans[soonest] = nil }
        }
        bans[key] = until
        strikes[key] = nil
    }

    /// Counts one strike against `key`; at `threshold` strikes it is banned until `until`.
    /// Returns whether this strike banned it.
    public mutating func strike(_ key: Key, threshold: Int, until: Duration, now: Duration) -> Bool {
        if strikes[key] == nil, strikes.count >= capacity { strikes.removeAll(keepingCapacity: true) }
        let count = (strikes[key] ?? 0) + 1
        guard count >= threshold else {
            strikes[key] = count
            return false
        }
        ban(key, until: until, now: now)
        return true
    }

    /// Removes expired bans.
    public mutating func purge(now: Duration) {
        bans = bans.filter { $0.value > now }
    }
}
