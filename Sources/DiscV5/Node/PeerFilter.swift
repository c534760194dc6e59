import ENR

/// Which records the layers above want: those announcing the required chain ids (the ENR keys
/// `aztec` and `eth`). A `nil` requirement admits any value, including none.
public struct PeerFilter: Sendable, Equatable {
    /// The Aztec chain id the record's `aztec` entry must carry.
    public var aztecChainID: UInt64?
    /// The Ethereum chain id the record's `eth` entry must carry.
    public var ethereumChainID: UInt64?

    /// A filter requiring the given chain ids; with no arguments it admits every record.
    public init(aztecChainID: UInt64? = nil, ethereumChainID: UInt64? = nil) {
        self.aztecChainID = aztecChainID
        self.ethereumChainID = ethereumChainID
    }

    /// Whether `record` matches every requirement (a malformed entry never matches).
    public func admits(_ record: NodeRecord) -> Bool {
        if let required = aztecChainID, (try? record.aztecChainID) != required { return false }
        if let required = ethereumChainID, (try? record.ethereumChainID) != required { return false }
        return true
    }
}
