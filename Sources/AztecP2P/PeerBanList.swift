/// The peers a node refuses for a while because their GossipSub score fell below a threshold:
/// they are disconnected, and neither dialed nor accepted until the ban ends. Sans-IO (`now` is
/// time since any fixed origin), so the node and the network simulator run the same policy.
///
/// Bounded: past ``capacity`` the ban that ends soonest is dropped first, so a flood of fresh
/// identities costs memory proportional to the capacity, not to the flood.
public struct PeerBanList<Peer: Hashable & Sendable>: Sendable {
    /// One ban in force.
    public struct Ban: Hashable, Sendable {
        /// The banned peer.
        public let peer: Peer
        /// The peer's score when it was banned.
        public let score: Double
        /// When the ban began.
        public let since: Duration
        /// When the ban ends: ``since`` plus the list's ``PeerBanList/duration``.
        public let until: Duration
    }

    /// How long a ban lasts by default: 10 minutes.
    public static var defaultDuration: Duration { .seconds(600) }
    /// Bans remembered at once by default: 1,024.
    public static var defaultCapacity: Int { 1_024 }

    /// How long a ban lasts.
    public let duration: Duration
    /// Bans remembered at once.
    public let capacity: Int
    private var bans: [Peer: Ban] = [:]

    /// An empty list whose bans last `duration`; `capacity` is raised to 1 if smaller.
    public init(duration: Duration, capacity: Int) {
        self.duration = duration
        self.capacity = max(1, capacity)
    }

    /// Bans `peer` from `now` for ``duration``.
    public mutating func ban(_ peer: Peer, score: Double, now: Duration) {
        bans[peer] = Ban(peer: peer, score: score, since: now, until: now + duration)
        if bans.count > capacity, let soonest = bans.values.min(by: { $0.until < $1.until })?.peer {
            bans[soonest] = nil
        }
    }

    /// Bans every peer of `scores` below `threshold` that is not banned yet and returns those
    /// peers (to disconnect), in the order of `scores`.
    public mutating func banPeers(scoredBelow threshold: Double, _ scores: some Sequence<(Peer, Double)>,
                                  now: Duration) -> [Peer] {
        var banned: [Peer] = []
        for (peer, score) in scores where score < threshold && !isBanned(peer, now: now) {
            ban(peer, score: score, now: now)
            banned.append(peer)
        }
        return banned
    }

    /// Whether `peer` is banned at `now`.
    public func isBanned(_ peer: Peer, now: Duration) -> Bool {
        guard let ban = bans[peer] else { return false }
        return now < ban.until
    }

    /// Forgets the bans that ended before `now`.
    public mutating func expire(now: Duration) {
        guard !bans.isEmpty else { return }  // the common case, checked every second per node
        bans = bans.filter { now < $0.value.until }
    }

    /// The bans in force at `now`.
    public func active(now: Duration) -> [Ban] { bans.values.filter { now < $0.until } }
}
