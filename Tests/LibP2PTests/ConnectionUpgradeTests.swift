import Multistream
import Noise
import Testing
@testable import LibP2P
import TestSupport

@Suite struct ConnectionUpgradeTests {
    @Test(arguments: [MuxerProtocol.yamux, .mplex], [false, true])
    func upgradesBackToBack(muxer: MuxerProtocol, byteByByte: Bool) throws {
        var h = try UpgradeHarness(dialerMuxers: [muxer], listenerMuxers: [.yamux, .mplex], byteByByte: byteByByte)
        h.run()
        let d = try #require(h.dialerOutcome.connection)
        let l = try #require(h.listenerOutcome.connection)
        #expect(d.negotiatedMuxer == muxer)
        #expect(l.negotiatedMuxer == muxer)
        #expect(d.isDialer && !l.isDialer)
        #expect(d.remote.peerID == UpgradeHarness.listenerIdentity.peerID)
        #expect(l.remote.peerID == UpgradeHarness.dialerIdentity.peerID)
        #expect(d.leftover.isEmpty && l.leftover.isEmpty)
        #expect(h.dialer.isFinished && h.listener.isFinished)
        #expect(h.dialer.nextDeadline == nil && h.listener.nextDeadline == nil)
    }

    @Test func dialerPreferenceWins() throws {
        var h = try UpgradeHarness(dialerMuxers: [.mplex, .yamux], listenerMuxers: [.yamux, .mplex])
        h.run()
        #expect(h.dialerOutcome.connection?.negotiatedMuxer == .mplex)
        #expect(h.listenerOutcome.connection?.negotiatedMuxer == .mplex)
    }

    @Test func fallsBackToSecondMuxer() throws {
        var h = try UpgradeHarness(dialerMuxers: [.yamux, .mplex], listenerMuxers: [.mplex], byteByByte: true)
        h.run()
        #expect(h.dialerOutcome.connection?.negotiatedMuxer == .mplex)
        #expect(h.listenerOutcome.connection?.negotiatedMuxer == .mplex)
    }

    @Test func noCommonMuxerFailsTheDialer() throws {
        var h = try UpgradeHarness(dialerMuxers: [.yamux], listenerMuxers: [.mplex])
        h.run()
        #expect(h.dialerOutcome.error == .muxerNegotiation(.noCommonProtocol(proposed: ["/yamux/1.0.0"])))
        // The listener keeps waiting for another proposal until the dialer hangs up.
        #expect(h.listenerOutcome.connection == nil)
        let actions = h.listener.peerClosed()
        guard case .failed(.closedByPeer) = actions.first else {
            Issue.record("expected closedByPeer, got \(actions)")
            return
        }
    }

    @Test func garbageBeforeSecurityNegotiationFailsTheListener() throws {
        var h = try UpgradeHarness()
        h.tamper = { fromDialer, index, bytes in
            // "G" reads as a 71-byte message: not the multistream header.
            if fromDialer, index == 0 {
                bytes = Array("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n".utf8)
            }
        }
        h.run()
        guard case .failed(.securityNegotiation(.unsupportedHeader)) = h.listenerOutcome else {
            Issue.record("expected unsupportedHeader, got \(h.listenerOutcome)")
            return
        }
    }

    @Test func garbageAnswerFailsTheDialer() throws {
        var h = try UpgradeHarness(byteByByte: true)
        h.tamper = { fromDialer, index, bytes in
            if !fromDialer, index == 0 { bytes = Multistream.encodeMessage("/tls/1.0.0") }
        }
        h.run()
        guard case .failed(.securityNegotiation(.unsupportedHeader)) = h.dialerOutcome else {
            Issue.record("expected unsupportedHeader, got \(h.dialerOutcome)")
            return
        }
    }

    @Test func oversizedMultistreamMessageIsRejected() throws {
        var h = try UpgradeHarness()
        h.tamper = { fromDialer, index, bytes in
            // Length prefix 0x7f 0x7f = 16383 bytes, above the 1024-byte default limit.
            if fromDialer, index == 0 { bytes = [0xFF, 0x7F] }
        }
        h.run()
        #expect(h.listenerOutcome.error == .securityNegotiation(.messageTooLong(length: 16383, limit: 1024)))
    }

