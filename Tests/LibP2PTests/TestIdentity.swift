import LibP2P
import LibP2PCore
import Noise

/// An Ed25519 libp2p identity for tests, derived from a one-byte seed: the key is LibP2PCore's,
/// so the handshake payload and peer id are exactly what ``LibP2PIdentity`` produces.
struct TestIdentity: NoiseIdentitySigner {
    let key: PrivateKey

    init(seed: UInt8) {
        // 32 equal bytes are always a valid Ed25519 seed.
        var fallback = SystemRandomNumberGenerator()
        key = (try? PrivateKey(ed25519Seed: [UInt8](repeating: seed, count: 32)))
            ?? PrivateKey.generateEd25519(using: &fallback)
    }

    var identityKeyProtobuf: [UInt8] { key.publicKey.protobufEncoded }
    var peerID: [UInt8] { key.peerID.multihashBytes }

    func sign(_ message: [UInt8]) -> [UInt8]? { try? key.signature(for: message) }

    /// A Noise configuration with a static key derived from `seed`.
    func noiseConfiguration(staticSeed: UInt8) throws -> NoiseHandshake.Configuration {
        NoiseHandshake.Configuration(
            identity: self, verifier: TestVerifier(),
            staticKey: try NoiseKeyPair(privateKeyBytes: [UInt8](repeating: staticSeed, count: 32)))
    }
}

/// Remote identities are checked as a real node checks them.
typealias TestVerifier = LibP2PIdentityVerifier

