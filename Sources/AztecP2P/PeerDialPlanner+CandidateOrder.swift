extension PeerDialPlanner {
    /// The nearest bucket (log distance) that still counts as far: the seven buckets from 250 to
    /// 256 hold all but 1/128 of any network's nodes, while ids sharing more than 6 leading bits
    /// with the node's own (cheap to grind, and what it takes to crowd its table) land nearer.
    public static var nearestFarBucket: Int { 250 }

    /// The order in which a node offers discovered peers to ``plan(connected:outbound:meshShortfall:staticPeers:candidates:replaceable:now:)``:
    /// the eligible peers of its discovery table one bucket at a time, a random peer of each
    /// bucket per round, farthest bucket first, the far buckets' rounds (log distance
    /// ``nearestFarBucket`` and beyond) before the nearer ones'; then, only while those are fewer
    /// than ``PeerDialSettings/targetPeerCount``, the eligible peers beyond the table (nodes it
    /// talked to that the table had no room for), shuffled: that is how a chain that is a minority
    /// of the discovery network finds its own. Until a lookup it asked for has finished
    /// (``hasExploredTheNetwork``) near peers, in the table or beyond it, are not offered at all.
    ///
    /// This is the defence against an eclipse through discovery. A node's far buckets hold a
    /// sample of the whole network that nobody can crowd out, while node ids ground to be close to
    /// it can fill its near buckets; and a young table holds little else, because a node's first
    /// lookup is of its own id and whoever answers it names the nodes closest to that id. So a
    /// young node dials only far peers (the bootnodes, the peers its first lookups passed) until
    /// a random-target lookup has filled its far buckets, and the near buckets' peers come only
    /// after every far one. In the simulator's `eclipse-discovery` at 10,000 nodes, a victim that
    /// dialed from its young table, near buckets sharing the rounds, gave 2 of its first 5 dials
    /// to sybils; with the far buckets merely first, 2 of 6, the first at 4 s from a table of
    /// the bootnodes and sybils only; with this order and the wait, none of 6 (the median node
    /// reaches its peer count 1.6 s later).
    ///
    /// - Parameters:
    ///   - table: the table's peers.
    ///   - distance: a peer's log distance from this node (its bucket).
    ///   - beyondTable: the peers beyond the table; evaluated only when needed.
    ///   - random: the node's injected random source, for the shuffles.
    ///   - eligible: the candidate for a found peer, or `nil` when it may not be dialed (itself,
    ///     connected, banned, refused by the dial filter).
    public func orderedCandidates<Found, Random: RandomNumberGenerator>(
        table: [Found], distance: (Found) -> Int, beyondTable: () -> [Found], using random: inout Random,
        eligible: (Found) -> Candidate?
    ) -> [Candidate] {
        let offersNear = hasExploredTheNetwork
        var far: [Int: [Candidate]] = [:], near: [Int: [Candidate]] = [:]
        for found in table {
            let bucket = distance(found)
            let isFar = bucket >= Self.nearestFarBucket
            guard isFar || offersNear, let candidate = eligible(found) else { continue }
            if isFar {
                far[bucket, default: []].append(candidate)
            } else {
                near[bucket, default: []].append(candidate)
            }
        }
        var candidates = Self.bucketRounds(far, using: &random) + Self.bucketRounds(near, using: &random)
        guard candidates.count < settings.targetPeerCount else { return candidates }
        var beyond = beyondTable().filter { offersNear || distance($0) >= Self.nearestFarBucket }.compactMap(eligible)
        beyond.shuffle(using: &random)
        candidates += beyond
        return candidates
    }

    /// The buckets' peers, a random one of each bucket per round, farthest bucket first.
    private static func bucketRounds<Random: RandomNumberGenerator>(_ byBucket: [Int: [Candidate]],
                                                                     using random: inout Random) -> [Candidate] {
        var buckets = byBucket.sorted { $0.key > $1.key }.map(\.value)
        for index in buckets.indices { buckets[index].shuffle(using: &random) }
        var candidates: [Candidate] = []
        for round in 0..<(buckets.map(\.count).max() ?? 0) {
            for bucket in buckets where round < bucket.count { candidates.append(bucket[round]) }
        }
        return candidates
    }
}
