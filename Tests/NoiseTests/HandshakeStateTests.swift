import Testing
@testable import Noise
import TestSupport

private func pair(_ name: String, seed: UInt64 = 1) throws -> (HandshakeState, HandshakeState) {
    var rng = SeededRandom(state: seed)
    let proto = try NoiseProtocol(name: name)
    let i = try HandshakeState(protocol: proto, initiator: true, localStatic: try .generate(using: &rng),
                               localEphemeral: try .generate(using: &rng))
    let r = try HandshakeState(protocol: proto, initiator: false, localStatic: try .generate(using: &rng),
                               localEphemeral: try .generate(using: &rng))
    return (i, r)
}

@Test func messagesOutOfTurnAreRejected() throws {
    var (i, r) = try pair("Noise_XX_25519_ChaChaPoly_SHA256")
    #expect(throws: NoiseError.outOfOrder) { try r.writeMessage() }
    #expect(throws: NoiseError.outOfOrder) { try i.readMessage([UInt8](repeating: 0, count: 32)) }
    #expect(throws: NoiseError.outOfOrder) { try i.split() }
    let m1 = try i.writeMessage()
    #expect(m1.count == 32)
    _ = try r.readMessage(m1)
    #expect(!i.isMyTurnToWrite && r.isMyTurnToWrite)
}

@Test func truncatedHandshakeMessagesAreRejected() throws {
    var (i, r) = try pair("Noise_XX_25519_ChaChaPoly_SHA256")
    #expect(throws: NoiseError.messageTooShort) { try r.readMessage([UInt8](repeating: 1, count: 31)) }
    // The failure is final.
    #expect(throws: NoiseError.failedEarlier) { try r.readMessage(try i.writeMessage()) }

    var (i2, r2) = try pair("Noise_XX_25519_ChaChaPoly_SHA256", seed: 2)
    _ = try r2.readMessage(try i2.writeMessage())
    let m2 = try r2.writeMessage(payload: [1, 2, 3])
    // Cut inside the encrypted static key, then inside the payload tag.
    var copy = i2
    #expect(throws: NoiseError.messageTooShort) { try copy.readMessage(Array(m2.prefix(70))) }
    copy = i2
    #expect(throws: NoiseError.messageTooShort) { try copy.readMessage(Array(m2.prefix(32 + 48 + 10))) }
    #expect(try i2.readMessage(m2) == [1, 2, 3])
}

@Test func lowOrderEphemeralKeyIsRejected() throws {
    var (_, r) = try pair("Noise_NN_25519_ChaChaPoly_SHA256")
    // An all-zero public key makes X25519 output zero: `ee` must fail rather than use it.
    _ = try r.readMessage([UInt8](repeating: 0, count: 32))
    #expect(throws: NoiseError.invalidPublicKey) { try r.writeMessage() }
}

@Test func missingKeysAreReported() throws {
    let proto = try NoiseProtocol(name: "Noise_NK_25519_ChaChaPoly_SHA256")
    #expect(throws: NoiseError.missingKey("pre-message static key")) {
        try HandshakeState(protocol: proto, initiator: true)
    }
    var i = try HandshakeState(protocol: try NoiseProtocol(name: "Noise_NN_25519_AESGCM_SHA512"), initiator: true)
    #expect(throws: NoiseError.missingKey("local ephemeral key")) { try i.writeMessage() }
}

@Test(arguments: ["XX", "IK", "KK", "NKpsk0", "XXpsk3", "X1X1", "I1K1"])
func patternsAgreeOnKeysAndHash(pattern: String) throws {
    // Random keys (no vector), every pattern: both sides end with the same h and working keys.
    var rng = SeededRandom(state: 99)
    let proto = try NoiseProtocol(name: "Noise_\(pattern)_25519_ChaChaPoly_SHA256")
    let si = try NoiseKeyPair.generate(using: &rng)
    let sr = try NoiseKeyPair.generate(using: &rng)
    let psk = (0..<32).map { UInt8($0) }
    let needsPSK = proto.pattern.usesPSK
    var i = try HandshakeState(protocol: proto, initiator: true, prologue: [9], localStatic: si,
                               localEphemeral: try .generate(using: &rng), remoteStatic: sr.publicKey,
                               psks: needsPSK ? [psk] : [])
    var r = try HandshakeState(protocol: proto, initiator: false, prologue: [9], localStatic: sr,
                               localEphemeral: try .generate(using: &rng), remoteStatic: si.publicKey,
                               psks: needsPSK ? [psk] : [])
    while !i.isComplete {
        if i.isMyTurnToWrite {
            #expect(try r.readMessage(try i.writeMessage(payload: [1])) == [1])
        } else {
            #expect(try i.readMessage(try r.writeMessage(payload: [2])) == [2])
        }
    }
    #expect(r.isComplete && i.handshakeHash == r.handshakeHash)
    var (c1, _) = try i.split()
    var (d1, _) = try r.split()
    #expect(try d1.decrypt(ciphertext: try c1.encrypt(plaintext: [5])) == [5])
}
