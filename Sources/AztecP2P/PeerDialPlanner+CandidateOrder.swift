extension PeerDialPlanner {
    /// The order in which a node offers discovered peers to ``plan(connected:outbound:meshShortfall:staticPeers:candidates:now:)``:
    /// the eligible peers of its discovery table in a random order (the table's nearest buckets,
    /// in its own order, are where an attacker's ground node ids sit), then, only while those are
    /// fewer than ``PeerDialSettings/targetPeerCount``, the eligible peers beyond the table (nodes it
    /// talked to that the table had no room for), also shuffled: that is how a chain that is a
    /// minority of the discovery network finds its own.
    ///
    /// - Parameters:
    ///   - table: the table's peers.
    ///   - beyondTable: the peers beyond the table; evaluated only when needed.
    ///   - random: the node's injected random source, for the shuffles.
    ///   - eligible: the candidate for a found peer, or `nil` when it may not be dialed (itself,
    ///     connected, banned, refused by the dial filter).
    public func orderedCandidates<Found, Random: RandomNumberGenerator>(
        table: [Found], beyondTable: () -> [Found], using random: inout Random, eligible: (Found) -> Candidate?
    ) -> [Candidate] {
        var candidates = table.compactMap(eligible)
        candidates.shuffle(using: &random)
        guard candidates.count < settings.targetPeerCount else { return candidates }
        var beyond = beyondTable().compactMap(eligible)
        beyond.shuffle(using: &random)
        return candidates + beyond
    }
}
