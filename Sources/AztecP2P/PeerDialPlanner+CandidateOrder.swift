import Foundation

extension PeerDialPlanner {
    /// The order in which a node offers discovered peers to ``plan(connected:outbound:meshShortfall:staticPeers:candidates:now:)``:
    /// the eligible peers of its discovery table first, then, only while those are fewer than
    /// ``PeerDialSettings/targetPeerCount``, the eligible peers beyond the table (nodes it talked
    /// to that the table had no room for), shuffled: that is how a chain that is a minority of the
    /// discovery network finds its own.
    ///
    /// The table's peers come in a random order weighted by the share of the id space at their
    /// distance: a peer at log distance `d` has weight 2^(d − 256), so the farthest bucket (half
    /// of all ids) is drawn from about half the time, the next a quarter, and so on, as a uniform
    /// sample of the network would be (Efraimidis–Spirakis sampling without replacement). The
    /// table itself holds as many entries per bucket whatever the bucket's share, and its nearest
    /// buckets are where an attacker with node ids ground close to this node's sits: an
    /// unweighted draw dialed such sybils as often as they fill the table.
    ///
    /// - Parameters:
    ///   - table: the table's peers.
    ///   - beyondTable: the peers beyond the table; evaluated only when needed.
    ///   - random: the node's injected random source.
    ///   - logDistance: a table peer's log distance from this node (1...256).
    ///   - eligible: the candidate for a found peer, or `nil` when it may not be dialed (itself,
    ///     connected, banned, refused by the dial filter).
    public func orderedCandidates<Found, Random: RandomNumberGenerator>(
        table: [Found], beyondTable: () -> [Found], using random: inout Random, logDistance: (Found) -> Int,
        eligible: (Found) -> Candidate?
    ) -> [Candidate] {
        var keyed: [(key: Double, position: Int, candidate: Candidate)] = []
        keyed.reserveCapacity(table.count)
        for found in table {
            guard let candidate = eligible(found) else { continue }
            // The key u^(1/w) compared through its logarithm, ln(u) / w, with u uniform in (0, 1].
            let u = Double((random.next() >> 11) + 1) * 0x1p-53
            let distance = min(max(logDistance(found), 0), 256)
            keyed.append((log(u) * exp2(Double(256 - distance)), keyed.count, candidate))
        }
        keyed.sort { $0.key != $1.key ? $0.key > $1.key : $0.position < $1.position }
        let candidates = keyed.map(\.candidate)
        guard candidates.count < settings.targetPeerCount else { return candidates }
        var beyond = beyondTable().compactMap(eligible)
        beyond.shuffle(using: &random)
        return candidates + beyond
    }
}
