import LibP2PCore
import Noise
import Testing
@testable import LibP2P
import TestSupport

@Suite struct LibP2PIdentityTests {
    static func identity(_ type: KeyType, seed: UInt64) throws -> LibP2PIdentity {
        var rng = SeededRandom(state: seed)
        return try LibP2PIdentity.generate(type, using: &rng)
    }

    @Test(arguments: [KeyType.secp256k1, .ed25519])
    func signatureVerifiesAndGivesThePeerID(type: KeyType) throws {
        let identity = try Self.identity(type, seed: 5)
        #expect(identity.keyType == type)
        let message = NoiseHandshakePayload.signedData(noiseStaticKey: identity.noiseStaticKey.publicKey)
        let signature = try #require(identity.sign(message))
        let verified = LibP2PIdentityVerifier().verify(
            identityKey: identity.identityKeyProtobuf, signature: signature, message: message)
        #expect(verified == identity.peerID.multihashBytes)
        // Peer id prefixes: secp256k1 identity keys print as 16Uiu2…, Ed25519 as 12D3KooW….
        #expect(identity.peerID.description.hasPrefix(type == .secp256k1 ? "16Uiu2" : "12D3KooW"))
    }

    @Test(arguments: [KeyType.secp256k1, .ed25519])
    func tamperedSignatureOrKeyIsRejected(type: KeyType) throws {
        let identity = try Self.identity(type, seed: 6)
        let message = Array("noise-libp2p-static-key:".utf8) + [UInt8](repeating: 3, count: 32)
        var signature = try #require(identity.sign(message))
        let verifier = LibP2PIdentityVerifier()
        var otherMessage = message
        otherMessage[otherMessage.count - 1] ^= 1
        #expect(verifier.verify(identityKey: identity.identityKeyProtobuf, signature: signature, message: otherMessage) == nil)
        signature[signature.count / 2] ^= 0x40
        #expect(verifier.verify(identityKey: identity.identityKeyProtobuf, signature: signature, message: message) == nil)
        #expect(verifier.verify(identityKey: [0x08, 0x01, 0x12], signature: signature, message: message) == nil)
    }

    @Test func onlySecp256k1AndEd25519AreGenerated() {
        var rng = SeededRandom(state: 1)
        #expect(throws: LibP2PIdentityError.unsupportedKeyType(.rsa)) {
            _ = try LibP2PIdentity.generate(.rsa, using: &rng)
        }
    }

    /// Both key types authenticate each other through the full upgrade, byte by byte.
    @Test(arguments: [(KeyType.secp256k1, KeyType.ed25519), (.ed25519, .secp256k1), (.secp256k1, .secp256k1)])
    func mixedKeyTypesUpgrade(dialerType: KeyType, listenerType: KeyType) throws {
        let dialer = try Self.identity(dialerType, seed: 10)
        let listener = try Self.identity(listenerType, seed: 11)
        var rng = SeededRandom(state: 3)
        var d = try ConnectionUpgrade(
            role: .dialer, configuration: ConnectionUpgradeConfiguration(noise: dialer.noiseConfiguration),
            expectedRemotePeerID: listener.peerID.multihashBytes, ephemeralKey: try NoiseKeyPair.generate(using: &rng))
        var l = try ConnectionUpgrade(
            role: .listener, configuration: ConnectionUpgradeConfiguration(noise: listener.noiseConfiguration),
            ephemeralKey: try NoiseKeyPair.generate(using: &rng))
        var toListener: [UInt8] = [], toDialer: [UInt8] = []
        var dialerDone: UpgradedConnection?, listenerDone: UpgradedConnection?
        func absorb(_ actions: [ConnectionUpgrade.Action], out: inout [UInt8], done: inout UpgradedConnection?) throws {
            for action in actions {
                switch action {
                case .send(let bytes): out += bytes
                case .established(let c): done = c
                case .failed(let e): Issue.record("upgrade failed: \(e)")
                }
            }
        }
        try absorb(d.start(now: .zero), out: &toListener, done: &dialerDone)
        try absorb(l.start(now: .zero), out: &toDialer, done: &listenerDone)
        var rounds = 0
        while (dialerDone == nil || listenerDone == nil), rounds < 10_000 {
            rounds += 1
            if !toListener.isEmpty {
                let byte = toListener.removeFirst()
                try absorb(l.receive([byte]), out: &toDialer, done: &listenerDone)
            }
            if !toDialer.isEmpty {
                let byte = toDialer.removeFirst()
                try absorb(d.receive([byte]), out: &toListener, done: &dialerDone)
            }
            if toListener.isEmpty, toDialer.isEmpty { break }
        }
        #expect(dialerDone?.remote.peerID == listener.peerID.multihashBytes)
        #expect(listenerDone?.remote.peerID == dialer.peerID.multihashBytes)
    }
}
