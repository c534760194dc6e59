import Crypto
import Noise

/// An Ed25519 libp2p identity for tests: `identity_key` is the libp2p `PublicKey` protobuf
/// `{Type: Ed25519 (1), Data: 32-byte key}`, the peer id its identity multihash.
struct TestIdentity: NoiseIdentitySigner {
    let key: Curve25519.Signing.PrivateKey

    init(seed: UInt8) {
        key = (try? Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: seed, count: 32)))
            ?? Curve25519.Signing.PrivateKey()
    }

    var identityKeyProtobuf: [UInt8] { [0x08, 0x01, 0x12, 0x20] + Array(key.publicKey.rawRepresentation) }
    var peerID: [UInt8] { [0x00, UInt8(identityKeyProtobuf.count)] + identityKeyProtobuf }

    func sign(_ message: [UInt8]) -> [UInt8]? { try? Array(key.signature(for: message)) }

    /// A Noise configuration with a static key derived from `seed`.
    func noiseConfiguration(staticSeed: UInt8) throws -> NoiseHandshake.Configuration {
        NoiseHandshake.Configuration(
            identity: self, verifier: TestVerifier(),
            staticKey: try NoiseKeyPair(privateKeyBytes: [UInt8](repeating: staticSeed, count: 32)))
    }
}

/// Verifies Ed25519 identities encoded as ``TestIdentity`` encodes them.
struct TestVerifier: NoiseIdentityVerifier {
    func verify(identityKey: [UInt8], signature: [UInt8], message: [UInt8]) -> [UInt8]? {
        guard identityKey.count == 36, identityKey.prefix(4).elementsEqual([0x08, 0x01, 0x12, 0x20]),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: identityKey.dropFirst(4)),
              key.isValidSignature(signature, for: message)
        else { return nil }
        return [0x00, UInt8(identityKey.count)] + identityKey
    }
}

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
