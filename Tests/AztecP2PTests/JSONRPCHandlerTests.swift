import Foundation
import Testing
@testable import AztecP2P

struct StubPeers: PeerSource {
    func peers() async -> [PeerSummary] {
        [PeerSummary(peerID: "16Uiu2HAm-test", addresses: ["/ip4/127.0.0.1/tcp/4001"], score: 1.5, direction: "outbound")]
    }
}

/// Drives the sans-IO handler with raw bodies over a real service.
struct RPCFixture {
    let port = RecordingGossipPort()
    let service: AztecTxService
    let handler: JSONRPCHandler

    init(synced: Bool = true) async throws {
        service = try AztecTxService(config: AztecTxServiceConfig(), state: FixedState(), proofVerifier: FixedVerifier(),
                                     gossip: port, peers: StubPeers(), clock: ManualClock().function)
        handler = JSONRPCHandler(backend: service, maxBatchSize: 5)
        if synced { await service.syncStatusChanged(synced: true) }
    }

    func call(_ body: String) async throws -> Any {
        let response = try #require(await handler.handle(body: Array(body.utf8)))
        return try JSONSerialization.jsonObject(with: Data(response), options: [.fragmentsAllowed])
    }

    func errorCode(_ body: String) async throws -> Int? {
        let object = try #require(try await call(body) as? [String: Any])
        return (object["error"] as? [String: Any])?["code"] as? Int
    }

    static func send(_ tx: AztecTransaction, id: Int = 1, base64: Bool = false) -> String {
        let bytes = tx.sszEncoded()
        let text = base64 ? Data(bytes).base64EncodedString() : "0x" + HexCoding.encode(bytes)
        return #"{"jsonrpc":"2.0","id":\#(id),"method":"aztec_sendTransaction","params":["\#(text)"]}"#
    }
}

@Suite struct JSONRPCHandlerTests {
    @Test func sendThenGetTransactionHexAndBase64() async throws {
        let f = try await RPCFixture()
        let tx = TestTx.make(nullifiers: [1])
        let response = try #require(try await f.call(RPCFixture.send(tx, id: 7)) as? [String: Any])
        #expect(response["jsonrpc"] as? String == "2.0")
        #expect(response["id"] as? Int == 7)
        #expect(response["result"] as? String == tx.hash.description)

        let other = TestTx.make(nullifiers: [2])
        let viaBase64 = try #require(try await f.call(RPCFixture.send(other, base64: true)) as? [String: Any])
        #expect(viaBase64["result"] as? String == other.hash.description)

        let get = #"{"jsonrpc":"2.0","id":"a","method":"node_getTxByHash","params":{"hash":"\#(tx.hash)"}}"#
        let got = try #require(try await f.call(get) as? [String: Any])
        #expect(got["id"] as? String == "a")
        let result = try #require(got["result"] as? [String: Any])
        #expect(result["tx"] as? String == "0x" + HexCoding.encode(tx.sszEncoded()))
        #expect(result["priorityFee"] as? String == "1")

        let missing = #"{"jsonrpc":"2.0","id":2,"method":"aztec_getTransaction","params":["0x\#(String(repeating: "00", count: 32))"]}"#
        let none = try #require(try await f.call(missing) as? [String: Any])
        #expect(none["result"] is NSNull)
    }

    @Test func poolStatsPendingPeersAndNodeInfo() async throws {
        let f = try await RPCFixture()
        for i in 0..<3 { _ = try await f.call(RPCFixture.send(TestTx.make(nullifiers: [UInt64(i) + 1], fee: UInt128(i + 1)))) }
        let stats = try #require((try await f.call(#"{"jsonrpc":"2.0","id":1,"method":"aztec_getPoolStats"}"#) as? [String: Any])?["result"] as? [String: Any])
        #expect(stats["count"] as? Int == 3)
        let page = try #require((try await f.call(#"{"jsonrpc":"2.0","id":1,"method":"node_getPendingTxs","params":[2]}"#) as? [String: Any])?["result"] as? [String: Any])
        let txs = try #require(page["txs"] as? [[String: Any]])
        #expect(txs.map { $0["priorityFee"] as? String } == ["3", "2"])
        let next = try #require(page["next"] as? String)
        let rest = try #require((try await f.call(#"{"jsonrpc":"2.0","id":1,"method":"node_getPendingTxs","params":{"limit":2,"after":"\#(next)"}}"#) as? [String: Any])?["result"] as? [String: Any])
        #expect((rest["txs"] as? [[String: Any]])?.count == 1)
        #expect(rest["next"] is NSNull)
        let peers = try #require((try await f.call(#"{"jsonrpc":"2.0","id":1,"method":"aztec_getPeers","params":[]}"#) as? [String: Any])?["result"] as? [[String: Any]])
        #expect(peers.first?["peerId"] as? String == "16Uiu2HAm-test")
        let info = try #require((try await f.call(#"{"jsonrpc":"2.0","id":1,"method":"node_getNodeInfo"}"#) as? [String: Any])?["result"] as? [String: String])
        #expect(info["topic"] == "/aztec/1/tx/1")
        #expect(info["synced"] == "true")
    }

