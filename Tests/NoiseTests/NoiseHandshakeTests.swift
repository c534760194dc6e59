import Testing
@testable import Noise
import TestSupport

/// Runs an initiator and a responder back to back, delivering bytes `chunk` at a time (nil =
/// whole writes). Returns each side's terminal action.
func runHandshake(
    _ initiator: inout NoiseHandshake, _ responder: inout NoiseHandshake, chunk: Int? = nil,
    tamper: ((Int, inout [UInt8]) -> Void)? = nil
) -> (initiator: NoiseHandshake.Action?, responder: NoiseHandshake.Action?) {
    var toResponder: [UInt8] = []
    var toInitiator: [UInt8] = []
    var initiatorEnd: NoiseHandshake.Action?
    var responderEnd: NoiseHandshake.Action?
    var sends = 0
    func absorb(_ actions: [NoiseHandshake.Action], _ out: inout [UInt8], _ end: inout NoiseHandshake.Action?) {
        for action in actions {
            switch action {
            case .send(var bytes):
                tamper?(sends, &bytes)
                sends += 1
                out += bytes
            case .completed, .failed:
                end = action
            }
        }
    }
    absorb(initiator.start(), &toResponder, &initiatorEnd)
    var rounds = 0
    while rounds < 1_000_000, (!toResponder.isEmpty && responderEnd == nil) || (!toInitiator.isEmpty && initiatorEnd == nil) {
        rounds += 1
        if !toResponder.isEmpty && responderEnd == nil {
            let n = min(chunk ?? toResponder.count, toResponder.count)
            let piece = Array(toResponder.prefix(n))
            toResponder.removeFirst(n)
            absorb(responder.receive(piece), &toInitiator, &responderEnd)
        }
        if !toInitiator.isEmpty && initiatorEnd == nil {
            let n = min(chunk ?? toInitiator.count, toInitiator.count)
            let piece = Array(toInitiator.prefix(n))
            toInitiator.removeFirst(n)
            absorb(initiator.receive(piece), &toResponder, &initiatorEnd)
        }
    }
    return (initiatorEnd, responderEnd)
}

struct Peers {
    let alice = TestEd25519Identity(seed: 1)
    let bob = TestEd25519Identity(seed: 2)
    var rng = SeededRandom(state: 42)

    mutating func handshakes(
        expectBob: [UInt8]? = nil, aliceSigner: (any NoiseIdentitySigner)? = nil, bobSigner: (any NoiseIdentitySigner)? = nil,
        aliceExtensions: NoiseExtensions? = nil, bobExtensions: NoiseExtensions? = nil
    ) throws -> (NoiseHandshake, NoiseHandshake) {
        let i = try NoiseHandshake(role: .initiator, configuration: .init(
            identity: aliceSigner ?? alice, verifier: TestEd25519Verifier(),
            staticKey: try NoiseKeyPair.generate(using: &rng), expectedRemotePeerID: expectBob,
            extensions: aliceExtensions), using: &rng)
        let r = try NoiseHandshake(role: .responder, configuration: .init(
            identity: bobSigner ?? bob, verifier: TestEd25519Verifier(),
            staticKey: try NoiseKeyPair.generate(using: &rng), extensions: bobExtensions), using: &rng)
        return (i, r)
    }
}

func sessions(_ result: (initiator: NoiseHandshake.Action?, responder: NoiseHandshake.Action?)) -> (NoiseSession, NoiseSession)? {
    guard case .completed(let a)? = result.initiator, case .completed(let b)? = result.responder else { return nil }
    return (a, b)
}

@Test(arguments: [nil, 1, 7] as [Int?])
func libp2pHandshakeBackToBack(chunk: Int?) throws {
    var peers = Peers()
    let muxers = NoiseExtensions(streamMuxers: ["/yamux/1.0.0", "/mplex/6.7.0"])
    var (i, r) = try peers.handshakes(
        expectBob: peers.bob.peerID, aliceExtensions: NoiseExtensions(streamMuxers: ["/yamux/1.0.0"]), bobExtensions: muxers)
    let (a, b) = try #require(sessions(runHandshake(&i, &r, chunk: chunk)))
    #expect(a.remote.peerID == peers.bob.peerID)
    #expect(b.remote.peerID == peers.alice.peerID)
    #expect(a.remote.extensions == muxers)
    #expect(b.remote.extensions == NoiseExtensions(streamMuxers: ["/yamux/1.0.0"]))
    #expect(a.handshakeHash == b.handshakeHash)
    #expect(a.handshakeHash.count == 32)
    // The channel works both ways.
    var ta = a.transport
    var tb = b.transport
    tb.receive(try ta.encrypt(Array("hello bob".utf8)))
    #expect(try tb.nextMessage() == Array("hello bob".utf8))
    ta.receive(try tb.encrypt(Array("hello alice".utf8)))
    #expect(try ta.nextMessage() == Array("hello alice".utf8))
    // Finished machines refuse more input.
    guard case .failed(.failedEarlier)? = i.receive([0]).first else {
        Issue.record("expected failedEarlier")
        return
    }
}

