/// Token buckets per key (an IP address, a node id) in a table of bounded size: a flood from
/// random keys cannot grow memory beyond ``capacity`` entries.
///
/// Each key may spend `burst` tokens at once and regains `rate` tokens per second. When the table
/// is full, keys whose buckets have refilled (idle keys) are forgotten first, then the oldest.
public struct RateLimiter<Key: Hashable & Sendable>: Sendable {
    struct Bucket: Sendable {
        var tokens: Double
        var updated: Duration
    }

    /// Tokens a key regains per second (always positive).
    public let rate: Double
    /// Tokens a key may spend at once, its bucket's size (at least 1).
    public let burst: Double
    /// Keys tracked at most; beyond, idle keys and then the oldest are forgotten.
    public let capacity: Int
    private var buckets: [Key: Bucket] = [:]

    /// A limiter granting `rate` per second with bursts of `burst`, tracking at most `capacity` keys.
    public init(rate: Double, burst: Double, capacity: Int) {
        self.rate = max(rate, .leastNonzeroMagnitude)
        self.burst = max(burst, 1)
        self.capacity = max(capacity, 1)
    }

    /// Number of keys tracked.
    public var trackedCount: Int { buckets.count }

    /// Spends one token of `key` at `now`; `false` when none is left (the event is to be refused).
    public mutating func allow(_ key: Key, now: Duration) -> Bool {
        if var bucket = buckets[key] {
            bucket.tokens = min(burst, bucket.tokens + rate * (now - bucket.updated).secondsValue)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return true
        }
        if buckets.count >= capacity { makeRoom(now: now) }
        buckets[key] = Bucket(tokens: burst - 1, updated: now)
        return true
    }

    private mutating func makeRoom(now: Duration) {
        let refillTime = burst / rate
        buckets = buckets.filter { (now - $0.value.updated).secondsValue < refillTime }
        if buckets.count >= capacity {
            // Everyone is active: forget the older half (they restart with a full bucket).
            let sorted = buckets.sorted { $0.value.updated < $1.value.updated }
            for (key, _) in sorted.prefix(buckets.count / 2 + 1) { buckets[key] = nil }
        }
    }
}
