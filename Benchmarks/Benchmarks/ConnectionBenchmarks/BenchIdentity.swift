import LibP2PCore
import Noise

/// A libp2p identity (LibP2PCore key) for the Noise handshake: signs the static key, and
/// verifies the remote's signature the way the upgrade needs.
struct BenchIdentity: NoiseIdentitySigner, NoiseIdentityVerifier {
    let key: PrivateKey

    var identityKeyProtobuf: [UInt8] { key.publicKey.protobufEncoded }

    func sign(_ message: [UInt8]) -> [UInt8]? { try? key.signature(for: message) }

    func verify(identityKey: [UInt8], signature: [UInt8], message: [UInt8]) -> [UInt8]? {
        guard let remote = try? PublicKey(protobuf: identityKey), remote.isValidSignature(signature, for: message)
        else { return nil }
        return remote.peerID.multihashBytes
    }

    /// A deterministic secp256k1 identity.
    static func secp256k1(seed: UInt64) -> BenchIdentity {
        var rng = BenchRNG(state: seed)
        return BenchIdentity(key: PrivateKey.generateSecp256k1(using: &rng))
    }
}

/// SplitMix64: a deterministic generator for fixtures and ephemeral keys.
struct BenchRNG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
