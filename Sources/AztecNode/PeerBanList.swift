import LibP2PCore

/// A peer the node refuses for a while: its GossipSub score fell below the ban threshold.
public struct PeerBan: Hashable, Sendable {
    public let peer: PeerID
    /// Its score when it was banned.
    public let score: Double
    /// When it was banned, and until when.
    public let since: ContinuousClock.Instant
    public let until: ContinuousClock.Instant
}

/// The bans in force. Bounded: past ``capacity`` the ban that ends soonest is dropped first, so
/// a flood of fresh identities costs memory proportional to the capacity, not to the flood.
struct PeerBanList {
    let duration: Duration
    let capacity: Int
    private var bans: [PeerID: PeerBan] = [:]

    init(duration: Duration, capacity: Int) {
        self.duration = duration
        self.capacity = max(1, capacity)
    }

    /// Bans `peer` from `now` for ``duration``.
    mutating func ban(_ peer: PeerID, score: Double, now: ContinuousClock.Instant) {
        bans[peer] = PeerBan(peer: peer, score: score, since: now, until: now + duration)
        if bans.count > capacity, let soonest = bans.values.min(by: { $0.until < $1.until })?.peer {
            bans[soonest] = nil
        }
    }

    /// Whether `peer` is banned at `now`.
    func isBanned(_ peer: PeerID, now: ContinuousClock.Instant) -> Bool {
        guard let ban = bans[peer] else { return false }
        return now < ban.until
    }

    /// Forgets the bans that ended before `now`.
    mutating func expire(now: ContinuousClock.Instant) { bans = bans.filter { now < $0.value.until } }

    /// The bans in force at `now`.
    func active(now: ContinuousClock.Instant) -> [PeerBan] { bans.values.filter { now < $0.until } }
}
