/// A node banned by a ``DiscoveryNode``: it sent ``DiscoveryConfig/invalidMessagesBeforeBan``
/// protocol violations in a session it had authenticated, so the ban cannot be provoked by
/// anyone else (source addresses are not authenticated; session keys are).
public struct DiscoveryBan: Sendable, Equatable {
    /// The banned node.
    public var nodeID: NodeID
    /// The endpoint its last offending packet came from.
    public var endpoint: Endpoint
    /// The last offence.
    public var reason: DiscV5Error
    /// Distinct offending packets counted.
    public var offences: Int
    /// When the ban ends (on the node's clock).
    public var until: Duration

    /// Creates a ban report.
    public init(nodeID: NodeID, endpoint: Endpoint, reason: DiscV5Error, offences: Int, until: Duration) {
        self.nodeID = nodeID
        self.endpoint = endpoint
        self.reason = reason
        self.offences = offences
        self.until = until
    }
}
