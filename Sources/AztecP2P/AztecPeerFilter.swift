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

    /// True when `record` advertises both chain ids and a TCP endpoint to dial.
    public func shouldDial(_ record: NodeRecord) -> Bool {
        do {
            guard try record.aztecChainID == aztecChainID, try record.ethereumChainID == ethereumChainID else { return false }
            let hasTCP = try record.tcp != nil || record.tcp6 != nil
            return hasTCP
        } catch {
            return false
        }
    }
}
