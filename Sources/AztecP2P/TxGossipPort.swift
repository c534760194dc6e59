/// What the transaction service needs from the GossipSub host; the facade implements it over the
/// router (subscribe/unsubscribe/publish with ``AztecTopic/messageIDFunction`` and `StrictNoSign`).
public protocol TxGossipPort: Sendable {
    func subscribe(topic: String) async
    func unsubscribe(topic: String) async
    /// Publishes `data` on `topic`; returns how many peers it was sent to.
    func publish(topic: String, data: [UInt8]) async -> Int
    /// Connected peers subscribed to `topic`.
    func topicPeerCount(topic: String) async -> Int
}

/// One connected peer, as `aztec_getPeers` reports it.
public struct PeerSummary: Hashable, Sendable, Codable {
    public var peerID: String
    public var addresses: [String]
    public var score: Double
    public var direction: String

    public init(peerID: String, addresses: [String], score: Double, direction: String) {
        self.peerID = peerID
        self.addresses = addresses
        self.score = score
        self.direction = direction
    }
}

/// Where `aztec_getPeers` gets its answer (the facade's connection manager and peer scores).
public protocol PeerSource: Sendable {
    func peers() async -> [PeerSummary]
}

/// A gossip port that goes nowhere (tests, a node without networking).
public struct DetachedGossipPort: TxGossipPort, PeerSource {
    public let pretendPeers: Int
    public init(pretendPeers: Int = 0) { self.pretendPeers = pretendPeers }
    public func subscribe(topic: String) async {}
    public func unsubscribe(topic: String) async {}
    public func publish(topic: String, data: [UInt8]) async -> Int { pretendPeers }
    public func topicPeerCount(topic: String) async -> Int { pretendPeers }
    public func peers() async -> [PeerSummary] { [] }
}
