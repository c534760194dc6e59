import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import LibP2P

/// Real sockets on the loopback interface, two endpoints in one process. Bounded by a time limit.
@Suite(.timeLimit(.minutes(1)), .serialized) struct TCPLoopbackTests {
    static let echo = "/test/echo/1.0.0"

    static func echoHandlers() -> P2PStreamHandlers {
        [echo: { stream in
            do {
                for try await buffer in stream { try await stream.write(buffer) }
                try await stream.closeWrite()
            } catch {
                await stream.reset()
            }
        }]
    }

    static func transport(
        _ identity: TestIdentity, staticSeed: UInt8, muxers: [MuxerProtocol] = [.yamux, .mplex],
        group: any EventLoopGroup, handlers: P2PStreamHandlers = [:], logger: Logger = Logger(label: "test")
    ) throws -> TCPTransport {
        try TCPTransport(
            group: group,
            upgrade: ConnectionUpgradeConfiguration(
                noise: identity.noiseConfiguration(staticSeed: staticSeed), muxers: muxers,
                // Generous: the whole suite runs in parallel on two cores, and a raw test peer
                // that upgrades slowly must not meet the listener's deadline before its attack.
                handshakeTimeout: .seconds(30)),
            handlers: handlers, logger: logger)
    }

    static func collect(_ stream: P2PStream) async throws -> [UInt8] {
        var out: [UInt8] = []
        for try await buffer in stream { out += buffer.readableBytesView }
        return out
    }

    static func echoRoundTrip(_ connection: P2PConnection, _ payload: [UInt8], chunk: Int) async throws -> [UInt8] {
        let stream = try await connection.openStream(protocol: echo)
        #expect(stream.protocolID == echo)
        async let received = collect(stream)
        var offset = 0
        while offset < payload.count {
            let end = min(offset + chunk, payload.count)
            try await stream.write(ByteBuffer(bytes: payload[offset..<end]))
            offset = end
        }
        try await stream.closeWrite()
        return try await received
    }

    @Test(arguments: ["127.0.0.1", "::1"], [MuxerProtocol.yamux, .mplex])
    func echoOverLoopback(host: String, muxer: MuxerProtocol) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try Self.transport(
            UpgradeHarness.listenerIdentity, staticSeed: 21, group: group, handlers: Self.echoHandlers())
        let listener = try await server.listen(host: host, port: 0)
        let client = try Self.transport(UpgradeHarness.dialerIdentity, staticSeed: 22, muxers: [muxer], group: group)
        let connection = try await client.dial(
            host: host, port: listener.localPort, expectedPeer: UpgradeHarness.listenerIdentity.peerID)
        #expect(connection.remotePeerID == UpgradeHarness.listenerIdentity.peerID)
        #expect(connection.muxer == muxer)
        #expect(connection.isDialer)

        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 11) }
        #expect(try await Self.echoRoundTrip(connection, payload, chunk: 100_000) == payload)

        try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<16 {
                group.addTask {
                    let data = [UInt8](repeating: UInt8(i), count: 40_000 + i * 1000)
                    return try await Self.echoRoundTrip(connection, data, chunk: 7000) == data
                }
            }
            var intact = 0
            for try await ok in group where ok { intact += 1 }
            #expect(intact == 16)
        }

        await connection.close()
        await listener.close()
        try await group.shutdownGracefully()
    }

    /// A long upload with nothing coming back until its end: with mplex no inbound bytes ever
    /// wake the writer, so only the socket's writability may (regression: a writability
    /// change during `flush()` was lost and the upload stalled at 256 KiB).
    @Test(arguments: [MuxerProtocol.mplex, .yamux])
    func uploadWithSilentReceiver(muxer: MuxerProtocol) async throws {
        let count = "/test/count/1.0.0"
        let answer = try await Self.upload(megabytes: 8, to: count, muxer: muxer, handlers: [count: Self.countBytes()])
        #expect(answer == "\(8 << 20)")
    }

    /// A handler that waits `delay` before it reads, reads to the end and answers the byte count.
    static func countBytes(after delay: Duration = .zero) -> @Sendable (P2PStream) async -> Void {
        { stream in
            do {
                try await Task.sleep(for: delay)
                var total = 0
                for try await buffer in stream { total += buffer.readableBytes }
                try await stream.write(ByteBuffer(string: "\(total)"))
                try await stream.closeWrite()
            } catch {
                await stream.reset()
            }
        }
    }

    /// Dials a listener serving `handlers` over `muxer`, writes `megabytes` MiB on one stream of
    /// `protocolID`, half-closes it and returns what came back as text.
    static func upload(
        megabytes: Int, to protocolID: String, muxer: MuxerProtocol, handlers: P2PStreamHandlers
    ) async throws -> String {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try Self.transport(UpgradeHarness.listenerIdentity, staticSeed: 21, group: group, handlers: handlers)
        let listener = try await server.listen(host: "127.0.0.1", port: 0)
        let client = try Self.transport(UpgradeHarness.dialerIdentity, staticSeed: 22, muxers: [muxer], group: group)
        let connection = try await client.dial(host: "127.0.0.1", port: listener.localPort)
        let answer: [UInt8]
        do {  // the stream's end must come while the event loops run
            let stream = try await connection.openStream(protocol: protocolID)
            async let received = Self.collect(stream)
            let chunk = ByteBuffer(bytes: [UInt8](repeating: 0x5A, count: 1 << 20))
            for _ in 0..<megabytes { try await stream.write(chunk) }
            try await stream.closeWrite()
            answer = try await received
        }
        await connection.close()
        await listener.close()
        try await group.shutdownGracefully()
        return String(decoding: answer, as: UTF8.self)
    }

    @Test func wrongExpectedPeerFailsTheDial() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try Self.transport(UpgradeHarness.listenerIdentity, staticSeed: 21, group: group)
        let listener = try await server.listen(host: "127.0.0.1", port: 0)
        let client = try Self.transport(UpgradeHarness.dialerIdentity, staticSeed: 22, group: group)
        let other = TestIdentity(seed: 9).peerID
        await #expect(throws: P2PError.upgrade(.handshake(.peerIDMismatch(
            expected: other, actual: UpgradeHarness.listenerIdentity.peerID)))) {
            _ = try await client.dial(host: "127.0.0.1", port: listener.localPort, expectedPeer: other)
        }
        await listener.close()
        try await group.shutdownGracefully()
    }

    @Test func garbagePeerIsClosedWhileAnotherConnectionKeepsWorking() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let records = CollectedLogs()
        let logger = Logger(label: "server") { _ in CollectingLogHandler(records: records) }
        let server = try Self.transport(
            UpgradeHarness.listenerIdentity, staticSeed: 21, group: group, handlers: Self.echoHandlers(),
            logger: logger)
        let listener = try await server.listen(host: "127.0.0.1", port: 0)
        let client = try Self.transport(UpgradeHarness.dialerIdentity, staticSeed: 22, group: group)
        let good = try await client.dial(host: "127.0.0.1", port: listener.localPort)

        // A raw TCP peer that sends an impossible multistream length prefix.
        let raw = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: listener.localPort).get()
        try await raw.writeAndFlush(ByteBuffer(bytes: [UInt8](repeating: 0xFF, count: 16)))
        try await raw.closeFuture.get()

        #expect(try await Self.echoRoundTrip(good, Array("still alive".utf8), chunk: 4) == Array("still alive".utf8))
        let warnings = records.messages.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        // 0xFF... is a varint length prefix that never ends: rejected as malformed or too long.
        #expect(warnings.first?.error?.contains("securityNegotiation") == true)

        await good.close()
        await listener.close()
        try await group.shutdownGracefully()
    }
}

/// Log records collected by a test.
final class CollectedLogs: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var error: String?
    }

    private let storage = Mutex<[Record]>([])
    func append(_ record: Record) { storage.withLock { $0.append(record) } }
    var messages: [Record] { storage.withLock { $0 } }
}

struct CollectingLogHandler: LogHandler {
    let records: CollectedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let error = event.metadata?["error"].map { "\($0)" }
        records.append(.init(level: event.level, message: "\(event.message)", error: error))
    }
}