    @Test func parseError() async throws {
        let f = try await RPCFixture()
        #expect(try await f.errorCode(#"{"jsonrpc":"2.0","id":1,"method""#) == -32700)
        #expect(try await f.errorCode("\u{FF}\u{FE}") == -32700)
        let object = try #require(try await f.call("{") as? [String: Any])
        #expect(object["id"] is NSNull)
    }

    @Test func deeplyNestedJSONDoesNotCrash() async throws {
        let f = try await RPCFixture()
        let body = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let response = try #require(await f.handler.handle(body: Array(body.utf8)))
        #expect(!response.isEmpty)
    }

    /// The red team's body: 509 levels in 1 KB once cost 1.5 s of CPU. Past the depth limit it is a
    /// parse error naming the limit; a request at the limit is still parsed.
    @Test func nestingPastTheLimitIsAParseErrorNamingIt() async throws {
        let f = try await RPCFixture()
        let deep = #"{"jsonrpc":"2.0","id":1,"method":"aztec_getPoolStats","params":"# + String(repeating: "[", count: 509)
            + String(repeating: "]", count: 509) + "}"
        let object = try #require(try await f.call(deep) as? [String: Any])
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["code"] as? Int == -32700)
        #expect((error["message"] as? String)?.contains("deeper than 16") == true)
        let atLimit = #"{"jsonrpc":"2.0","id":1,"method":"aztec_getPoolStats","params":"# + String(repeating: "[", count: 15)
            + String(repeating: "]", count: 15) + "}"
        #expect(try await f.errorCode(atLimit) == -32602)
    }

    @Test func requestIDsComeBackExactly() async throws {
        let f = try await RPCFixture()
        for id in ["123456789012345678901234567890", "-0.5", "1e400", "9223372036854775807", #""x""#, "null"] {
            let body = #"{"jsonrpc":"2.0","id":\#(id),"method":"aztec_getPoolStats"}"#
            let response = try #require(await f.handler.handle(body: Array(body.utf8)))
            #expect(String(decoding: response, as: UTF8.self).contains(#""id":\#(id),"#), "id \(id)")
        }
    }

    /// A batch of `getTransaction` calls stops at the response budget: later members get -32003.
    @Test func batchResponsesStopAtTheBudget() async throws {
        let f = try await RPCFixture()
        let tx = TestTx.make(nullifiers: [1])
        _ = try await f.call(RPCFixture.send(tx))
        let one = #"{"jsonrpc":"2.0","id":0,"method":"aztec_getTransaction","params":["\#(tx.hash)"]}"#
        let single = try #require(await f.handler.handle(body: Array(one.utf8)))
        let budget = single.count * 2 + 100
        let handler = JSONRPCHandler(backend: f.service, maxBatchSize: 100, maxResponseBytes: budget)
        let batch = "[" + (1...100).map {
            #"{"jsonrpc":"2.0","id":\#($0),"method":"aztec_getTransaction","params":["\#(tx.hash)"]}"#
        }.joined(separator: ",") + "]"
        let response = try #require(await handler.handle(body: Array(batch.utf8)))
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(response)) as? [[String: Any]])
        #expect(objects.count == 100)
        #expect(objects.map { $0["id"] as? Int } == (1...100).map { $0 })
        let answered = objects.filter { $0["result"] is [String: Any] }.count
        let refused = objects.filter { ($0["error"] as? [String: Any])?["code"] as? Int == -32003 }.count
        #expect(answered == 2 && refused == 98)
        #expect(response.count <= budget + 98 * 140)
    }

    @Test func invalidRequest() async throws {
        let f = try await RPCFixture()
        #expect(try await f.errorCode(#"{"jsonrpc":"1.0","id":1,"method":"aztec_getPoolStats"}"#) == -32600)
        #expect(try await f.errorCode(#"{"id":1,"method":"aztec_getPoolStats"}"#) == -32600)
        #expect(try await f.errorCode(#"{"jsonrpc":"2.0","id":1,"method":5}"#) == -32600)
        #expect(try await f.errorCode(#"{"jsonrpc":"2.0","id":true,"method":"aztec_getPoolStats"}"#) == -32600)
        #expect(try await f.errorCode(#"{"jsonrpc":"2.0","id":{},"method":"aztec_getPoolStats"}"#) == -32600)
        #expect(try await f.errorCode("42") == -32600)
        #expect(try await f.errorCode("[]") == -32600)
        let sixCalls = "[" + Array(repeating: #"{"jsonrpc":"2.0","id":1,"method":"aztec_getPoolStats"}"#, count: 6).joined(separator: ",") + "]"
        #expect(try await f.errorCode(sixCalls) == -32600)
    }

    @Test func methodNotFound() async throws {
        let f = try await RPCFixture()
        #expect(try await f.errorCode(#"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}"#) == -32601)
    }

    @Test func invalidParams() async throws {
        let f = try await RPCFixture()
        let cases = [
            #"{"jsonrpc":"2.0","id":1,"method":"aztec_sendTransaction"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"aztec_sendTransaction","params":[]}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"aztec_sendTransaction","params":[42]}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"aztec_sendTransaction","params":["0xzz"]}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"aztec_sendTransaction","params":["not base64!"]}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"aztec_sendTransaction","params":"0x00"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"aztec_getTransaction","params":["0x1234"]}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"aztec_getPoolStats","params":[1]}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"node_getPendingTxs","params":[0]}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"node_getPendingTxs","params":["ten"]}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"node_getPendingTxs","params":[true]}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"node_getPendingTxs","params":[2,"0xabc"]}"#,
        ]
        for body in cases { #expect(try await f.errorCode(body) == -32602, "\(body)") }
    }

    @Test func applicationErrors() async throws {
        let f = try await RPCFixture()
        // Invalid transaction (malformed SSZ, then a structural rule).
        #expect(try await f.errorCode(#"{"jsonrpc":"2.0","id":1,"method":"aztec_sendTransaction","params":["0x0102"]}"#) == -32000)
        #expect(try await f.errorCode(RPCFixture.send(TestTx.make(nullifiers: [3, 3]))) == -32000)
        // Valid but not accepted: already pooled.
        let tx = TestTx.make(nullifiers: [1])
        _ = try await f.call(RPCFixture.send(tx))
        #expect(try await f.errorCode(RPCFixture.send(tx)) == -32001)
        // Not ready: no peers.
        await f.port.setPeerCount(0)
        #expect(try await f.errorCode(RPCFixture.send(TestTx.make(nullifiers: [9]))) == -32002)
        // Not synced.
        let unsynced = try await RPCFixture(synced: false)
        #expect(try await unsynced.errorCode(RPCFixture.send(TestTx.make(nullifiers: [9]))) == -32002)
    }

    @Test func internalError() async throws {
        let f = try await RPCFixture()
        await f.service.shutdown()
        #expect(try await f.errorCode(RPCFixture.send(TestTx.make(nullifiers: [1]))) == -32603)
    }

    @Test func batchesKeepOrderAndSkipNotifications() async throws {
        let f = try await RPCFixture()
        let body = "[" + [
            RPCFixture.send(TestTx.make(nullifiers: [1]), id: 1),
            #"{"jsonrpc":"2.0","method":"aztec_getPoolStats"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"nope"}"#,
            "17",
            #"{"jsonrpc":"2.0","id":5,"method":"aztec_getPoolStats"}"#,
        ].joined(separator: ",") + "]"
        let responses = try #require(try await f.call(body) as? [[String: Any]])
        #expect(responses.count == 4)
        #expect(responses[0]["id"] as? Int == 1 && responses[0]["result"] is String)
        #expect((responses[1]["error"] as? [String: Any])?["code"] as? Int == -32601)
        #expect((responses[2]["error"] as? [String: Any])?["code"] as? Int == -32600)
        #expect(responses[3]["id"] as? Int == 5)

        let onlyNotifications = #"[{"jsonrpc":"2.0","method":"aztec_getPoolStats"},{"jsonrpc":"2.0","method":"x"}]"#
        #expect(await f.handler.handle(body: Array(onlyNotifications.utf8)) == nil)
        #expect(await f.handler.handle(body: Array(#"{"jsonrpc":"2.0","method":"aztec_getPoolStats"}"#.utf8)) == nil)
    }
}
