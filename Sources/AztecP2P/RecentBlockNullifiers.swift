/// The nullifiers of blocks published within the grace period (seed 002): a transaction that
/// spends one of them is dropped without penalty, since its sender may not have seen the block.
///
/// Sans-IO: `now` comes in; memory is bounded by what the node reports within one period.
public struct RecentBlockNullifiers: Sendable {
    /// How long after a block is reported its nullifiers cost a sender no penalty (``TxValidationConfig/nullifierGracePeriod``).
    public let gracePeriod: Duration
    private var blocks: [(number: UInt64, publishedAt: Duration, nullifiers: Set<Nullifier>)] = []
    /// The newest block reported.
    public private(set) var latestBlock: UInt64?

    /// An empty record with `gracePeriod`.
    public init(gracePeriod: Duration) { self.gracePeriod = gracePeriod }

    /// Records a published block.
    public mutating func blockPublished(_ block: BlockReport, now: Duration) {
        latestBlock = max(latestBlock ?? 0, block.number)
        prune(now: now)
        blocks.append((block.number, now, Set(block.nullifiers)))
    }

    /// The first of `nullifiers` spent by a block published within the grace period before `now`.
    public func recentlySpent(_ nullifiers: some Sequence<Nullifier>, now: Duration) -> Nullifier? {
        for block in blocks where block.publishedAt + gracePeriod >= now {
            for n in nullifiers where block.nullifiers.contains(n) { return n }
        }
        return nil
    }

    /// True when a block with `number` counts as very recent: within the period, or not reported yet.
    public func isRecent(blockNumber number: UInt64, now: Duration) -> Bool {
        if number > (latestBlock ?? 0) { return true }
        return blocks.contains { $0.number == number && $0.publishedAt + gracePeriod >= now }
    }

    private mutating func prune(now: Duration) {
        blocks.removeAll { $0.publishedAt + gracePeriod < now }
    }
}
