import AztecHTTP
import AztecNode
import AztecP2P
import DiscV5NIO
import ENR
import Foundation
import GossipSub
import GossipSubHost
import LibP2PCore
import NIOPosix
import SSZ
import Testing

/// Whole nodes on loopback: discv5 bootnode, TCP + Noise + yamux, GossipSub, the transaction
/// service and JSON-RPC, with no static peering.
@Suite(.serialized) struct AztecNodeEndToEndTests {
    @Test(.timeLimit(.minutes(1)))
    func nodesFindEachOtherThroughDiscoveryGossipTransactionsAndPenaliseBadSenders() async throws {
        let bootnode = try await NodeTestNetwork.bootnode()
        let bootRecord = await bootnode.localRecord
        var nodes: [AztecNode] = []
        var bad: GossipSubHost?
        do {
            for _ in 0..<4 { nodes.append(try await NodeTestNetwork.node(bootnodes: [bootRecord])) }
            for node in nodes {
                #expect(node.configuration.staticPeers.isEmpty)
                let record = try #require(await node.localRecord)
                #expect(try record.tcp.map(Int.init) == (await node.tcpPort))
                #expect(try record.aztecChainID == 1)
                #expect(try record.ethereumChainID == 1)
                #expect(record.peerID == node.peerID)
            }
            // Every node finds the three others through the bootnode and dials them.
            #expect(await NodeTestNetwork.waitForTopicMesh(nodes, peers: 3))

            // A transaction submitted over JSON-RPC to node 0 reaches every pool.
            let tx = NodeTestNetwork.transaction(seed: 1)
            let rpcPort = try #require(await nodes[0].rpcPort)
            let hash = try await AztecRPCClient(host: "127.0.0.1", port: rpcPort).sendTransaction(ssz: tx.sszEncoded())
            #expect(hash == tx.hash)
            for node in nodes {
                #expect(await NodeTestNetwork.eventually { await node.transaction(hash) != nil })
            }

            // A misbehaving sender (a bare GossipSub host) publishes an invalid transaction (a
            // nullifier twice) to node 1: node 1 rejects it, and the sender's score drops below zero.
            let topic = nodes[1].configuration.topic.description
            var parameters = GossipSubConfig.Parameters(signaturePolicy: .strictNoSign)
            parameters.messageIDFunction = AztecTopic.messageIDFunction
            parameters.topicMaxMessageSize[topic] = TxLimits.default.maxMessageBytes
            var rng = SystemRandomNumberGenerator()
            let sender = try GossipSubHost.make(
                identity: .ed25519(using: &rng), config: try GossipSubConfig(validating: parameters), seed: 7,
                group: MultiThreadedEventLoopGroup.singleton)
            bad = sender
            await sender.start()
            let badSubscription = await sender.subscribe(topic)
            let node1Port = try #require(await nodes[1].tcpPort)
            // Dial (again, should the connection be lost) until each side sees the other on the topic.
            var joined = false
            for _ in 0..<8 where !joined {
                if await !sender.connectedPeers().contains(nodes[1].peerID) {
                    _ = try? await sender.dial(host: "127.0.0.1", port: node1Port, expectedPeer: nodes[1].peerID)
                }
                joined = await NodeTestNetwork.eventually(timeout: .seconds(2)) {
                    let seesNode = await sender.topicPeers(topic).contains(nodes[1].peerID)
                    let nodeSeesSender = await nodes[1].topicPeers().contains(sender.peerID)
                    return seesNode && nodeSeesSender
                }
            }
            #expect(joined)
            #expect((await nodes[1].peerScores()[sender.peerID] ?? -1) >= 0)

            var invalid = NodeTestNetwork.transaction(seed: 2)
            let nullifier = try #require(invalid.nullifiers.first)
            invalid.nullifiers = try SSZList([nullifier, nullifier])
            try await sender.publish(topic: topic, data: TxWireCodec.encode(invalid))
            // One invalid transaction is past the graylist threshold (-250 · 1² < -80): node 1
            // disconnects and bans the sender (within its next second of peer maintenance), and
            // refuses it when it dials again.
            #expect(await NodeTestNetwork.eventually { await nodes[1].bannedPeers().contains { $0.peer == sender.peerID && $0.score < -80 } })
            #expect(await nodes[1].transactions.metrics.gossipRejected >= 1)
            for node in nodes {
                #expect(await node.transaction(invalid.hash) == nil)
                for (peer, score) in await node.peerScores() where peer != sender.peerID { #expect(score >= 0) }
            }
            #expect(await NodeTestNetwork.eventually { await !sender.connectedPeers().contains(nodes[1].peerID) })
            _ = try? await sender.dial(host: "127.0.0.1", port: node1Port, expectedPeer: nodes[1].peerID)
            #expect(await NodeTestNetwork.eventually { await !sender.connectedPeers().contains(nodes[1].peerID) })
            try await Task.sleep(for: .milliseconds(500))
            #expect(await !nodes[1].topicPeers().contains(sender.peerID))
            #expect(await nodes[0].bannedPeers().isEmpty)
            withExtendedLifetime(badSubscription) {}

            // A block including the transaction: it leaves every pool.
            for node in nodes {
                let removals = await node.blockPublished(BlockReport(number: 1, includedTransactions: [hash], nullifiers: []))
                #expect(removals.map(\.hash) == [hash])
                #expect(await node.transaction(hash) == nil)
                #expect(await node.poolStats.count == 0)
            }
        } catch {
            await Self.shutDown(nodes, bootnode, bad)
            throw error
        }
        await Self.shutDown(nodes, bootnode, bad)
    }

    @Test(.timeLimit(.minutes(1)))
    func restartedNodeKeepsItsPoolAndRejoinsThroughSavedENRs() async throws {
        let bootnode = try await NodeTestNetwork.bootnode()
        let bootRecord = await bootnode.localRecord
        let directory = NodeTestNetwork.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var nodes: [AztecNode] = []
        do {
            for i in 0..<3 {
                nodes.append(try await NodeTestNetwork.node(bootnodes: [bootRecord], dataDirectory: i == 2 ? directory : nil))
            }
            #expect(await NodeTestNetwork.waitForTopicMesh(nodes, peers: 2))
            let tx = NodeTestNetwork.transaction(seed: 3)
            let hash = try await nodes[0].submit(ssz: tx.sszEncoded())
            #expect(await NodeTestNetwork.eventually { await nodes[2].transaction(hash) != nil })
            let peerID = nodes[2].peerID
            let dataDirectory = try #require(nodes[2].dataDirectory)
            #expect(await NodeTestNetwork.eventually { dataDirectory.loadKnownNodes().count >= 2 })

            // Stop node 2 and the bootnode; restart node 2 from its data directory alone.
            await nodes[2].stop()
            await bootnode.stop()
            let restarted = try await NodeTestNetwork.node(bootnodes: [], dataDirectory: directory)
            nodes[2] = restarted
            #expect(restarted.peerID == peerID)
            #expect(restarted.configuration.bootnodes.isEmpty)
            #expect(await restarted.transaction(hash) != nil)
            #expect(await NodeTestNetwork.waitForTopicMesh(nodes, peers: 2))

            // It takes part again: a new transaction from node 0 reaches it.
            let next = NodeTestNetwork.transaction(seed: 4)
            let nextHash = try await nodes[0].submit(ssz: next.sszEncoded())
            #expect(await NodeTestNetwork.eventually { await restarted.transaction(nextHash) != nil })
        } catch {
            await Self.shutDown(nodes, bootnode, nil)
            throw error
        }
        await Self.shutDown(nodes, bootnode, nil)
    }

    static func shutDown(_ nodes: [AztecNode], _ bootnode: DiscoveryService, _ bad: GossipSubHost?) async {
        await bad?.stop()
        for node in nodes { await node.stop() }
        await bootnode.stop()
    }
}

/// The static-dialing fallback and the sync gate, without discovery.
@Suite struct AztecNodeStaticPeeringTests {
    @Test(.timeLimit(.minutes(1)))
    func staticPeerIsDialedAndTheTopicIsJoinedOnlyOnceSynced() async throws {
        var configA = NodeTestNetwork.configuration(bootnodes: [])
        configA.discoveryEnabled = false
        configA.startSynced = false
        configA.rpcHost = nil
        let a = try AztecNode(configuration: configA, state: AllUnspentStateProvider(), proofVerifier: AcceptAllProofVerifier())
        try await a.start()
        var b: AztecNode?
        do {
            var configB = NodeTestNetwork.configuration(bootnodes: [])
            configB.discoveryEnabled = false
            configB.rpcHost = nil
            configB.staticPeers = [try #require(await a.listenAddress)]
            let nodeB = try AztecNode(configuration: configB, state: AllUnspentStateProvider(), proofVerifier: AcceptAllProofVerifier())
            b = nodeB
            try await nodeB.start()
            #expect(await nodeB.localRecord == nil)
            #expect(await NodeTestNetwork.eventually { await nodeB.gossip.connectedPeers().contains(a.peerID) })

            // A is not synced: not on the topic, and it refuses submissions.
            let early = NodeTestNetwork.transaction(seed: 5)
            await #expect(throws: TxSubmitError.notSynced) { try await a.submit(ssz: early.sszEncoded()) }
            try await Task.sleep(for: .milliseconds(500))
            #expect(await !nodeB.topicPeers().contains(a.peerID))

            // Synced: A joins the topic and receives B's transactions.
            await a.syncStatusChanged(synced: true)
            #expect(await NodeTestNetwork.eventually { await nodeB.topicPeers().contains(a.peerID) })
            let tx = NodeTestNetwork.transaction(seed: 6)
            let hash = try await nodeB.submit(ssz: tx.sszEncoded())
            #expect(await NodeTestNetwork.eventually { await a.transaction(hash) != nil })
            await #expect(throws: AztecNodeError.alreadyStarted) { try await nodeB.start() }
        } catch {
            await b?.stop()
            await a.stop()
            throw error
        }
        await b?.stop()
        await a.stop()
    }
}
