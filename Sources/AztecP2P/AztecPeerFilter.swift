import ENR

/// Which discovered peers an Aztec node dials: those whose ENR carries the node's `aztec` and
/// `eth` chain ids (seed 002's Aztec ENR keys). Records without the keys, or with malformed
/// values, are other networks' nodes and are skipped.
public struct AztecPeerFilter: Hashable, Sendable {
    public var aztecChainID: UInt64
    public var ethereumChainID: UInt64

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
