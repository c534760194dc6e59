import ENR

/// What the caller of a ``DiscoveryNode`` must do or may report after an event.
public enum DiscoveryAction: Sendable, Equatable {
    /// Send `packet` as one UDP datagram to `endpoint`.
    case send(packet: [UInt8], to: Endpoint)
    /// A node entered the routing table and passes the ``PeerFilter``: a peer for the layers above.
    case discovered(DiscoveredPeer)
    /// A lookup finished with the closest nodes found (closest first).
    case lookupFinished(LookupID, [NodeRecord])
    /// A PING sent with ``DiscoveryNode/ping(_:now:using:)`` was answered.
    case pong(RequestID, Pong, from: NodeID)
    /// A FINDNODE sent with ``DiscoveryNode/findNode(_:distances:now:using:)`` was answered
    /// (all NODES messages, or those that arrived before the timeout).
    case nodes(RequestID, [NodeRecord], from: NodeID)
    /// A TALKREQ sent with ``DiscoveryNode/talk(_:protocolName:request:now:using:)`` was answered.
    case talkResponse(RequestID, [UInt8], from: NodeID)
    /// A REGTOPIC sent with ``DiscoveryNode/registerTopic(_:at:ticket:now:using:)`` was answered.
    case topicRegistration(RequestID, RegisterConfirmation, from: NodeID)
    /// A TOPICQUERY sent with ``DiscoveryNode/queryTopic(_:at:now:using:)`` was answered with these
    /// advertisers (all TOPICNODES messages, or those that arrived before the timeout).
    case topicNodes(RequestID, [NodeRecord], from: NodeID)
    /// A topic search started with ``DiscoveryNode/searchTopic(_:settings:now:using:)`` finished
    /// with these distinct advertisers.
    case topicSearchFinished(LookupID, [NodeRecord])
    /// A request sent by the caller failed.
    case requestFailed(RequestID, RequestFailure)
    /// The local record changed (external address votes); persist or publish it.
    case localRecordUpdated(NodeRecord)
    /// A node was banned (reported once per ban; log it).
    case banned(DiscoveryBan)
}