    @Test func tamperedHandshakeFrameFailsTheDialer() throws {
        var h = try UpgradeHarness()
        // Listener chunk 1 is Noise message 2 (e, ee, s, es + payload): flip its last byte.
        h.tamper = { fromDialer, index, bytes in
            if !fromDialer, index == 1 { bytes[bytes.count - 1] ^= 0x01 }
        }
        h.run()
        #expect(h.dialerOutcome.error == .handshake(.decryptionFailed))
    }

    @Test func tamperedTransportFrameDuringMuxerNegotiation() throws {
        var h = try UpgradeHarness()
        // Listener chunk 2 is the encrypted multistream answer for the muxer.
        h.tamper = { fromDialer, index, bytes in
            if !fromDialer, index == 2 { bytes[5] ^= 0x80 }
        }
        h.run()
        #expect(h.dialerOutcome.error == .secureChannel(.decryptionFailed))
    }

    @Test func wrongExpectedPeerFailsTheDialer() throws {
        let other = TestIdentity(seed: 3).peerID
        var h = try UpgradeHarness(expectedPeer: other)
        h.run()
        #expect(h.dialerOutcome.error == .handshake(.peerIDMismatch(
            expected: other, actual: UpgradeHarness.listenerIdentity.peerID)))
    }

    @Test func expectedPeerMatches() throws {
        var h = try UpgradeHarness(expectedPeer: UpgradeHarness.listenerIdentity.peerID)
        h.run()
        #expect(h.dialerOutcome.connection != nil)
        #expect(h.listenerOutcome.connection != nil)
    }

    @Test func deadlineExceeded() throws {
        var h = try UpgradeHarness()
        // Only start: the listener never hears back from a peer that stalls.
        _ = h.listener.start(now: .seconds(100))
        #expect(h.listener.nextDeadline == .seconds(110))
        #expect(h.listener.timeout(now: .seconds(109)).isEmpty)
        let actions = h.listener.timeout(now: .seconds(110))
        guard actions.count == 1, case .failed(.timedOut) = actions[0] else {
            Issue.record("expected timedOut, got \(actions)")
            return
        }
        #expect(h.listener.nextDeadline == nil)
        guard case .failed(.invalidState) = h.listener.receive([1, 2, 3]).first else {
            Issue.record("receive after failure must fail")
            return
        }
    }

    @Test func deadlineSpansTheWholeUpgrade() throws {
        var h = try UpgradeHarness()
        // Hold back the listener's Noise message 2 and let time pass mid-handshake.
        _ = h.dialer.start(now: .zero)
        #expect(h.dialer.nextDeadline == .seconds(10))
        #expect(h.dialer.timeout(now: .seconds(5)).isEmpty)
        guard case .failed(.timedOut) = h.dialer.timeout(now: .seconds(10)).first else {
            Issue.record("expected timedOut")
            return
        }
    }

    @Test func receiveBeforeStartIsInvalid() throws {
        var h = try UpgradeHarness()
        guard case .failed(.invalidState) = h.listener.receive([0x13]).first else {
            Issue.record("expected invalidState")
            return
        }
    }

    @Test func invalidConfigurations() throws {
        let noise = try UpgradeHarness.dialerIdentity.noiseConfiguration(staticSeed: 1)
        var rng = SeededRandom(state: 1)
        let key = try NoiseKeyPair.generate(using: &rng)
        #expect(throws: ConnectionUpgradeError.invalidConfiguration("no muxer")) {
            try ConnectionUpgrade(role: .dialer, configuration: .init(noise: noise, muxers: []), ephemeralKey: key)
        }
        #expect(throws: ConnectionUpgradeError.invalidConfiguration("duplicate muxer")) {
            try ConnectionUpgrade(
                role: .dialer, configuration: .init(noise: noise, muxers: [.yamux, .yamux]), ephemeralKey: key)
        }
        #expect(throws: ConnectionUpgradeError.invalidConfiguration("non-positive handshake timeout")) {
            try ConnectionUpgrade(
                role: .listener, configuration: .init(noise: noise, handshakeTimeout: .zero), ephemeralKey: key)
        }
    }
}
