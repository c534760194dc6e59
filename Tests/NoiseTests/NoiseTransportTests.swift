import NIOCore
import Testing
@testable import Noise
import TestSupport

private func connectedTransports() throws -> (NoiseTransport, NoiseTransport) {
    var peers = Peers()
    var (i, r) = try peers.handshakes()
    let (a, b) = try #require(sessions(runHandshake(&i, &r)))
    return (a.transport, b.transport)
}

@Test(arguments: [0, 1, 65519, 65520, 1 << 20])
func transportRoundTrips(size: Int) throws {
    var (a, b) = try connectedTransports()
    var rng = SeededRandom(state: UInt64(size))
    let plaintext = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let wire = try a.encrypt(plaintext)
    let frames = max(1, (size + 65518) / 65519)
    #expect(wire.count == size + frames * 18)
    // Whole.
    b.receive(wire)
    var received: [UInt8] = []
    var messages = 0
    while let message = try b.nextMessage() {
        received += message
        messages += 1
    }
    #expect(received == plaintext)
    #expect(messages == frames)
    #expect(b.bufferedByteCount == 0)
}

@Test func piecesAreEncryptedInFramesOfTheirOwn() throws {
    var (a, b) = try connectedTransports()
    let header: [UInt8] = [1, 2, 3]
    let payload = (0..<100_000).map { UInt8(truncatingIfNeeded: $0) }
    let pieces = [header[...], payload[10...], [][...], header[1...]]
    var wire = ByteBuffer()
    try a.encrypt(pieces: pieces, into: &wire)
    // 3 bytes; 99,990 in two frames; an empty piece's tag-only frame; 2 bytes.
    #expect(wire.readableBytes == 3 + 99_990 + 2 + 5 * 18)
    b.receive(Array(wire.readableBytesView))
    var messages: [[UInt8]] = []
    while let message = try b.nextMessage() { messages.append(message) }
    #expect(messages.map(\.count) == [3, 65_519, 34_471, 0, 2])
    #expect(Array(messages.joined()) == header + payload[10...] + [2, 3])
    // One piece is what encrypting the bytes as one write gives.
    var (c, d) = try connectedTransports()
    var whole = ByteBuffer()
    try c.encrypt(payload, into: &whole)
    d.receive(Array(whole.readableBytesView))
    var received: [UInt8] = []
    while let message = try d.nextMessage() { received += message }
    #expect(received == payload)
}

@Test func transportDecodesOneByteAtATime() throws {
    var (a, b) = try connectedTransports()
    let plaintext = (0..<70_000).map { UInt8(truncatingIfNeeded: $0) }
    let wire = try a.encrypt(plaintext) + a.encrypt([42])
    var received: [UInt8] = []
    for byte in wire {
        b.receive([byte])
        received += try b.decryptAvailable()
    }
    #expect(received == plaintext + [42])
    // A partial frame is never consumed.
    let next = try a.encrypt([7, 7, 7])
    b.receive(next.dropLast())
    #expect(try b.nextMessage() == nil)
    #expect(b.bufferedByteCount == next.count - 1)
    b.receive(next.suffix(1))
    #expect(try b.nextMessage() == [7, 7, 7])
}

@Test func tamperedTransportFrameFails() throws {
    var (a, b) = try connectedTransports()
    var wire = try a.encrypt([1, 2, 3, 4])
    wire[3] ^= 0x80
    b.receive(wire)
    #expect(throws: NoiseError.decryptionFailed) { try b.nextMessage() }
    // The failure is final.
    b.receive(try a.encrypt([5]))
    #expect(throws: NoiseError.failedEarlier) { try b.nextMessage() }
}

@Test func shortFrameFails() throws {
    var (_, b) = try connectedTransports()
    b.receive([0x00, 0x0f] + [UInt8](repeating: 0, count: 15))
    #expect(throws: NoiseError.frameTooShort(15)) { try b.nextMessage() }
}

@Test func oversizeSingleFrameIsRejected() throws {
    var (a, _) = try connectedTransports()
    #expect(throws: NoiseError.messageTooLong(65520)) { try a.encryptFrame([UInt8](repeating: 0, count: 65520)) }
    #expect(try a.encryptFrame([UInt8](repeating: 0, count: 65519)).count == 65537)
}

@Test func nonceExhaustionIsAnError() throws {
    var (a, b) = try connectedTransports()
    a.setNonces(sending: UInt64.max - 1, receiving: 0)
    b.setNonces(sending: 0, receiving: UInt64.max - 1)
    b.receive(try a.encrypt([1]))
    #expect(try b.nextMessage() == [1])
    // n = 2^64 - 1 is reserved: no more messages either way, and the nonce never wraps.
    #expect(throws: NoiseError.nonceExhausted) { try a.encrypt([2]) }
    #expect(a.nonces.sending == UInt64.max)
    var c = CipherState(cipher: .chaChaPoly)
    c.initializeKey([UInt8](repeating: 1, count: 32))
    c.setNonce(UInt64.max)
    #expect(throws: NoiseError.nonceExhausted) { try c.decrypt(ciphertext: [UInt8](repeating: 0, count: 16)) }
}

@Test func protocolNamesAreParsedStrictly() {
    #expect(throws: NoiseError.unsupportedProtocol("Noise_XX_448_ChaChaPoly_SHA256")) {
        try NoiseProtocol(name: "Noise_XX_448_ChaChaPoly_SHA256")
    }
    #expect(throws: NoiseError.unsupportedProtocol("Noise_XXfallback_25519_ChaChaPoly_SHA256")) {
        try NoiseProtocol(name: "Noise_XXfallback_25519_ChaChaPoly_SHA256")
    }
    #expect(throws: NoiseError.unsupportedProtocol("Noise_NNpsk3_25519_ChaChaPoly_SHA256")) {
        try NoiseProtocol(name: "Noise_NNpsk3_25519_ChaChaPoly_SHA256")
    }
    #expect((try? NoiseProtocol(name: "Noise_NNpsk0+psk2_25519_AESGCM_SHA512"))?.pattern.messages.map(\.tokens)
        == [[.psk, .e], [.e, .ee, .psk]])
    #expect(NoiseProtocol.libp2p.pattern == HandshakePattern(name: "XX"))
}

@Test func rekeyChangesTheKeyAndKeepsBothSidesInStep() throws {
    var sender = CipherState(cipher: .chaChaPoly)
    var receiver = CipherState(cipher: .chaChaPoly)
    sender.initializeKey([UInt8](repeating: 7, count: 32))
    receiver.initializeKey([UInt8](repeating: 7, count: 32))
    var probe = sender
    let before = try probe.encrypt(plaintext: [1, 2, 3])
    try sender.rekey()
    try receiver.rekey()
    #expect(sender.nonce == 0)
    let after = try sender.encrypt(plaintext: [1, 2, 3])
    #expect(after != before)
    #expect(try receiver.decrypt(ciphertext: after) == [1, 2, 3])
}
