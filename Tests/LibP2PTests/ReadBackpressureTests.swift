import NIOCore
import NIOPosix
import Testing
@testable import LibP2P

/// A reader that falls behind slows the sender through TCP instead of losing its stream, however
/// long that takes; a reader that never reads loses only its own stream, after
/// ``P2PConnectionHandler/readStallTimeout``.
@Suite(.timeLimit(.minutes(1)), .serialized) struct ReadBackpressureTests {
    static let slow = "/test/slow-count/1.0.0"
    static let stuck = "/test/stuck/1.0.0"
    static let trickle = "/test/trickle/1.0.0"

    /// Yields when the stuck handler has dropped its stream.
    static let stuckHandlerEnded = AsyncStream<Void>.makeStream()

    static func handlers() -> P2PStreamHandlers {
        var handlers = TCPLoopbackTests.echoHandlers()
        // Everything the sender writes meanwhile is more than the mplex buffer limit (4 MiB).
        handlers[slow] = TCPLoopbackTests.countBytes(after: .seconds(3))
        // Takes one buffer every 300 ms for 18 s, then the rest at full speed. The sender fills
        // the stream's buffer at once: reads are held from half the mplex limit (2 MiB owed to
        // the muxer, behind 16 buffers taken already: about 48 buffers of 64 KiB) until the
        // reader is down to the low watermark of 4, which takes it more than 13 s, longer than
        // the stall timeout, although it takes a buffer three times a second all along.
        handlers[trickle] = { stream in
            do {
                var total = 0
                let slowUntil = ContinuousClock.now + .seconds(18)
                for try await buffer in stream {
                    total += buffer.readableBytes
                    if ContinuousClock.now < slowUntil { try await Task.sleep(for: .milliseconds(300)) }
                }
                try await stream.write(ByteBuffer(string: "\(total)"))
                try await stream.closeWrite()
            } catch {
                await stream.reset()
            }
        }
        handlers[stuck] = { stream in
            // Never reads; learns of the reset by writing a byte now and then, then lets go.
            while (try? await stream.write(ByteBuffer(bytes: [0]))) != nil { try? await Task.sleep(for: .milliseconds(50)) }
            stuckHandlerEnded.continuation.yield()
        }
        return handlers
    }

    @Test(arguments: [MuxerProtocol.mplex, .yamux])
    func aSlowReaderHoldsTheSenderBackInsteadOfLosingItsStream(muxer: MuxerProtocol) async throws {
        let answer = try await TCPLoopbackTests.upload(megabytes: 16, to: Self.slow, muxer: muxer, handlers: Self.handlers())
        #expect(answer == "\(16 << 20)")
    }

    /// A reader that takes a buffer every 300 ms keeps the connection's reads held for longer
    /// than the stall timeout; it takes bytes all along, so its stream survives.
    @Test func aReaderThatKeepsTakingBytesIsNotResetHoweverLongItHoldsTheConnection() async throws {
        let started = ContinuousClock.now
        let answer = try await TCPLoopbackTests.upload(megabytes: 8, to: Self.trickle, muxer: .mplex, handlers: Self.handlers())
        #expect(answer == "\(8 << 20)")
        #expect(ContinuousClock.now - started > .nanoseconds(P2PConnectionHandler.readStallTimeout.nanoseconds))
    }

    @Test func aReaderThatNeverReadsLosesItsStreamAndTheConnectionCarriesOn() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try TCPLoopbackTests.transport(
            UpgradeHarness.listenerIdentity, staticSeed: 21, group: group, handlers: Self.handlers())
        let listener = try await server.listen(host: "127.0.0.1", port: 0)
        let client = try TCPLoopbackTests.transport(UpgradeHarness.dialerIdentity, staticSeed: 22, muxers: [.mplex], group: group)
        let connection = try await client.dial(host: "127.0.0.1", port: listener.localPort)
        // In a scope of its own: a stream must not outlive the event loops (its end hops onto one).
        do {
            let stream = try await connection.openStream(protocol: Self.stuck)
            let started = ContinuousClock.now
            let chunk = ByteBuffer(bytes: [UInt8](repeating: 0x3C, count: 1 << 20))
            await #expect(throws: P2PError.streamReset) {
                for _ in 0..<64 { try await stream.write(chunk) }
            }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .seconds(9), "reset by the stall timeout, not by the buffer limit")
        }

        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        #expect(try await TCPLoopbackTests.echoRoundTrip(connection, payload, chunk: 50_000) == payload)
        for await _ in Self.stuckHandlerEnded.stream { break }
        await connection.close()
        await listener.close()
        try await group.shutdownGracefully()
    }
}
