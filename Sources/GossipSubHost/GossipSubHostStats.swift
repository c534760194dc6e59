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
    public var published = 0
    public var bytesIn = 0
    public var bytesOut = 0
    public var ihaveSent = 0, ihaveReceived = 0
    public var iwantSent = 0, iwantReceived = 0
    public var idontwantSent = 0, idontwantReceived = 0
    /// Queued message sends dropped because the peer said IDONTWANT before they left.
    public var idontwantCancelledSends = 0
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
}