@Test func handshakeFrameSizesFollowXX() throws {
    var peers = Peers()
    var (i, r) = try peers.handshakes()
    guard case .send(let m1)? = i.start().first else { throw NoiseError.outOfOrder }
    // -> e with an empty, unencrypted payload: 2-byte length + 32 bytes.
    #expect(m1.count == 34 && m1[0] == 0 && m1[1] == 32)
    guard case .send(let m2)? = r.receive(m1).first else { throw NoiseError.outOfOrder }
    // <- e, ee, s, es + payload: 32 + 48 + encrypted payload with tag.
    #expect(Int(m2[0]) << 8 | Int(m2[1]) == m2.count - 2)
    #expect(m2.count > 2 + 32 + 48 + 16)
}

@Test func bytesAfterTheLastHandshakeFrameGoToTheTransport() throws {
    var peers = Peers()
    var (i, r) = try peers.handshakes()
    guard case .send(let m1)? = i.start().first, case .send(let m2)? = r.receive(m1).first else {
        throw NoiseError.outOfOrder
    }
    let actions = i.receive(m2)
    guard case .send(let m3)? = actions.first, case .completed(var alice)? = actions.last else {
        throw NoiseError.outOfOrder
    }
    // Alice sends message 3 and, in the same write, her first transport frame.
    let data = try alice.transport.encrypt([1, 2, 3])
    guard case .completed(var bob)? = r.receive(m3 + data).last else { throw NoiseError.outOfOrder }
    #expect(try bob.transport.nextMessage() == [1, 2, 3])
}

@Test func tamperedHandshakeCiphertextFails() throws {
    var peers = Peers()
    var (i, r) = try peers.handshakes()
    // Flip a bit in the encrypted static key of message 2.
    let result = runHandshake(&i, &r) { index, bytes in
        if index == 1 { bytes[2 + 40] ^= 0x01 }
    }
    guard case .failed(let error)? = result.initiator else {
        Issue.record("initiator should fail, got \(String(describing: result.initiator))")
        return
    }
    #expect(error == .decryptionFailed)
}

@Test func wrongIdentitySignatureFails() throws {
    var peers = Peers()
    var (i, r) = try peers.handshakes(bobSigner: WrongDataSigner(inner: peers.bob))
    let result = runHandshake(&i, &r)
    guard case .failed(let error)? = result.initiator else {
        Issue.record("initiator should fail")
        return
    }
    #expect(error == .invalidIdentitySignature)

    // And the responder rejects a bad initiator signature in message 3.
    var (i2, r2) = try peers.handshakes(aliceSigner: WrongDataSigner(inner: peers.alice))
    let result2 = runHandshake(&i2, &r2)
    guard case .failed(let error2)? = result2.responder else {
        Issue.record("responder should fail")
        return
    }
    #expect(error2 == .invalidIdentitySignature)
}

@Test func peerIDMismatchFails() throws {
    var peers = Peers()
    let someoneElse = TestEd25519Identity(seed: 3).peerID
    var (i, r) = try peers.handshakes(expectBob: someoneElse)
    let result = runHandshake(&i, &r)
    guard case .failed(let error)? = result.initiator else {
        Issue.record("initiator should fail")
        return
    }
    #expect(error == .peerIDMismatch(expected: someoneElse, actual: peers.bob.peerID))
}

@Test func garbageFramesFail() throws {
    var peers = Peers()
    var (_, r) = try peers.handshakes()
    // A 5-byte message cannot hold an ephemeral key.
    guard case .failed(let error)? = r.receive([0, 5, 1, 2, 3, 4, 5]).last else {
        Issue.record("expected failure")
        return
    }
    #expect(error == .messageTooShort)
}

@Test func payloadCodecRoundTripsAndSkipsUnknownFields() throws {
    let payload = NoiseHandshakePayload(
        identityKey: [1, 2, 3], identitySignature: [4, 5],
        extensions: NoiseExtensions(webtransportCerthashes: [[9, 9]], streamMuxers: ["/yamux/1.0.0"]))
    let encoded = payload.encoded()
    #expect(try NoiseHandshakePayload(decoding: encoded[...]) == payload)
    // Unknown varint field 3, fixed32 field 7 and bytes field 9 are skipped.
    let withUnknown = encoded + [0x18, 0x96, 0x01, 0x3d, 1, 2, 3, 4, 0x4a, 0x01, 0xff]
    #expect(try NoiseHandshakePayload(decoding: withUnknown[...]) == payload)
    #expect(throws: NoiseError.invalidPayload(.truncated)) {
        try NoiseHandshakePayload(decoding: [0x0a, 0x05, 1][...])
    }
    #expect(throws: NoiseError.invalidPayload(.wrongWireType(field: 1))) {
        try NoiseHandshakePayload(decoding: [0x08, 0x01][...])
    }
    #expect(throws: NoiseError.invalidPayload(.truncated)) {
        try NoiseHandshakePayload(decoding: [0x0a, 0x80][...])
    }
}
