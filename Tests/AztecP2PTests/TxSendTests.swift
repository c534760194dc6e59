import Foundation
import InteropSupport
import Testing
import AztecHTTP
@testable import AztecP2P

@Suite(.timeLimit(.minutes(1)), .tags(.integration)) struct TxSendTests {
    @Test func rpcClientSubmitsAndSurfacesErrors() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler)
        defer { Task { await server.stop() } }
        let client = try #require(AztecRPCClient(url: "http://127.0.0.1:\(server.port)/"))
        var rng = SplitMix64(seed: 11)
        let tx = SyntheticTransactions.make(size: 40_000, using: &rng)
        #expect(try await client.sendTransaction(ssz: tx.sszEncoded()) == tx.hash)
        do {
            _ = try await client.sendTransaction(ssz: tx.sszEncoded())
            Issue.record("a duplicate was accepted")
        } catch AztecRPCClient.CallError.rpc(let code, _) {
            #expect(code == JSONRPCErrorCode.transactionNotAccepted.rawValue)
        }
        #expect(AztecRPCClient(url: "https://example.org/") == nil)
        #expect(AztecRPCClient(url: "not a url") == nil)
    }

    @Test(.enabled(if: InteropPeers.aztecP2PExecutable != nil || ProcessInfo.processInfo.environment["CI"] != nil))
    func commandLineSendReachesTheServer() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler)
        defer { Task { await server.stop() } }
        let peer = try InteropPeers.launchAztecP2P(["tx", "send", "--rpc", "http://127.0.0.1:\(server.port)/",
                                                    "--random", "--size", "3000", "--seed", "42", "--fee", "3"])
        defer { peer.stop() }
        var rng = SplitMix64(seed: 42)
        let expected = SyntheticTransactions.make(size: 3000, priorityFee: 3, using: &rng)
        let line = try await peer.nextLine(timeout: .seconds(20))
        #expect(line == expected.hash.description)
        #expect(try await peer.waitForExit(timeout: .seconds(10)) == 0)
        #expect(await f.service.transaction(expected.hash)?.size == expected.sszEncodedLength)

        // A rejected transaction: non-zero exit, the error on stderr.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).ssz")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data([1, 2, 3]).write(to: file)
        let bad = try InteropPeers.launchAztecP2P(["tx", "send", "--rpc", "http://127.0.0.1:\(server.port)/", "--file", file.path])
        defer { bad.stop() }
        #expect(try await bad.waitForExit(timeout: .seconds(20)) == 1)
        #expect(bad.standardError.contains("-32000"))
    }

    /// `tx load`: every transaction reaches the pool, and the report counts them.
    @Test(.enabled(if: InteropPeers.aztecP2PExecutable != nil || ProcessInfo.processInfo.environment["CI"] != nil))
    func commandLineLoadSubmitsEveryTransaction() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler)
        defer { Task { await server.stop() } }
        // Runs `tx load` once: its exit status and its JSON report.
        func load() async throws -> (status: Int32, report: [String: Any]) {
            let process = try InteropPeers.launchAztecP2P(["tx", "load", "--rpc", "http://127.0.0.1:\(server.port)/",
                                                          "--count", "24", "--concurrency", "4", "--size", "3000", "--seed", "7"])
            defer { process.stop() }
            let line = try await process.nextLine(timeout: .seconds(30))
            let status = try await process.waitForExit(timeout: .seconds(10))
            return (status, try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]))
        }
        let (status, report) = try await load()
        #expect(status == 0)
        #expect(report["accepted"] as? Int == 24)
        #expect((report["failures"] as? [String: Any])?.isEmpty == true)
        #expect(await f.service.poolStats.count == 24)

        // Sent again, every one is already known: the report says so and the exit status is 1.
        let (secondStatus, secondReport) = try await load()
        #expect(secondStatus == 1)
        #expect(secondReport["accepted"] as? Int == 0)
        #expect((secondReport["failures"] as? [String: Int])?.values.reduce(0, +) == 24)
    }
}
