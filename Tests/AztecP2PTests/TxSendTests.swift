import Foundation
import InteropSupport
import Testing
@testable import AztecP2P

@Suite(.timeLimit(.minutes(1))) struct TxSendTests {
    @Test func rpcClientSubmitsAndSurfacesErrors() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler)
        defer { Task { try? await server.stop() } }
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
        defer { Task { try? await server.stop() } }
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
}
