import Logging
import NIOCore
import NIOEmbedded
import Noise
import Synchronization
import Testing
@testable import LibP2P
import TestSupport

/// The handler on two in-memory channels sharing one testing event loop (virtual time).
@Suite(.timeLimit(.minutes(1))) struct P2PConnectionHandlerTests {
    struct Pair {
        let loop = NIOAsyncTestingEventLoop()
        let dialer: NIOAsyncTestingChannel
        let listener: NIOAsyncTestingChannel
        let dialed: EventLoopFuture<P2PConnection>
        let accepted: EventLoopFuture<P2PConnection>

        init(handlers: P2PStreamHandlers = [:], muxers: [MuxerProtocol] = [.yamux, .mplex]) async throws {
            var rng = SeededRandom(state: 3)
            let dialerUpgrade = try ConnectionUpgrade(
                role: .dialer,
                configuration: try UpgradeHarness.makeConfiguration(
                    UpgradeHarness.dialerIdentity, staticSeed: 31, muxers: muxers),
                ephemeralKey: try NoiseKeyPair.generate(using: &rng))
            let listenerUpgrade = try ConnectionUpgrade(
                role: .listener,
                configuration: try UpgradeHarness.makeConfiguration(
                    UpgradeHarness.listenerIdentity, staticSeed: 32, muxers: muxers),
                ephemeralKey: try NoiseKeyPair.generate(using: &rng))
            let dialedPromise = loop.makePromise(of: P2PConnection.self)
            let acceptedPromise = loop.makePromise(of: P2PConnection.self)
            dialed = dialedPromise.futureResult
            accepted = acceptedPromise.futureResult
            let logger = Logger(label: "test")
            let loop = self.loop
            dialer = try await NIOAsyncTestingChannel(loop: loop) { channel in
                try channel.pipeline.syncOperations.addHandler(P2PConnectionHandler(
                    upgrade: dialerUpgrade, protocols: StreamProtocolTable(), established: dialedPromise, logger: logger))
            }
            listener = try await NIOAsyncTestingChannel(loop: loop) { channel in
                try channel.pipeline.syncOperations.addHandler(P2PConnectionHandler(
                    upgrade: listenerUpgrade, protocols: StreamProtocolTable(handlers), established: acceptedPromise, logger: logger))
            }
            let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
            try await listener.connect(to: address)
            try await dialer.connect(to: address)
        }

        /// Moves every pending outbound buffer to the other side; returns whether any moved.
        @discardableResult
        func pump() async throws -> Bool {
            var moved = false
            while true {
                var step = false
                if let bytes = try await dialer.readOutbound(as: ByteBuffer.self) {
                    try await listener.writeInbound(bytes)
                    step = true
                }
                if let bytes = try await listener.readOutbound(as: ByteBuffer.self) {
                    try await dialer.writeInbound(bytes)
                    step = true
                }
                if !step { return moved }
                moved = true
            }
        }

        /// Pumps until `done` returns true (tasks on other threads may need a moment).
        func pump(until done: @Sendable () async -> Bool) async throws {
            for _ in 0..<5000 {
                if try await pump() { continue }
                if await done() { return }
                try await Task.sleep(for: .milliseconds(1))
            }
            Issue.record("pump did not reach the condition")
        }
    }

    @Test(arguments: [MuxerProtocol.yamux, .mplex])
    func upgradesAndEchoes(muxer: MuxerProtocol) async throws {
        let pair = try await Pair(handlers: TCPLoopbackTests.echoHandlers(), muxers: [muxer])
        try await pair.pump()
        let dialed = try await pair.dialed.get()
        let accepted = try await pair.accepted.get()
        #expect(dialed.muxer == muxer && accepted.muxer == muxer)
        #expect(dialed.remotePeerID == UpgradeHarness.listenerIdentity.peerID)
        #expect(accepted.remotePeerID == UpgradeHarness.dialerIdentity.peerID)

        let opening = dialed.openStreamFuture(protocol: TCPLoopbackTests.echo)
        let opened = completion(of: opening)
        try await pair.pump(until: { opened.get() })
        let stream = try await opening.get()
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let received = Task { try await TCPLoopbackTests.collect(stream) }
        let writing = Task {
            try await stream.write(ByteBuffer(bytes: payload))
            try await stream.closeWrite()
        }
        let done = Mutexed(false)
        let watcher = Task {
            _ = try? await writing.value
            _ = try? await received.value
            done.set(true)
        }
        try await pair.pump(until: { done.get() })
        _ = await watcher.value
        try await writing.value
        #expect(try await received.value == payload)
    }

    @Test func unsupportedProtocolFailsTheStreamOnly() async throws {
        let pair = try await Pair(handlers: TCPLoopbackTests.echoHandlers())
        try await pair.pump()
        let dialed = try await pair.dialed.get()
        let opening = dialed.openStreamFuture(protocol: "/nope/1.0.0")
        let failed = completion(of: opening)
        try await pair.pump(until: { failed.get() })
        await #expect(throws: P2PError.protocolNegotiation(.noCommonProtocol(proposed: ["/nope/1.0.0"]))) {
            _ = try await opening.get()
        }
        // The connection still works.
        let again = dialed.openStreamFuture(protocol: TCPLoopbackTests.echo)
        let againDone = completion(of: again)
        try await pair.pump(until: { againDone.get() })
        #expect(try await again.get().protocolID == TCPLoopbackTests.echo)
    }

    @Test func handshakeTimeoutClosesTheChannel() async throws {
        let pair = try await Pair()
        // The dialer's first bytes never reach the listener.
        _ = try await pair.dialer.readOutbound(as: ByteBuffer.self)
        let accepted = completion(of: pair.accepted)
        await pair.loop.advanceTime(by: .seconds(9))
        #expect(!accepted.get())
        await pair.loop.advanceTime(by: .seconds(1))
        await #expect(throws: P2PError.upgrade(.timedOut)) { _ = try await pair.accepted.get() }
        try await pair.listener.closeFuture.get()
    }

    @Test func garbageClosesTheChannelWithATypedError() async throws {
        let pair = try await Pair()
        try await pair.listener.writeInbound(ByteBuffer(bytes: Array("\u{7}hello!\n".utf8)))
        await #expect(throws: P2PError.upgrade(.securityNegotiation(.unsupportedHeader(received: "hello!")))) {
            _ = try await pair.accepted.get()
        }
        try await pair.listener.closeFuture.get()
    }

    @Test func peerClosingDuringTheUpgrade() async throws {
        let pair = try await Pair()
        try await pair.listener.close()
        await #expect(throws: P2PError.self) { _ = try await pair.accepted.get() }
    }
}

/// A flag set when `future` completes.
func completion<T>(of future: EventLoopFuture<T>) -> Mutexed<Bool> {
    let flag = Mutexed(false)
    future.whenComplete { _ in flag.set(true) }
    return flag
}

/// A tiny lock-protected box for test flags.
final class Mutexed<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    func get() -> Value { storage.withLock { $0 } }
    func set(_ value: Value) { storage.withLock { $0 = value } }
}
