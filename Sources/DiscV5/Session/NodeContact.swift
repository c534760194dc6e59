import ENR
import P2PCrypto

/// What is needed to start a session with a node: its public key and endpoint, and its record
/// when known.
public struct NodeContact: Sendable, Equatable {
    public let publicKey: Secp256k1.PublicKey
    public let nodeID: NodeID
    public let endpoint: Endpoint
    public let record: NodeRecord?

    /// A contact from a public key and endpoint (e.g. a bootnode given without record).
    public init(publicKey: Secp256k1.PublicKey, endpoint: Endpoint) {
        self.publicKey = publicKey
        self.nodeID = NodeID(publicKey: publicKey)
        self.endpoint = endpoint
        self.record = nil
    }

    /// A contact from a verified record and the endpoint to use.
    public init(record: NodeRecord, endpoint: Endpoint) {
        self.publicKey = record.publicKey
        self.nodeID = NodeID(publicKey: record.publicKey)
        self.endpoint = endpoint
        self.record = record
    }

    /// The session key of this contact.
    public var address: NodeAddress { NodeAddress(nodeID: nodeID, endpoint: endpoint) }
}
