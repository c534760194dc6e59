/// Votes on this node's external UDP endpoint, from the recipient fields of PONGs: one vote per
/// voter (its latest), expiring after a lifetime, at most ``capacity`` voters.
public struct AddressVotes: Sendable {
    struct Vote: Sendable {
        var endpoint: Endpoint
        var time: Duration
    }

    /// Voters remembered at most (at least 1); default 200.
    public let capacity: Int
    /// How long a vote counts after it was cast.
    public let lifetime: Duration
    private var votes: [NodeID: Vote] = [:]

    /// An empty tally keeping at most `capacity` voters' votes, each for `lifetime`.
    public init(capacity: Int = 200, lifetime: Duration) {
        self.capacity = max(capacity, 1)
        self.lifetime = lifetime
    }

    /// Number of votes held.
    public var count: Int { votes.count }

    /// Records `voter`'s view of this node's endpoint.
    public mutating func record(_ endpoint: Endpoint, from voter: NodeID, now: Duration) {
        if votes[voter] == nil, votes.count >= capacity {
            votes = votes.filter { now - $0.value.time < lifetime }
            if votes.count >= capacity, let oldest = votes.min(by: { $0.value.time < $1.value.time })?.key {
                votes[oldest] = nil
            }
        }
        votes[voter] = Vote(endpoint: endpoint, time: now)
    }

    /// The endpoint a clear majority (more than half of the live votes, and at least
    /// `minimumVotes`) agrees on, if any.
    public func winner(minimumVotes: Int, now: Duration) -> Endpoint? {
        var tally: [Endpoint: Int] = [:]
        var total = 0
        for vote in votes.values where now - vote.time < lifetime {
            tally[vote.endpoint, default: 0] += 1
            total += 1
        }
        guard let (endpoint, count) = tally.max(by: { $0.value < $1.value }),
              count >= minimumVotes, count * 2 > total
        else { return nil }
        return endpoint
    }
}
