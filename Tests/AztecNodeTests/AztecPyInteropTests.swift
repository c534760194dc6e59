import AztecHTTP
import AztecNode
import AztecP2P
import Crypto
import Foundation
import InteropSupport
import LibP2PCore
import Testing

/// The Aztec topic across implementations: two Aztec nodes joined only through two py-libp2p
/// 0.8.1 GossipSub peers (A – P0 – P1 – B), so every transaction crosses py twice. Transactions
/// submitted over JSON-RPC on either side reach the other side's pool byte for byte (Snappy SSZ,
/// StrictNoSign, content message ids), and py's own garbage on the topic is rejected by both
/// Aztec nodes, which penalise the py peer that delivered it.
@Suite(.enabled(if: InteropPeers.pythonShouldRun), .timeLimit(.minutes(3)), .serialized, .tags(.integration))
struct AztecPyInteropTests {
    static func hex(_ digest: some Sequence<UInt8>) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    static func node(staticPeer: String) async throws -> AztecNode {
        var c = AztecNodeConfiguration()
        c.listenHost = "127.0.0.1"
        c.tcpPort = 0
        c.udpPort = 0
        c.discoveryEnabled = false
        c.staticPeers = [try Multiaddr(staticPeer)]
        c.dialInterval = .milliseconds(200)
        c.dialBackoff = .milliseconds(500)
        c.startSynced = true
        c.rpcHost = "127.0.0.1"
        c.rpcPort = 0
        let node = try AztecNode(configuration: c, state: AllUnspentStateProvider(), proofVerifier: AcceptAllProofVerifier())
        try await node.start()
        return node
    }

    @Test func transactionsCrossPyRelaysBothWaysAndPyGarbageIsRejected() async throws {
        let topic = AztecTopic(aztecChainID: 1, messageVersion: 1).description
        func launch(_ extra: [String]) throws -> ExternalPeer {
            try InteropPeers.launchPython("py_gossip.py", [
                "--muxer", "yamux", "--sign", "none", "--msg-id", "aztec", "--topic", topic,
                // Generous: on a loaded 2-core machine the py peers are the slowest part.
                "--timeout", "120", "--linger", "30", "--size", "3000",
            ] + extra)
        }
        // P0 publishes one message of random bytes once both transactions have crossed it (before,
        // it could reach A first: A would then rightly distrust P0 and take no gossip from it);
        // P1 expects it and both transactions.
        let p0 = try launch(["--publish", "1", "--publish-after", "2", "--expect", "2"])
        defer { p0.stop() }
        let p0Address = try await p0.nextLine(timeout: .seconds(30))
        let p1 = try launch(["--dial", p0Address, "--expect", "3"])
        defer { p1.stop() }
        let p1Address = try await p1.nextLine(timeout: .seconds(30))

        let a = try await Self.node(staticPeer: p0Address)
        let b = try await Self.node(staticPeer: p1Address)
        do {
            let p0Peer = try #require(try Multiaddr(p0Address).peerID)
            let p1Peer = try #require(try Multiaddr(p1Address).peerID)
            let joined = await NodeTestNetwork.eventually(timeout: .seconds(20)) {
                let aReady = await a.gossip.meshPeers(topic).contains(p0Peer)
                let bReady = await b.gossip.meshPeers(topic).contains(p1Peer)
                return aReady && bReady
            }
            #expect(joined)
            #expect(await a.gossip.connectedPeers() == [p0Peer])
            #expect(await b.gossip.connectedPeers() == [p1Peer])

            // One transaction from each side, over JSON-RPC: each must reach the other side's pool.
            let fromA = NodeTestNetwork.transaction(seed: 21, size: 40_000)
            let fromB = NodeTestNetwork.transaction(seed: 22, size: 40_000)
            _ = try await AztecRPCClient(host: "127.0.0.1", port: try #require(await a.rpcPort)).sendTransaction(ssz: fromA.sszEncoded())
            _ = try await AztecRPCClient(host: "127.0.0.1", port: try #require(await b.rpcPort)).sendTransaction(ssz: fromB.sszEncoded())
            let reachedB = await NodeTestNetwork.eventually(timeout: .seconds(40)) { await b.transaction(fromA.hash) != nil }
            let reachedA = await NodeTestNetwork.eventually(timeout: .seconds(40)) { await a.transaction(fromB.hash) != nil }
            // What A's router saw, for a failure to be read from the log.
            let aStats = await a.gossip.currentStats()
            let aMesh = await a.gossip.meshPeers(topic)
            #expect(reachedB, "A's gossip: \(aStats), mesh \(aMesh)")
            #expect(reachedA, "A's gossip: \(aStats), mesh \(aMesh)")

            // The py peers relayed the exact wire bytes (Snappy-compressed SSZ).
            let wire = [fromA, fromB].map { Self.hex(SHA256.hash(data: TxWireCodec.encode($0))) }
            for (name, peer) in [("P0", p0), ("P1", p1)] {
                var seen = Set<String>()
                var garbage: String?
                while true {
                    let line = try await peer.nextLine(timeout: .seconds(60))
                    guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                          let event = object["event"] as? String else { continue }
                    if event == "published" { garbage = object["sha256"] as? String }
                    if event == "msg", let sha = object["sha256"] as? String { seen.insert(sha) }
                    if event == "done" { break }
                }
                #expect(Set(wire).isSubset(of: seen), "\(name) saw \(seen)")
                if let garbage { #expect(!wire.contains(garbage)) }
            }

            // P0's own publish (random bytes, not a transaction) reaches A from P0 and B from P1:
            // rejected there, and the py peer that delivered it pays for it in the Aztec node's
            // score: one invalid message is enough for a ban, after which the node no longer lists
            // the peer's score. Nothing but the two transactions is pooled.
            #expect(await NodeTestNetwork.eventually {
                await a.transactions.metrics.gossipRejected + b.transactions.metrics.gossipRejected >= 1
            })
            #expect(await NodeTestNetwork.eventually {
                let p0Score = await a.peerScores()[p0Peer] ?? 0
                let p1Score = await b.peerScores()[p1Peer] ?? 0
                let p0Banned = await a.bannedPeers().contains { $0.peer == p0Peer }
                let p1Banned = await b.bannedPeers().contains { $0.peer == p1Peer }
                return p0Banned || p1Banned || min(p0Score, p1Score) < 0
            })
            #expect(await a.poolStats.count == 2)
            #expect(await b.poolStats.count == 2)
        } catch {
            await a.stop()
            await b.stop()
            throw error
        }
        await a.stop()
        await b.stop()
    }
}
