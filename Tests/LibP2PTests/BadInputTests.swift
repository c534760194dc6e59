import Logging
import Multistream
import NIOCore
import NIOPosix
import Testing
@testable import LibP2P

/// Hostile peers over real loopback TCP (issue 3, "Bad input"): each bad connection is dropped
/// with one warning naming its typed error, while a healthy connection to the same node keeps
/// working. The same inputs are checked at the sans-IO level in the Multistream, Noise, Yamux
/// and Mplex test targets, together with the cases that cannot be staged reliably over a socket:
/// a yamux receive-window violation (the node resets an inbound stream whose multistream
/// negotiation fails before a second frame could exceed its window, and credit it grants
/// meanwhile would make the excess legal) and a peer that stops reading (per-stream
/// backpressure: `YamuxBackpressureTests`, `MplexBackpressureTests`).
@Suite(.timeLimit(.minutes(1)), .serialized) struct BadInputTests {
    /// A listening node (echo handler, collected logs), a healthy connection to it, and a raw
    /// peer that misbehaves through `attack`. Checks that the raw peer is disconnected, that the
    /// healthy connection still echoes, and returns the node's warnings.
    private func afterAttack(
        muxer: MuxerProtocol, _ attack: (inout BadInputRawPeer) async throws -> Void
    ) async throws -> [CollectedLogs.Record] {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let records = CollectedLogs()
        let logger = Logger(label: "node") { _ in CollectingLogHandler(records: records) }
        let server = try TCPLoopbackTests.transport(
            UpgradeHarness.listenerIdentity, staticSeed: 21, muxers: [muxer], group: group,
            handlers: TCPLoopbackTests.echoHandlers(), logger: logger)
        let listener = try await server.listen(host: "127.0.0.1", port: 0)
        let client = try TCPLoopbackTests.transport(UpgradeHarness.dialerIdentity, staticSeed: 22, muxers: [muxer], group: group)
        let good = try await client.dial(host: "127.0.0.1", port: listener.localPort)

        var raw = try await BadInputRawPeer.connect(group: group, port: listener.localPort)
        try await attack(&raw)
        _ = await raw.readUntilClosed()

        let payload = pattern(100_000)
        #expect(try await TCPLoopbackTests.echoRoundTrip(good, payload, chunk: 30_000) == payload)
        await good.close()
        await listener.close()
        try await group.shutdownGracefully()
        return records.messages.filter { $0.level >= .warning }
    }

    private func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) } }

    private func expectOneWarning(_ warnings: [CollectedLogs.Record], naming error: String) {
        #expect(warnings.count == 1)
        #expect(warnings.first?.error?.contains(error) == true, "\(warnings.first?.error ?? "no warning")")
    }

    /// A yamux frame header.
    private func yamuxHeader(version: UInt8 = 0, type: UInt8, flags: UInt16, stream: UInt32, length: UInt32) -> [UInt8] {
        [version, type, UInt8(flags >> 8), UInt8(truncatingIfNeeded: flags)]
            + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: stream >> $0) }
            + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) }
    }

    private func upgraded(_ raw: inout BadInputRawPeer, _ muxer: MuxerProtocol) async throws {
        let result = try await raw.upgrade(muxer: muxer)
        if case .failure(let error) = result { Issue.record("upgrade failed: \(error)") }
    }

    // MARK: Upgrade

    @Test func garbageDuringMultistreamSelect() async throws {
        let warnings = try await afterAttack(muxer: .yamux) { raw in
            try await raw.send(Multistream.encodeMessage("/multistream/1.0.0") + [0x03, 0xFF, 0xFE, 0x0A])
        }
        expectOneWarning(warnings, naming: "invalidUTF8")
    }

    @Test func identitySignatureThatDoesNotVerify() async throws {
        let warnings = try await afterAttack(muxer: .yamux) { raw in
            let result = try await raw.upgrade(muxer: .yamux, identity: LyingSigner(honest: UpgradeHarness.dialerIdentity))
            if case .success = result { Issue.record("the node accepted a forged identity signature") }
        }
        expectOneWarning(warnings, naming: "invalidIdentitySignature")
    }

    // MARK: Noise transport

    @Test func noiseFrameWithBadTag() async throws {
        let warnings = try await afterAttack(muxer: .yamux) { raw in
            try await upgraded(&raw, .yamux)
            var frame = try raw.encrypt(yamuxHeader(type: 2, flags: 0x1, stream: 0, length: 7))
            frame[frame.count - 1] ^= 0x80
            try await raw.send(frame)
        }
        expectOneWarning(warnings, naming: "decryptionFailed")
    }

    @Test func noiseFrameShorterThanItsTag() async throws {
        let warnings = try await afterAttack(muxer: .yamux) { raw in
            try await upgraded(&raw, .yamux)
            try await raw.send([0x00, 0x05, 1, 2, 3, 4, 5])
        }
        expectOneWarning(warnings, naming: "frameTooShort")
    }

    // MARK: yamux

    @Test func yamuxUnknownVersion() async throws {
        let warnings = try await afterAttack(muxer: .yamux) { raw in
            try await upgraded(&raw, .yamux)
            try await raw.send(try raw.encrypt(yamuxHeader(version: 1, type: 1, flags: 0x1, stream: 1, length: 0)))
        }
        expectOneWarning(warnings, naming: "unsupportedVersion")
    }

    @Test func yamuxUnknownType() async throws {
        let warnings = try await afterAttack(muxer: .yamux) { raw in
            try await upgraded(&raw, .yamux)
            try await raw.send(try raw.encrypt(yamuxHeader(type: 9, flags: 0, stream: 0, length: 0)))
        }
        expectOneWarning(warnings, naming: "unknownFrameType")
    }

    @Test func yamuxOversizedFrame() async throws {
        let warnings = try await afterAttack(muxer: .yamux) { raw in
            try await upgraded(&raw, .yamux)
            try await raw.send(try raw.encrypt(yamuxHeader(type: 0, flags: 0x1, stream: 1, length: 1 << 30)))
        }
        expectOneWarning(warnings, naming: "frameTooLarge")
    }

    // MARK: mplex

    @Test func mplexOversizedFrame() async throws {
        let warnings = try await afterAttack(muxer: .mplex) { raw in
            try await upgraded(&raw, .mplex)
            // MessageInitiator on stream 1, length 1 MiB + 1 (the payload never comes).
            try await raw.send(try raw.encrypt([0x0A, 0x81, 0x80, 0x40]))
        }
        expectOneWarning(warnings, naming: "frameTooLarge")
    }

    @Test func mplexUnknownFlag() async throws {
        let warnings = try await afterAttack(muxer: .mplex) { raw in
            try await upgraded(&raw, .mplex)
            try await raw.send(try raw.encrypt([0x0F, 0x00]))
        }
        expectOneWarning(warnings, naming: "unknownFlag")
    }

    /// Data for a stream that was never opened ends only that stream: the node answers with a
    /// reset and the connection stays up (the raw peer then leaves on its own).
    @Test func mplexDataForAnUnknownStreamIsAnsweredWithReset() async throws {
        let warnings = try await afterAttack(muxer: .mplex) { raw in
            try await upgraded(&raw, .mplex)
            // MessageInitiator on stream 5, never opened: the answer is ResetReceiver on 5.
            try await raw.send(try raw.encrypt([0x2A, 0x03, 1, 2, 3]))
            #expect(try await raw.nextPlaintext() == [0x2D, 0x00])
            #expect(raw.channel.isActive)
            try await raw.channel.close()
        }
        #expect(warnings.isEmpty)
    }
}
