/// The seam between the router and peer scoring (gossipsub v1.1 P1–P7, not yet implemented).
///
/// The router asks for scores and reports the events scoring needs; ``NoPeerScore`` scores
/// every peer 0 and accepts PX from nobody.
public protocol PeerScoreProvider<Peer>: Sendable {
    /// The peer key, the router's `Peer`.
    associatedtype Peer: GossipPeerID

    /// The current score of `peer`.
    func score(_ peer: Peer, now: Duration) -> Double
    /// Thresholds the router compares scores against.
    var thresholds: PeerScoreThresholds { get }

    /// Behavioural penalty (P7): broken promises, GRAFT during backoff, …
    mutating func penalize(_ peer: Peer, reason: PenaltyReason, count: Int)
    /// A message's validation finished with `result`; `source` is the peer it first came from.
    mutating func validated(_ id: MessageID, topic: String, source: Peer, result: ValidationResult, now: Duration)
    /// `peer` joined this node's mesh for `topic`.
    mutating func grafted(_ peer: Peer, topic: String, now: Duration)
    /// `peer` left this node's mesh for `topic` (pruned by either side, or disconnected).
    mutating func pruned(_ peer: Peer, topic: String, now: Duration)
    /// Called once per heartbeat, before the router reads scores.
    mutating func refresh(now: Duration)

    /// A peer connected / disconnected (P5/P6 bookkeeping, retained scores).
    mutating func peerConnected(_ peer: Peer, now: Duration)
    /// A peer disconnected; its counters may be retained for a later reconnection.
    mutating func peerDisconnected(_ peer: Peer, now: Duration)
    /// The first copy of a message arrived from `peer` (validation starts now).
    mutating func firstReceived(_ id: MessageID, topic: String, from peer: Peer, now: Duration)
    /// Peers no longer connected whose retained counters (P₄ for a message that was still being
    /// validated when they left, say) score them below `threshold`, in ascending order.
    func disconnectedPeers(scoredBelow threshold: Double, now: Duration) -> [Peer]
    /// A later copy of an already seen message arrived from `peer` (P3 near-first deliveries).
    mutating func duplicateReceived(_ id: MessageID, topic: String, from peer: Peer, now: Duration)
    /// The IP addresses `peer` is connected from (P6 colocation), replacing earlier ones.
    mutating func setIPs(_ peer: Peer, _ ips: [String])
}

extension PeerScoreProvider {
    /// Does nothing: providers without per-peer bookkeeping need not implement it.
    public mutating func peerConnected(_ peer: Peer, now: Duration) {}
    /// Does nothing: providers without per-peer bookkeeping need not implement it.
    public mutating func peerDisconnected(_ peer: Peer, now: Duration) {}
    /// Does nothing: providers that do not score deliveries need not implement it.
    public mutating func firstReceived(_ id: MessageID, topic: String, from peer: Peer, now: Duration) {}
    /// Does nothing: providers that do not score deliveries need not implement it.
    public mutating func duplicateReceived(_ id: MessageID, topic: String, from peer: Peer, now: Duration) {}
    /// None: providers that retain nothing need not implement it.
    public func disconnectedPeers(scoredBelow threshold: Double, now: Duration) -> [Peer] { [] }
    /// Does nothing: providers without P₆ need not implement it.
    public mutating func setIPs(_ peer: Peer, _ ips: [String]) {}
}

/// Score thresholds of gossipsub v1.1 (all ≤ 0 except `acceptPXThreshold`).
public struct PeerScoreThresholds: Sendable, Hashable {
    /// Below: no gossip to or from the peer.
    public var gossipThreshold: Double
    /// Below: not chosen for own publishes.
    public var publishThreshold: Double
    /// Below: every RPC from the peer is ignored.
    public var graylistThreshold: Double
    /// At or above: PRUNE peer exchange from the peer is followed.
    public var acceptPXThreshold: Double
    /// Median mesh score below which the heartbeat grafts better-scoring peers
    /// (opportunistic grafting).
    public var opportunisticGraftThreshold: Double

    /// Thresholds with the given values; the defaults are those shown.
    public init(gossipThreshold: Double = -10, publishThreshold: Double = -50,
                graylistThreshold: Double = -80, acceptPXThreshold: Double = 10,
                opportunisticGraftThreshold: Double = 1) {
        self.gossipThreshold = gossipThreshold
        self.publishThreshold = publishThreshold
        self.graylistThreshold = graylistThreshold
        self.acceptPXThreshold = acceptPXThreshold
        self.opportunisticGraftThreshold = opportunisticGraftThreshold
    }
}

/// Why the router penalised a peer.
public enum PenaltyReason: Sendable, Hashable {
    /// The peer did not deliver a message it advertised in IHAVE within the IWANT follow-up time.
    case brokenPromise
    /// The peer let an INEED (lazy mesh push) time out and did not send the message within the
    /// IWANT follow-up time after it reached this node (``AnnounceParameters/maxDebtWait``).
    case unansweredNeed
    /// The peer sent GRAFT for a topic while its PRUNE backoff was running (twice when it came
    /// within the graft flood threshold).
    case graftDuringBackoff
    /// The peer sent a message the application rejected (``ValidationResult/reject``).
    case invalidMessage
    /// The message broke the signature policy or the size limit before validation.
    case malformedMessage
    /// The peer could not keep up with its outbound queue (reported by the embedding layer).
    case slowPeer
    /// A protocol rule broken on purpose or by a faulty peer, such as a second v1.3 Extensions
    /// message (a behaviour penalty of 10, as go-libp2p-pubsub gives it).
    case protocolViolation
}

/// Scoring disabled: every peer scores 0, which passes every threshold but PX.
public struct NoPeerScore<Peer: GossipPeerID>: PeerScoreProvider {
    /// The default thresholds; a score of 0 stays below only `acceptPXThreshold` (10), so no PX is followed.
    public var thresholds = PeerScoreThresholds()
    /// The disabled scorer.
    public init() {}
    /// Always 0.
    public func score(_ peer: Peer, now: Duration) -> Double { 0 }
    /// Ignored.
    public mutating func penalize(_ peer: Peer, reason: PenaltyReason, count: Int) {}
    /// Ignored.
    public mutating func validated(_ id: MessageID, topic: String, source: Peer, result: ValidationResult, now: Duration) {}
    /// Ignored.
    public mutating func grafted(_ peer: Peer, topic: String, now: Duration) {}
    /// Ignored.
    public mutating func pruned(_ peer: Peer, topic: String, now: Duration) {}
    /// Does nothing: there is nothing to decay.
    public mutating func refresh(now: Duration) {}
}
