/// What the JSON-RPC methods call: implemented by ``AztecTxService`` (and by test doubles).
public protocol AztecRPCBackend: Sendable {
    /// `aztec_sendTransaction`: validates, pools and publishes the transaction given as SSZ bytes;
    /// returns its hash, or throws why it was refused.
    func submitTransaction(ssz: [UInt8]) async throws(TxSubmitError) -> TxHash
    /// `aztec_getTransaction`: the pooled transaction with `hash`, or `nil` when it is not in the pool.
    func pooledTransaction(_ hash: TxHash) async -> TxPool.Entry?
    /// `aztec_getPendingTransactions`: at most `limit` pooled transactions, highest priority fee
    /// first, starting after `cursor` (`nil`: from the top).
    func pendingTransactions(after cursor: TxPool.Cursor?, limit: Int) async -> [TxPool.Entry]
    /// `aztec_getPoolStats`: the pool's size, bounds and newest block.
    func poolStatistics() async -> TxPool.Stats
    /// `aztec_getPeers`: the connected peers.
    func connectedPeers() async -> [PeerSummary]
    /// Node description for `node_getNodeInfo` (topic, sync state, and what the facade adds).
    func nodeInfo() async -> [String: String]
}

extension AztecTxService: AztecRPCBackend {
    /// Calls ``AztecTxService/submit(ssz:)``.
    public func submitTransaction(ssz: [UInt8]) async throws(TxSubmitError) -> TxHash { try await submit(ssz: ssz) }
    /// Calls ``AztecTxService/transaction(_:)``.
    public func pooledTransaction(_ hash: TxHash) async -> TxPool.Entry? { transaction(hash) }
    /// Returns ``AztecTxService/poolStats``.
    public func poolStatistics() async -> TxPool.Stats { poolStats }
    /// Calls ``AztecTxService/peers()``.
    public func connectedPeers() async -> [PeerSummary] { await peers() }
    /// The keys `topic`, `aztecChainID`, `messageVersion` and `synced` (`true`/`false`); the node
    /// facade adds its own.
    public func nodeInfo() async -> [String: String] {
        [
            "topic": topicString,
            "aztecChainID": String(config.topic.aztecChainID),
            "messageVersion": String(config.topic.messageVersion),
            "synced": String(isSynced),
        ]
    }
}
