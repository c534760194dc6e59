import ENR
import P2PCrypto

/// What is needed to start a session with a node: its public key and endpoint, and its record
/// when known.
public struct NodeContact: Sendable, Equatable {
    /// The node's static secp256k1 key, which the handshake encrypts to.
    public let publicKey: Secp256k1.PublicKey
    /// The node's id: Keccak-256 of ``publicKey``'s 64-byte x ‖ y (identity scheme v4).
    public let nodeID: NodeID
    /// Where to send its packets.
    public let endpoint: Endpoint
    /// Its record; `nil` when the contact was made from a key and endpoint alone.
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
