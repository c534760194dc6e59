/// What the router asks the embedding layer to do. Switch over it exhaustively.
public enum GossipSubAction<Peer: GossipPeerID>: Sendable, Hashable {
    /// Write `rpc` to `peer`'s pubsub stream. Within one batch, control-only RPCs come before
    /// RPCs carrying messages.
    case send(to: Peer, rpc: RPC)
    /// A new message for the application to validate; answer with
    /// ``GossipSubRouter/validationResult(_:_:now:)``. Nothing is forwarded before `.accept`.
    case deliver(Message, source: Peer)
    /// Something happened that needs no action: for logging, metrics or peer management.
    case event(GossipSubEvent<Peer>)
}

/// Things that happened, for the application, scoring and metrics.
public enum GossipSubEvent<Peer: GossipPeerID>: Sendable, Hashable {
    /// `peer` announced a subscription to `topic`.
    case peerSubscribed(Peer, topic: String)
    /// `peer` announced it left `topic`.
    case peerUnsubscribed(Peer, topic: String)
    /// `peer` joined our mesh for `topic`.
    case grafted(Peer, topic: String)
    /// `peer` left our mesh for `topic` (we or they pruned).
    case pruned(Peer, topic: String)
    /// `peer` received `count` penalties for `reason`.
    case penalised(Peer, reason: PenaltyReason, count: Int)
    /// `peer` offered these peers in a PRUNE and its score passes the accept-PX threshold; the
    /// embedding layer may connect to them.
    case peerExchange(from: Peer, topic: String, peers: [PeerInfo])
}

/// Why ``GossipSubRouter/publish(topic:data:now:)`` refused a message.
public enum PublishError: Error, Equatable, Sendable {
    /// `data` is `size` bytes, above the topic's `limit` (`maxMessageSize` or its per-topic override).
    case messageTooLarge(size: Int, limit: Int)
    /// The same message id was published or received within the seen TTL.
    case duplicate(MessageID)
    /// Under StrictSign, the signer threw.
    case signingFailed
}
