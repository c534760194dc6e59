import GossipSub
import LibP2PCore

/// Things the host observed, for logging and tests.
public enum GossipSubHostEvent: Sendable, Hashable {
    case peerConnected(PeerID, protocol: GossipProtocol)
    case peerDisconnected(PeerID)
    case grafted(PeerID, topic: String)
    case pruned(PeerID, topic: String)
    case penalised(PeerID, reason: PenaltyReason)
    /// The peer's score moved by at least the configured delta since the last report.
    case scoreChanged(PeerID, from: Double, to: Double)
    /// Frames for a peer were dropped because its outbound queue was full.
    case slowPeer(PeerID, droppedFrames: Int)
    /// A received message was dropped because the validation queue was full.
    case validationDropped(MessageID, topic: String)
}

/// An accepted message, as yielded to subscribers.
public struct ReceivedMessage: Sendable {
    public let message: Message
    /// The peer the first copy came from.
    public let source: PeerID
    /// When the RPC carrying it was decoded.
    public let receivedAt: ContinuousClock.Instant
}

/// An asynchronous validator's verdict for one message from `source`.
public typealias GossipValidator = @Sendable (_ message: Message, _ source: PeerID) async -> ValidationResult
