import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing
@testable import AztecP2P

@Suite(.timeLimit(.minutes(1))) struct JSONRPCHTTPTests {
    @Test func servesJSONRPCHealthAndLimitsTheBody() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler, maxBodyBytes: 4096)
        defer { Task { try? await server.stop() } }

        let tx = TestTx.make(nullifiers: [1])
        let response = try await JSONRPCHTTPClient.post(host: "127.0.0.1", port: server.port,
                                                        body: Array(RPCFixture.send(tx).utf8))
        #expect(response.status == 200)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(object["result"] as? String == tx.hash.description)

        let health = try await JSONRPCHTTPClient.request(method: .GET, host: "127.0.0.1", port: server.port, path: "/health", body: [])
        #expect(health.status == 200)

        let oversized = [UInt8](repeating: UInt8(ascii: " "), count: 5000)
        let tooLarge = try await JSONRPCHTTPClient.post(host: "127.0.0.1", port: server.port, body: oversized)
        #expect(tooLarge.status == 413)
        let error = try #require(try JSONSerialization.jsonObject(with: Data(tooLarge.body)) as? [String: Any])
        #expect((error["error"] as? [String: Any])?["code"] as? Int == -32600)

        let notification = try await JSONRPCHTTPClient.post(host: "127.0.0.1", port: server.port,
                                                            body: Array(#"{"jsonrpc":"2.0","method":"aztec_getPoolStats"}"#.utf8))
        #expect(notification.status == 204)

        let wrongMethod = try await JSONRPCHTTPClient.request(method: .PUT, host: "127.0.0.1", port: server.port, path: "/", body: [])
        #expect(wrongMethod.status == 405)
        #expect(await f.service.poolStats.count == 1)
    }

    @Test func stalledClientsAreDisconnected() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler,
                                                       idleTimeout: .seconds(1))
        defer { Task { try? await server.stop() } }
        // A head announcing a body that never comes.
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: server.port).get()
        let head = "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"
        // On a loaded machine the server's idle timer may win the race with this write; either way
        // the connection must end, which is what is checked.
        try? await channel.writeAndFlush(ByteBuffer(string: head)).get()
        try await channel.closeFuture.get()
        #expect(!channel.isActive)
    }
}
