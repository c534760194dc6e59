import ENR

/// Which discovered peers an Aztec node dials: those whose ENR carries the node's `aztec` and
/// `eth` chain ids (seed 002's Aztec ENR keys). Records without the keys, or with malformed
/// values, are other networks' nodes and are skipped.
public struct AztecPeerFilter: Hashable, Sendable {
    /// The Aztec chain id a record's `aztec` ENR key must carry.
    public var aztecChainID: UInt64
    /// The Ethereum (L1) chain id a record's `eth` ENR key must carry.
    public var ethereumChainID: UInt64

    /// A filter for the nodes of the network with these chain ids.
    public init(aztecChainID: UInt64, ethereumChainID: UInt64) {
        self.aztecChainID = aztecChainID
        self.ethereumChainID = ethereumChainID
    }

    /// True when `record` advertises both chain ids: a node of this network (discovery reports
    /// only these, through its `PeerFilter`).
    public func isOnNetwork(_ record: NodeRecord) -> Bool {
        do {
            return try record.aztecChainID == aztecChainID && record.ethereumChainID == ethereumChainID
        } catch {
            return false
        }
    }

    /// True when `record` is on this network (``isOnNetwork(_:)``) with a TCP endpoint to dial.
    public func shouldDial(_ record: NodeRecord) -> Bool {
        guard isOnNetwork(record) else { return false }
        do {
            return try record.tcp != nil || record.tcp6 != nil
        } catch {
            return false
        }
    }
}
