import AztecNode
import AztecP2P
import DiscV5
import DiscV5NIO
import ENR
import Foundation
import GossipSub
import GossipSubHost
import LibP2PCore
import NIOPosix
import P2PCrypto
import SSZ

/// A loopback network for the end-to-end tests: a discv5 bootnode (a bare ``DiscoveryService``)
/// and Aztec nodes that know only the bootnode's ENR, with short intervals so they find each
/// other within a second or two.
struct NodeTestNetwork {
    static func configuration(bootnodes: [NodeRecord], dataDirectory: String? = nil) -> AztecNodeConfiguration {
        var c = AztecNodeConfiguration()
        c.listenHost = "127.0.0.1"
        c.tcpPort = 0
        c.udpPort = 0
        c.bootnodes = bootnodes
        c.dialInterval = .milliseconds(100)
        c.lookupInterval = .milliseconds(300)
        c.dialBackoff = .milliseconds(500)
        c.simultaneousDialGrace = .seconds(1)
        c.tickInterval = .milliseconds(300)
        c.discovery.refreshInterval = .seconds(1)
        // Every node is on 127.0.0.1: the per-subnet table limits would keep most of them out.
        c.discovery.table.maximumPerSubnetInBucket = nil
        c.discovery.table.maximumPerSubnetInTable = nil
        c.gossip.heartbeatInterval = .milliseconds(100)
        c.startSynced = true
        c.rpcHost = "127.0.0.1"
        c.rpcPort = 0
        c.dataDirectory = dataDirectory
        return c
    }

    static func bootnode() async throws -> DiscoveryService {
        var rng = SystemRandomNumberGenerator()
        var config = DiscoveryConfig()
        config.refreshInterval = .seconds(1)
        config.table.maximumPerSubnetInBucket = nil
        config.table.maximumPerSubnetInTable = nil
        return try await DiscoveryService.start(key: .generate(using: &rng), config: config, host: "127.0.0.1", port: 0)
    }

    static func node(bootnodes: [NodeRecord], dataDirectory: String? = nil,
                     state: any TxStateProvider = AllUnspentStateProvider()) async throws -> AztecNode {
        let node = try AztecNode(configuration: configuration(bootnodes: bootnodes, dataDirectory: dataDirectory),
                                 state: state, proofVerifier: AcceptAllProofVerifier())
        try await node.start()
        return node
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
    static func eventually(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    /// Waits until every node has at least `peers` peers on the transaction topic.
    static func waitForTopicMesh(_ nodes: [AztecNode], peers: Int, timeout: Duration = .seconds(15)) async -> Bool {
        let formed = await eventually(timeout: timeout) {
            for node in nodes where await node.topicPeers().count < peers { return false }
            return true
        }
        if !formed {
            for node in nodes {
                print("node \(node.peerID): topic peers \(await node.topicPeers().count), connected \(await node.gossip.connectedPeers().count), "
                    + "discovered \(await node.discoveredPeerCount()), table \(await node.knownRecords().count)")
            }
        }
        return formed
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "aztec-node-test-\(UInt64.random(in: 0...UInt64.max))"
        return path
    }

    static func transaction(seed: UInt64, size: Int = 4_000) -> AztecTransaction {
        var rng = SplitMix64(seed: seed)
        return SyntheticTransactions.make(size: size, using: &rng)
    }
}
