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

/// A deterministic RNG (SplitMix64) for reproducible ephemeral keys.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
