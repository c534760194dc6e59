/// The router's score provider. The library's ``PeerScore`` is held as such, so that its calls
/// are specialised together with the router's and run on it in place (through an existential
/// its generic code ran unspecialised: a third of the heartbeat); any other provider goes
/// through the protocol. Exactly one of the two is set.
struct RouterScoring<Peer: GossipPeerID>: Sendable {
    private var standard: PeerScore<Peer>?
    private var custom: (any PeerScoreProvider<Peer>)?

    init(_ provider: any PeerScoreProvider<Peer>) {
        if let score = provider as? PeerScore<Peer> { standard = score } else { custom = provider }
    }

    var provider: any PeerScoreProvider<Peer> { standard ?? custom ?? NoPeerScore<Peer>() }

    // Not `a ?? b` below: the right side is a closure capturing `self`, and the compiler copied
    // the whole `PeerScore` into it on every call (retaining each of its tables), 3% of a
    // simulation's time. Optional chaining reads the stored provider in place.

    func score(_ peer: Peer, now: Duration) -> Double {
        if let score = standard?.score(peer, now: now) { return score }
        return custom?.score(peer, now: now) ?? 0
    }

    func disconnectedPeers(scoredBelow threshold: Double, now: Duration) -> [Peer] {
        if let peers = standard?.disconnectedPeers(scoredBelow: threshold, now: now) { return peers }
        return custom?.disconnectedPeers(scoredBelow: threshold, now: now) ?? []
    }

    var thresholds: PeerScoreThresholds {
        if let thresholds = standard?.thresholds { return thresholds }
        return custom?.thresholds ?? PeerScoreThresholds()
    }

    mutating func setIPs(_ peer: Peer, _ ips: [String]) {
        standard?.setIPs(peer, ips)
        custom?.setIPs(peer, ips)
    }

    mutating func penalize(_ peer: Peer, reason: PenaltyReason, count: Int) {
        standard?.penalize(peer, reason: reason, count: count)
        custom?.penalize(peer, reason: reason, count: count)
    }

    mutating func validated(_ id: MessageID, topic: String, source: Peer, result: ValidationResult, now: Duration) {
        standard?.validated(id, topic: topic, source: source, result: result, now: now)
        custom?.validated(id, topic: topic, source: source, result: result, now: now)
    }

    mutating func grafted(_ peer: Peer, topic: String, now: Duration) {
        standard?.grafted(peer, topic: topic, now: now)
        custom?.grafted(peer, topic: topic, now: now)
    }

    mutating func pruned(_ peer: Peer, topic: String, now: Duration) {
        standard?.pruned(peer, topic: topic, now: now)
        custom?.pruned(peer, topic: topic, now: now)
    }

    mutating func refresh(now: Duration) {
        standard?.refresh(now: now)
        custom?.refresh(now: now)
    }

    mutating func peerConnected(_ peer: Peer, now: Duration) {
        standard?.peerConnected(peer, now: now)
        custom?.peerConnected(peer, now: now)
    }

    mutating func peerDisconnected(_ peer: Peer, now: Duration) {
        standard?.peerDisconnected(peer, now: now)
        custom?.peerDisconnected(peer, now: now)
    }

    mutating func firstReceived(_ id: MessageID, topic: String, from peer: Peer, now: Duration) {
        standard?.firstReceived(id, topic: topic, from: peer, now: now)
        custom?.firstReceived(id, topic: topic, from: peer, now: now)
    }

    mutating func duplicateReceived(_ id: MessageID, topic: String, from peer: Peer, now: Duration) {
        standard?.duplicateReceived(id, topic: topic, from: peer, now: now)
        custom?.duplicateReceived(id, topic: topic, from: peer, now: now)
    }
}
