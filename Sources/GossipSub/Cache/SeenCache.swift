/// A set of message ids that forgets each id `ttl` after it was first inserted (virtual time).
///
/// Expiry walks a FIFO of insertions, so it costs O(expired) and never depends on hash order.
public struct SeenCache: Sendable {
    private var expiry: [HashedMessageID: CompactInstant] = [:]
    private var queue: [(HashedMessageID, CompactInstant)] = []
    private var head = 0
    /// How long an id is remembered after its first insertion.
    public let ttl: Duration

    /// An empty cache remembering ids for `ttl`.
    public init(ttl: Duration) { self.ttl = ttl }

    /// Ids held, including expired ones not yet dropped by ``prune(now:)``.
    public var count: Int { expiry.count }

    /// Inserts `id` seen at `now`. Returns true if it was not present (first sighting).
    @discardableResult
    public mutating func insert(_ id: MessageID, now: Duration) -> Bool {
        let id = HashedMessageID(id)
        if let until = expiry[id], until.duration > now { return false }
        let until = CompactInstant(now + ttl)
        expiry[id] = until
        queue.append((id, until))
        return true
    }

    /// Whether `id` was inserted and its lifetime has not ended by `now`.
    public func contains(_ id: MessageID, now: Duration) -> Bool {
        guard let until = expiry[HashedMessageID(id)] else { return false }
        return until.duration > now
    }

    /// Drops every id whose lifetime ended at or before `now`.
    public mutating func prune(now: Duration) {
        while head < queue.count, queue[head].1.duration <= now {
            let (id, until) = queue[head]
            // A re-insertion after expiry queued a later entry; only the matching one removes.
            if let i = expiry.index(forKey: id), expiry.values[i] == until { expiry.remove(at: i) }
            head += 1
        }
        if head > 1024, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
    }
}
