import AztecP2P

/// The JSON-RPC backend of a node: the transaction service's answers, with `node_getNodeInfo`
/// extended by the facade's ENR, peer id, listen address and chain ids.
struct NodeRPCBackend: AztecRPCBackend {
    let node: AztecNode

    func submitTransaction(ssz: [UInt8]) async throws(TxSubmitError) -> TxHash { try await node.submit(ssz: ssz) }
    func pooledTransaction(_ hash: TxHash) async -> TxPool.Entry? { await node.transaction(hash) }
    func pendingTransactions(after cursor: TxPool.Cursor?, limit: Int) async -> [TxPool.Entry] {
        await node.pendingTransactions(after: cursor, limit: limit)
    }
    func poolStatistics() async -> TxPool.Stats { await node.poolStats }
    func connectedPeers() async -> [PeerSummary] { await node.peers() }
    func nodeInfo() async -> [String: String] {
        var info = await node.transactions.nodeInfo()
        info["peerId"] = "\(node.peerID)"
        info["ethereumChainID"] = String(node.configuration.ethereumChainID)
        if let address = await node.listenAddress { info["listenAddresses"] = "\(address)" }
        if let record = await node.localRecord { info["enr"] = record.textEncoding }
        return info
    }
}
