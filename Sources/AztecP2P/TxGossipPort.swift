/// What the transaction service needs from the GossipSub host; the facade implements it over the
/// router (subscribe/unsubscribe/publish with ``AztecTopic/messageIDFunction`` and `StrictNoSign`).
public protocol TxGossipPort: Sendable {
    /// Joins `topic` (the node became synced).
    func subscribe(topic: String) async
    /// Leaves `topic` (the node lost sync).
    func unsubscribe(topic: String) async
    /// Publishes `data` on `topic`; returns how many peers it was sent to.
    func publish(topic: String, data: [UInt8]) async -> Int
    /// Connected peers subscribed to `topic`.
    func topicPeerCount(topic: String) async -> Int
}

/// One connected peer, as `aztec_getPeers` reports it.
public struct PeerSummary: Hashable, Sendable, Codable {
    /// The libp2p peer id, base58.
    public var peerID: String
    /// The connection's remote multiaddr (empty when unknown).
    public var addresses: [String]
    /// The GossipSub peer score (0 when none is kept).
    public var score: Double
    /// `outbound` (this node dialed), `inbound` or `unknown`.
    public var direction: String

    /// A summary from its fields.
    public init(peerID: String, addresses: [String], score: Double, direction: String) {
        self.peerID = peerID
        self.addresses = addresses
        self.score = score
        self.direction = direction
    }
}

/// Where `aztec_getPeers` gets its answer (the facade's connection manager and peer scores).
public protocol PeerSource: Sendable {
    /// The connected peers.
    func peers() async -> [PeerSummary]
}

/// A gossip port that goes nowhere (tests, a node without networking).
public struct DetachedGossipPort: TxGossipPort, PeerSource {
    /// What ``publish(topic:data:)`` and ``topicPeerCount(topic:)`` report, so submissions can pass
    /// the peers check in tests.
    public let pretendPeers: Int
    /// A port that claims `pretendPeers` peers on every topic.
    public init(pretendPeers: Int = 0) { self.pretendPeers = pretendPeers }
    /// Does nothing.
    public func subscribe(topic: String) async {}
    /// Does nothing.
    public func unsubscribe(topic: String) async {}
    /// Sends nothing; returns ``pretendPeers``.
    public func publish(topic: String, data: [UInt8]) async -> Int { pretendPeers }
    /// Returns ``pretendPeers``.
    public func topicPeerCount(topic: String) async -> Int { pretendPeers }
    /// No peers.
    public func peers() async -> [PeerSummary] { [] }
}
