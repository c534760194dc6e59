import AztecHTTP
import Foundation
import InteropSupport
import NIOCore
import NIOPosix
import Testing
@testable import AztecP2P

@Suite(.timeLimit(.minutes(1))) struct JSONRPCHTTPTests {
    @Test func servesJSONRPCHealthAndLimitsTheBody() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler,
                                                       limits: HTTPEndpointLimits(maxBodyBytes: 4096))
        defer { Task { await server.stop() } }

        let tx = TestTx.make(nullifiers: [1])
        let response = try await HTTPExchange.post(port: server.port,
                                                        body: Array(RPCFixture.send(tx).utf8))
        #expect(response.status == 200)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(object["result"] as? String == tx.hash.description)

        let health = try await HTTPExchange.request(method: .GET, port: server.port, path: "/health")
        #expect(health.status == 200)

        let oversized = [UInt8](repeating: UInt8(ascii: " "), count: 5000)
        let tooLarge = try await HTTPExchange.post(port: server.port, body: oversized)
        #expect(tooLarge.status == 413)
        let error = try #require(try JSONSerialization.jsonObject(with: Data(tooLarge.body)) as? [String: Any])
        #expect((error["error"] as? [String: Any])?["code"] as? Int == -32600)

        let notification = try await HTTPExchange.post(port: server.port,
                                                            body: Array(#"{"jsonrpc":"2.0","method":"aztec_getPoolStats"}"#.utf8))
        #expect(notification.status == 204)

        let wrongMethod = try await HTTPExchange.request(method: .PUT, port: server.port, path: "/")
        #expect(wrongMethod.status == 405)
        #expect(await f.service.poolStats.count == 1)
    }

    @Test func aPortInUseIsNamedInTheError() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler)
        defer { Task { await server.stop() } }
        do {
            let second = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: server.port, handler: f.handler)
            await second.stop()
            Issue.record("a second server bound port \(server.port)")
        } catch let error as HTTPEndpointError {
            #expect(error.description.contains("127.0.0.1:\(server.port)"))
        }
    }

    @Test func stopIsGracefulAndReleasesThePort() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler)
        let port = server.port
        let idle = try await RawHTTPConnection.connect(port: port)
        await server.stop()
        // The idle keep-alive connection is closed by the shutdown, and the port is free again.
        let (_, closed) = try await idle.read()
        #expect(closed)
        let again = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: port, handler: f.handler)
        await again.stop()
    }
}

