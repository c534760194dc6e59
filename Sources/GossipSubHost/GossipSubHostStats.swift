/// Running totals of one host (also exported through swift-metrics).
public struct GossipSubHostStats: Sendable, Hashable {
    /// Messages in received RPCs on subscribed topics (first copies and duplicates).
    public var messagesReceived = 0
    /// First copies handed to validation.
    public var messagesFirstSeen = 0
    /// Later copies of messages already seen.
    public var duplicates = 0
    /// Accepted messages delivered to subscribers.
    public var delivered = 0
    /// Messages this node published itself (successful `publish(topic:data:)` calls).
    public var published = 0
    /// Bytes of RPC frames read from peers, length prefixes included.
    public var bytesIn = 0
    /// Bytes of RPC frames queued to peers, length prefixes included; frames later cancelled
    /// by IDONTWANT or expired unsent are subtracted again.
    public var bytesOut = 0
    /// IHAVE control entries (one per topic) in RPCs queued to, and read from, peers.
    public var ihaveSent = 0, ihaveReceived = 0
    /// IWANT control entries in RPCs queued to, and read from, peers.
    public var iwantSent = 0, iwantReceived = 0
    /// IDONTWANT control entries in RPCs queued to, and read from, peers.
    public var idontwantSent = 0, idontwantReceived = 0
    /// Queued message sends dropped because the peer said IDONTWANT before they left.
    public var idontwantCancelledSends = 0
    /// PREAMBLE / IMRECEIVING: large messages announced before their bodies, IMRECEIVING entries
    /// sent, and queued sends dropped because the peer said it was receiving the message from another.
    public var preamblesSent = 0, imReceivingSent = 0, imReceivingCancelledSends = 0
    /// Outbound frames dropped because a peer's queue was full.
    public var framesDropped = 0
    /// Forwards dropped unsent because they waited past the queue policy's expiry
    /// (`OutboundQueuePolicy.forwardExpiry`); their bytes are not in ``bytesOut``.
    public var framesExpired = 0
    /// Received messages dropped because the validation queue was full.
    public var validationDropped = 0
    /// Peers disconnected for being too slow.
    public var slowPeerDisconnects = 0
    /// Peers whose stream sent undecodable frames.
    public var malformedStreams = 0
    /// Times ``GossipSubHost/publishPaced(topic:data:)`` waited for a peer's queue to drain.
    public var publishWaits = 0
    /// Inbound pubsub streams reset because the same peer opened a newer one (one per peer).
    public var replacedInboundStreams = 0
}
