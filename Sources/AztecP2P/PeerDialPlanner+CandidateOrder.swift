extension PeerDialPlanner {
    /// How many buckets nearer than the farthest non-empty one still count as far (seven far
    /// buckets in all). A network of N honest nodes puts about N / 2^(j+1) of them j buckets
    /// nearer than the farthest, so with a few hundred nodes or more the far buckets all have
    /// peers, while ids sharing more than 7 leading bits with the node's own (cheap to grind, and
    /// what it takes to crowd its table) land nearer.
    public static var farBucketSpan: Int { 6 }

    /// The order in which a node offers discovered peers to ``plan(connected:outbound:meshShortfall:staticPeers:candidates:replaceable:now:)``:
    /// the eligible peers of its discovery table one bucket at a time, farthest bucket first, a
    /// random peer of each bucket per round; then, only while those are fewer than
    /// ``PeerDialSettings/targetPeerCount``, the eligible peers beyond the table (nodes it talked
    /// to that the table had no room for), shuffled: that is how a chain that is a minority of the
    /// discovery network finds its own.
    ///
    /// Spreading the dials over the buckets is the defence against an eclipse through discovery:
    /// a node's far buckets hold a sample of the whole network that nobody can crowd out, while
    /// node ids ground to be close to it can fill its near buckets. So the rounds go first over
    /// the buckets within ``farBucketSpan`` of the farthest non-empty one, and only then over the
    /// nearer ones: sybils that hold the near buckets are dialed only once every peer of the far
    /// ones has been offered, even while a young table has few far buckets (in the simulator's
    /// `eclipse-discovery` at 10,000 nodes, a victim dialing from a table of 10 to 32 entries gave
    /// 2 of its first 5 dials to sybils when all buckets shared the rounds).
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
        let sorted = byBucket.sorted { $0.key > $1.key }
        let nearest = (sorted.first?.key ?? 0) - Self.farBucketSpan
        var candidates: [Candidate] = []
        for group in [sorted.filter { $0.key >= nearest }, sorted.filter { $0.key < nearest }] {
            var buckets = group.map(\.value)
            for index in buckets.indices { buckets[index].shuffle(using: &random) }
            for round in 0..<(buckets.map(\.count).max() ?? 0) {
                for bucket in buckets where round < bucket.count { candidates.append(bucket[round]) }
            }
        }
        guard candidates.count < settings.targetPeerCount else { return candidates }
        var beyond = beyondTable().compactMap(eligible)
        beyond.shuffle(using: &random)
        return candidates + beyond
    }
}
