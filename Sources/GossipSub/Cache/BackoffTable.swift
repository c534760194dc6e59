/// Per-topic, per-peer GRAFT backoff deadlines (gossipsub v1.1).
public struct BackoffTable<Peer: Hashable & Sendable>: Sendable {
    private var table: [String: [Peer: Duration]] = [:]

    /// An empty table.
    public init() {}

    /// Extends the backoff of `peer` in `topic` to `until` (never shortens it).
    public mutating func set(_ peer: Peer, topic: String, until: Duration) {
        let current = table[topic]?[peer] ?? .zero
        if until > current { table[topic, default: [:]][peer] = until }
    }

    /// The deadline, if one is recorded (expired or not).
    public func deadline(_ peer: Peer, topic: String) -> Duration? { table[topic]?[peer] }

    /// Whether `peer` may not be grafted in `topic` at `now` (its deadline is still ahead).
    public func isBackedOff(_ peer: Peer, topic: String, now: Duration) -> Bool {
        guard let until = table[topic]?[peer] else { return false }
        return until > now
    }

    /// Forgets entries that ended more than `slack` before `now`.
    public mutating func clearExpired(now: Duration, slack: Duration = .zero) {
        for topic in Array(table.keys) {
            table[topic] = table[topic]?.filter { $0.value + slack > now }
            if table[topic]?.isEmpty ?? true { table[topic] = nil }
        }
    }

    /// True when no deadline is recorded, expired or not.
    public var isEmpty: Bool { table.isEmpty }
}
