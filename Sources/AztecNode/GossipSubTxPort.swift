import AztecP2P
import GossipSub
import GossipSubHost
import LibP2P
import LibP2PCore

/// The transaction service's gossip port over a `GossipSubHost`: subscribing keeps one
/// subscription stream open (messages are pooled by the topic validator, so the stream is only
/// drained); unsubscribing ends it, which makes the router leave the topic.
actor GossipSubTxPort: TxGossipPort, PeerSource {
    let gossip: GossipSubHost
    let host: P2PHost
    private var drains: [String: Task<Void, Never>] = [:]

    init(gossip: GossipSubHost, host: P2PHost) {
        self.gossip = gossip
        self.host = host
    }

    func subscribe(topic: String) async {
        guard drains[topic] == nil else { return }
        let stream = await gossip.subscribe(topic)
        drains[topic] = Task { for await _ in stream {} }
    }

    func unsubscribe(topic: String) async {
        drains.removeValue(forKey: topic)?.cancel()
    }

    func publish(topic: String, data: [UInt8]) async -> Int {
        do {
            _ = try await gossip.publish(topic: topic, data: data)
        } catch {
            return 0
        }
        return await gossip.topicPeers(topic).count
    }

    func topicPeerCount(topic: String) async -> Int { await gossip.topicPeers(topic).count }

    func peers() async -> [PeerSummary] {
        let scores = await gossip.peerScores()
        return await gossip.connectedPeers().map { peer in
            let connection = host.connection(to: peer)
            let addresses = connection.flatMap { $0.remoteAddress.map { ["\($0)"] } } ?? []
            let direction = connection.map { $0.isDialer ? "outbound" : "inbound" } ?? "unknown"
            return PeerSummary(peerID: "\(peer)", addresses: addresses, score: scores[peer] ?? 0, direction: direction)
        }
    }

    func stop() {
        for task in drains.values { task.cancel() }
        drains = [:]
    }
}
