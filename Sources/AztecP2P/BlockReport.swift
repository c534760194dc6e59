/// A block the embedding node reports as published: the pool drops what it included, what its
/// nullifiers spend and what it made expire; validation gives its nullifiers a grace period.
public struct BlockReport: Hashable, Sendable {
    /// The block's number; pooled transactions whose `maxBlockNumber` is at most this expire.
    public var number: UInt64
    /// Hashes of the transactions the block includes.
    public var includedTransactions: [TxHash]
    /// Every nullifier the block emits.
    public var nullifiers: [Nullifier]

    /// A report of block `number`.
    public init(number: UInt64, includedTransactions: [TxHash], nullifiers: [Nullifier]) {
        self.number = number
        self.includedTransactions = includedTransactions
        self.nullifiers = nullifiers
    }
}
