import GossipSub
import LibP2PCore

/// Things the host observed, for logging and tests.
public enum GossipSubHostEvent: Sendable, Hashable {
    /// A pubsub session with the peer started, over an outbound stream of the protocol
    /// negotiated (the first of `GossipSubHostConfiguration.protocols` the peer accepted).
    case peerConnected(PeerID, protocol: GossipProtocol)
    /// The peer's session ended (connection closed, write failure, slowness or shutdown).
    case peerDisconnected(PeerID)
    /// The peer joined this node's mesh for `topic`.
    case grafted(PeerID, topic: String)
    /// The peer left this node's mesh for `topic` (pruned by either side).
    case pruned(PeerID, topic: String)
    /// The peer received a behaviour penalty, by the router or for a malformed stream.
    case penalised(PeerID, reason: PenaltyReason)
    /// The peer's score moved by at least the configured delta since the last report.
    case scoreChanged(PeerID, from: Double, to: Double)
    /// Frames for a peer were dropped because its outbound queue was full.
    case slowPeer(PeerID, droppedFrames: Int)
    /// Forwards to the peer waited past their deadline (`OutboundQueuePolicy.forwardExpiry`) and
    /// were dropped unsent: `frames` since the last report. Reported, not scored: the network
    /// simulator finds honest home links behind most of them at 10 tx/s.
    case forwardsExpired(PeerID, frames: Int)
    /// The round-trip time to the peer was measured (``GossipSubHost/roundTripMeasured(_:to:)``).
    case roundTripMeasured(PeerID, Duration)
    /// A received message was dropped because the validation queue was full.
    case validationDropped(MessageID, topic: String)
}

/// An accepted message, as yielded to subscribers.
public struct ReceivedMessage: Sendable {
    /// The message as validated and accepted: its id, topic, payload and wire form.
    public let message: Message
    /// The peer the first copy came from.
    public let source: PeerID
    /// When the RPC carrying it was decoded.
    public let receivedAt: ContinuousClock.Instant
}

/// An asynchronous validator's verdict for one message from `source`.
public typealias GossipValidator = @Sendable (_ message: Message, _ source: PeerID) async -> ValidationResult
