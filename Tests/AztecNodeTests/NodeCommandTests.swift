import AztecHTTP
import AztecP2P
import ENR
import Foundation
import InteropSupport
import Testing

/// `aztec-p2p node` as an operator runs it: two processes on loopback, the second configured by
/// a JSON file naming the first as bootnode; a transaction sent over JSON-RPC to one reaches
/// the other's pool; both exit cleanly on SIGTERM.
@Suite(.tags(.integration)) struct NodeCommandTests {
    struct Started {
        let process: ExternalPeer
        let record: NodeRecord
        let rpc: AztecRPCClient
    }

    static func start(_ arguments: [String]) async throws -> Started {
        let process = try InteropPeers.launchAztecP2P(["node"] + arguments)
        let address = try await process.nextLine(timeout: .seconds(20))
        #expect(address.hasPrefix("/ip4/127.0.0.1/tcp/"))
        let record = try NodeRecord(text: try await process.nextLine(timeout: .seconds(10)))
        let rpcLine = try await process.nextLine(timeout: .seconds(10))
        let client = try #require(AztecRPCClient(url: String(rpcLine.dropFirst("json-rpc ".count))))
        #expect(address.hasSuffix("/p2p/\(record.peerID)"))
        return Started(process: process, record: record, rpc: client)
    }

    @Test(.timeLimit(.minutes(1)))
    func twoNodeProcessesJoinThroughABootnodeENRAndRelayATransaction() async throws {
        let directory = NSTemporaryDirectory() + "aztec-node-cli-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let a = try await Self.start(["--listen", "127.0.0.1:0", "--rpc", "127.0.0.1:0", "--metrics", "127.0.0.1:0",
                                      "--data-dir", directory + "/a"])
        let metricsLine = try await a.process.nextLine(timeout: .seconds(10))
        let metricsPort = try #require(metricsLine.split(separator: ":").last?.split(separator: "/").first.flatMap { Int($0) },
                                       "\(metricsLine)")
        let configPath = directory + "/b.json"
        let config = """
            {"listen": "127.0.0.1:0", "rpc": "127.0.0.1:0", "bootnodes": ["\(a.record.textEncoding)"], "dataDir": "\(directory)/b"}
            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let b = try await Self.start(["--config", configPath])
        #expect(try b.record.tcp != nil)
        #expect(try b.record.aztecChainID == 1)

        var rng = SplitMix64(seed: 9)
        let tx = SyntheticTransactions.make(size: 2_000, using: &rng)
        // node_sendTx refuses while A has no peer on the topic: retry until B has joined.
        var hash: TxHash?
        let deadline = ContinuousClock.now + .seconds(20)
        while hash == nil, ContinuousClock.now < deadline {
            hash = try? await a.rpc.sendTransaction(ssz: tx.sszEncoded())
            if hash == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(hash == tx.hash)
        let query = #"{"jsonrpc":"2.0","id":1,"method":"node_getTxByHash","params":["\#(tx.hash.description)"]}"#
        var found = false
        while !found, ContinuousClock.now < deadline {
            found = ((try? await b.rpc.call(body: Array(query.utf8))) as? [String: Any]) != nil
            if !found { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(found)
        let info = try await b.rpc.call(body: Array(#"{"jsonrpc":"2.0","id":2,"method":"node_getNodeInfo"}"#.utf8))
        let fields = try #require(info as? [String: Any])
        #expect(fields["enr"] as? String == b.record.textEncoding)

        // A's metrics endpoint: the transaction counters, the peer gauges and GossipSub's counters,
        // all through swift-metrics into the node's one swift-prometheus registry.
        let response = try await HTTPExchange.request(method: .GET, port: metricsPort, path: "/metrics")
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 200)
        #expect(text.contains("aztec_tx_submissions_total{result=\"accept\"} 1"), "\(text)")
        #expect(text.contains("aztec_node_topic_peers 1"), "\(text)")
        // The abuse counters of issue 15: inbound TCP refusals per limit, discovery bans.
        #expect(text.contains("# TYPE aztec_libp2p_inbound_refused_total counter"), "\(text)")
        #expect(text.contains("aztec_libp2p_inbound_refused_total{limit=\"pending_per_source\"} 0"), "\(text)")
        #expect(text.contains("aztec_discovery_bans_total 0"), "\(text)")
        // Topic discovery (issue 16): placements, advertisers known, registrar requests.
        #expect(text.contains("# TYPE aztec_discovery_topic_ads_placed gauge"), "\(text)")
        #expect(text.contains("# TYPE aztec_discovery_topic_requests_total counter"), "\(text)")
        #expect(text.contains("# TYPE gossipsub_messages_received_total counter"), "\(text)")
        #expect(text.contains("# TYPE gossipsub_peers gauge"), "\(text)")
        let notFound = try await HTTPExchange.request(method: .GET, port: metricsPort, path: "/other")
        #expect(notFound.status == 404)

        a.process.stop()
        b.process.stop()
        #expect(try await a.process.waitForExit(timeout: .seconds(5)) == 0)
        #expect(try await b.process.waitForExit(timeout: .seconds(5)) == 0)
        #expect(FileManager.default.fileExists(atPath: directory + "/b/node.key"))
    }
}
