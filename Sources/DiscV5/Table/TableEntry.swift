import ENR

/// A node in the routing table: its record, id and UDP endpoint.
public struct TableEntry: Sendable, Equatable {
    /// The node's id, from its record's public key.
    public let nodeID: NodeID
    /// The node's latest verified record.
    public var record: NodeRecord
    /// The UDP endpoint the node is reached at.
    public var endpoint: Endpoint
    /// When the node was last seen alive (a response or a verified handshake).
    public var lastSeen: Duration

    /// An entry for `record`'s node at `endpoint`, its id computed from the record's key.
    public init(record: NodeRecord, endpoint: Endpoint, lastSeen: Duration) {
        self.nodeID = NodeID(publicKey: record.publicKey)
        self.record = record
        self.endpoint = endpoint
        self.lastSeen = lastSeen
    }

    /// An entry whose node id the caller already computed (it must be the record's).
    init(record: NodeRecord, nodeID: NodeID, endpoint: Endpoint, lastSeen: Duration) {
        self.nodeID = nodeID
        self.record = record
        self.endpoint = endpoint
        self.lastSeen = lastSeen
    }

    /// The session contact for this node.
    public var contact: NodeContact { NodeContact(record: record, endpoint: endpoint) }

    var subnet: Subnet? { Subnet(ip: endpoint.ip) }
}