/// The red team's attacks on the JSON-RPC endpoint, kept as tests (issue 15).
@Suite(.timeLimit(.minutes(1))) struct HTTPHostileClientTests {
    static let stats = #"{"jsonrpc":"2.0","id":1,"method":"aztec_getPoolStats"}"#

    static func post(_ body: String, id: Int? = nil) -> String {
        let body = id.map { body.replacingOccurrences(of: #""id":1"#, with: #""id":\#($0)"#) } ?? body
        return "POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// Several requests in one write (they used to reset the connection with no response).
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler)
        defer { Task { await server.stop() } }
        let client = try await RawHTTPConnection.connect(port: server.port)
        defer { client.close() }
        try await client.send(Self.post(Self.stats, id: 1) + "GET /health HTTP/1.1\r\nhost: x\r\n\r\n" + Self.post(Self.stats, id: 3))
        let responses = try await client.readResponses(3)
        #expect(responses.count == 3)
        #expect(responses.allSatisfy { $0.hasPrefix("HTTP/1.1 200") })
        #expect(responses[0].contains(#""id":1"#) && responses[1].hasSuffix("ok\n") && responses[2].contains(#""id":3"#))
    }

    /// Slowloris: a head trickled a byte at a time is cut off at the header deadline, although
    /// the connection is never idle.
    @Test func aTrickledHeadIsCutOffAtTheHeaderDeadline() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler,
                                                       limits: HTTPEndpointLimits(headerTimeout: .milliseconds(500)))
        defer { Task { await server.stop() } }
        let client = try await RawHTTPConnection.connect(port: server.port)
        // 40 bytes at one per 100 ms would take 4 s: the server must close long before the end.
        var sent = 0
        for byte in "POST / HTTP/1.1\r\nhost: x\r\nx-padding: aaaaaaaaaaaaa".utf8 {
            do { try await client.channel.writeAndFlush(ByteBuffer(bytes: [byte])) } catch { break }
            sent += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        try await client.channel.closeFuture.get()
        #expect(sent < 40, "the server kept a trickling client for \(sent) bytes")
    }

    /// The client writes its request on the event loop as the connection opens: a caller whose
    /// executor runs late (as the cooperative pool does under load) still beats the server's header
    /// deadline. The client used to hop back to its task between connect and write, and got
    /// "connection closed before the response ended" from a loaded test run.
    @Test func theRequestIsSentAtOnceWhenTheCallersExecutorRunsLate() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler,
                                                       limits: HTTPEndpointLimits(headerTimeout: .milliseconds(500)))
        defer { Task { await server.stop() } }
        let late = LateExecutor(delay: .milliseconds(800))
        let response = try await withTaskExecutorPreference(late) {
            try await HTTPExchange.post(port: server.port, body: Array(Self.stats.utf8))
        }
        #expect(response.status == 200)
    }

    /// A head announcing a body that never comes is cut off at the body deadline.
    @Test func aStalledBodyIsCutOffAtTheBodyDeadline() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler,
                                                       limits: HTTPEndpointLimits(bodyTimeout: .milliseconds(300)))
        defer { Task { await server.stop() } }
        let client = try await RawHTTPConnection.connect(port: server.port)
        try await client.send("POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{")
        let (text, closed) = try await client.read()
        #expect(closed && text.isEmpty)
    }

    /// A flood from one address stops at the per-address cap; another address is still served.
    @Test func aConnectionFloodStopsAtThePerAddressCap() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler,
                                                       limits: HTTPEndpointLimits(maxConnectionsPerAddress: 4))
        defer { Task { await server.stop() } }
        var flood: [RawHTTPConnection] = []
        for _ in 0..<10 { flood.append(try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.3")) }
        defer { flood.forEach { $0.close() } }
        // Each flood connection either is refused (closed at once) or answers a request.
        var served = 0
        for connection in flood {
            try? await connection.send(Self.post(Self.stats))
            let (text, _) = try await connection.read { !RawHTTPConnection.split($0).isEmpty }
            if text.hasPrefix("HTTP/1.1 200") { served += 1 }
        }
        #expect(served == 4)
        let honest = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.4")
        defer { honest.close() }
        try await honest.send(Self.post(Self.stats))
        #expect(try await honest.readResponses(1).first?.hasPrefix("HTTP/1.1 200") == true)
    }

    /// At the total cap the server stops accepting; a waiting client is served once a slot frees.
    @Test func theConnectionCapQueuesNewcomersUntilASlotFrees() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler,
                                                       limits: HTTPEndpointLimits(maxConnections: 3))
        defer { Task { await server.stop() } }
        var holders: [RawHTTPConnection] = []
        for _ in 0..<3 {
            let holder = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.5")
            try await holder.send(Self.post(Self.stats))
            _ = try await holder.readResponses(1)   // accepted and served: it holds a slot now
            holders.append(holder)
        }
        let newcomer = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.6")
        defer { newcomer.close() }
        try await newcomer.send(Self.post(Self.stats))
        holders.removeFirst().close()
        #expect(try await newcomer.readResponses(1).first?.hasPrefix("HTTP/1.1 200") == true)
        holders.forEach { $0.close() }
    }

    /// A declared body over the limit is refused before it is read, and the connection closed.
    @Test func anOversizedBodyIsRefusedAndTheConnectionClosed() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler,
                                                       limits: HTTPEndpointLimits(maxBodyBytes: 1000))
        defer { Task { await server.stop() } }
        let declared = try await RawHTTPConnection.connect(port: server.port)
        try await declared.send("POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100000000\r\n\r\n[")
        let (text, closed) = try await declared.read()
        #expect(text.hasPrefix("HTTP/1.1 413") && closed)

        let chunked = try await RawHTTPConnection.connect(port: server.port)
        let chunk = String(repeating: " ", count: 800)
        try await chunked.send("POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n")
        let (chunkedText, chunkedClosed) = try await chunked.read()
        #expect(chunkedText.hasPrefix("HTTP/1.1 413") && chunkedClosed)
    }

    /// Bytes that are not HTTP get 400 and a closed connection; the server goes on serving.
    @Test func garbageGetsBadRequest() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler)
        defer { Task { await server.stop() } }
        let garbage = try await RawHTTPConnection.connect(port: server.port)
        try await garbage.send("\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\r\n\r\n")
        let (text, closed) = try await garbage.read()
        #expect(text.hasPrefix("HTTP/1.1 400") && closed)
        let response = try await HTTPExchange.post(port: server.port, body: Array(Self.stats.utf8))
        #expect(response.status == 200)
    }
}

/// A task executor that runs every job `delay` late: a cooperative pool busy with other work.
private final class LateExecutor: TaskExecutor {
    let delay: DispatchTimeInterval

    init(delay: DispatchTimeInterval) { self.delay = delay }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { job.runSynchronously(on: executor) }
    }
}
