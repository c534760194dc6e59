import ENR
import LibP2PCore

/// A peer for the layers above: its record, libp2p peer id and dialable TCP multiaddrs.
public struct DiscoveredPeer: Sendable, Equatable {
    /// The peer's verified node record.
    public let record: NodeRecord
    /// The libp2p peer id derived from the record's secp256k1 key.
    public let peerID: PeerID
    /// `/ip4|ip6/…/tcp/…/p2p/…` addresses from the record's `ip`/`ip6` and `tcp`/`tcp6` entries.
    public let multiaddrs: [Multiaddr]

    /// For a peer of the routing table, its log distance from this node (the table's bucket);
    /// `nil` for a peer from elsewhere.
    public let logDistance: Int?

    /// The peer of `record`; its `multiaddrs` are empty when the record has no usable TCP address.
    public init(record: NodeRecord, logDistance: Int? = nil) {
        self.record = record
        self.peerID = record.peerID
        self.multiaddrs = (try? record.tcpMultiaddrs) ?? []
        self.logDistance = logDistance
    }
}
