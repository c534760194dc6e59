extension PeerDialPlanner {
    /// The order in which a node offers discovered peers to ``plan(connected:outbound:meshShortfall:staticPeers:candidates:replaceable:now:)``:
    /// the eligible peers of its discovery table one bucket at a time, farthest bucket first, a
    /// random peer of each bucket per round; then, only while those are fewer than
    /// ``PeerDialSettings/targetPeerCount``, the eligible peers beyond the table (nodes it talked
    /// to that the table had no room for), shuffled: that is how a chain that is a minority of the
    /// discovery network finds its own.
    ///
    /// Spreading the dials over the buckets is the defence against an eclipse through discovery:
    /// a node's far buckets hold a sample of the whole network that nobody can crowd out, while
    /// node ids ground to be close to it can fill its near buckets. Sybils that hold every near
    /// bucket get one dial per bucket and round, after the far buckets' peers.
    ///
    /// - Parameters:
    ///   - table: the table's peers.
    ///   - distance: a table peer's log distance from this node (its bucket).
    ///   - beyondTable: the peers beyond the table; evaluated only when needed.
    ///   - random: the node's injected random source, for the shuffles.
    ///   - eligible: the candidate for a found peer, or `nil` when it may not be dialed (itself,
    ///     connected, banned, refused by the dial filter).
    public func orderedCandidates<Found, Random: RandomNumberGenerator>(
        table: [Found], distance: (Found) -> Int, beyondTable: () -> [Found], using random: inout Random,
        eligible: (Found) -> Candidate?
    ) -> [Candidate] {
        var byBucket: [Int: [Candidate]] = [:]
        for found in table {
            if let candidate = eligible(found) { byBucket[distance(found), default: []].append(candidate) }
        }
        var buckets = byBucket.sorted { $0.key > $1.key }.map(\.value)
        for index in buckets.indices { buckets[index].shuffle(using: &random) }
        var candidates: [Candidate] = []
        for round in 0..<(buckets.map(\.count).max() ?? 0) {
            for bucket in buckets where round < bucket.count { candidates.append(bucket[round]) }
        }
        guard candidates.count < settings.targetPeerCount else { return candidates }
        var beyond = beyondTable().compactMap(eligible)
        beyond.shuffle(using: &random)
        return candidates + beyond
    }
}
