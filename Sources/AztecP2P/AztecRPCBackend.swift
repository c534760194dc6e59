/// What the JSON-RPC methods call: implemented by ``AztecTxService`` (and by test doubles).
public protocol AztecRPCBackend: Sendable {
    func submitTransaction(ssz: [UInt8]) async throws(TxSubmitError) -> TxHash
    func pooledTransaction(_ hash: TxHash) async -> TxPool.Entry?
    func pendingTransactions(after cursor: TxPool.Cursor?, limit: Int) async -> [TxPool.Entry]
    func poolStatistics() async -> TxPool.Stats
    func connectedPeers() async -> [PeerSummary]
    /// Node description for `node_getNodeInfo` (topic, sync state, and what the facade adds).
    func nodeInfo() async -> [String: String]
}

extension AztecTxService: AztecRPCBackend {
    public func submitTransaction(ssz: [UInt8]) async throws(TxSubmitError) -> TxHash { try await submit(ssz: ssz) }
    public func pooledTransaction(_ hash: TxHash) async -> TxPool.Entry? { transaction(hash) }
    public func poolStatistics() async -> TxPool.Stats { poolStats }
    public func connectedPeers() async -> [PeerSummary] { await peers() }
    public func nodeInfo() async -> [String: String] {
        [
            "topic": topicString,
            "aztecChainID": String(config.topic.aztecChainID),
            "messageVersion": String(config.topic.messageVersion),
            "synced": String(isSynced),
        ]
    }
}
