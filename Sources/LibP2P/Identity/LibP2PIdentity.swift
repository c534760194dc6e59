import LibP2PCore
import Noise

/// A node's libp2p identity: its identity private key (secp256k1, the Ethereum/Aztec default,
/// or Ed25519) and the Noise static key that key authenticates.
///
/// It signs the Noise static key during the handshake (`NoiseIdentitySigner`) and gives the
/// peer id others use to dial it.
public struct LibP2PIdentity: NoiseIdentitySigner {
    /// The identity private key.
    public let privateKey: PrivateKey
    /// The X25519 static key of the Noise handshake (distinct from the identity key).
    public let noiseStaticKey: NoiseKeyPair

    /// An identity from an existing private key; the Noise static key comes from `rng`.
    public init(privateKey: PrivateKey, using rng: inout some RandomNumberGenerator) throws(NoiseError) {
        self.privateKey = privateKey
        noiseStaticKey = try NoiseKeyPair.generate(using: &rng)
    }

    /// An identity from an existing private key and Noise static key.
    public init(privateKey: PrivateKey, noiseStaticKey: NoiseKeyPair) {
        self.privateKey = privateKey
        self.noiseStaticKey = noiseStaticKey
    }

    /// A fresh identity of `type` (secp256k1 or Ed25519), keys drawn from `rng`.
    public static func generate(
        _ type: KeyType = .secp256k1, using rng: inout some RandomNumberGenerator
    ) throws(LibP2PIdentityError) -> LibP2PIdentity {
        let key: PrivateKey
        switch type {
        case .secp256k1: key = .generateSecp256k1(using: &rng)
        case .ed25519: key = .generateEd25519(using: &rng)
        case .rsa, .ecdsa: throw .unsupportedKeyType(type)
        }
        do throws(NoiseError) { return try LibP2PIdentity(privateKey: key, using: &rng) } catch {
            throw .noiseKey(error)
        }
    }

    /// A fresh identity from the system's random source.
    public static func generate(_ type: KeyType = .secp256k1) throws(LibP2PIdentityError) -> LibP2PIdentity {
        var rng = SystemRandomNumberGenerator()
        return try generate(type, using: &rng)
    }

    /// The identity key type.
    public var keyType: KeyType { privateKey.type }

    /// This node's peer id.
    public var peerID: PeerID { privateKey.peerID }

    /// The public key.
    public var publicKey: PublicKey { privateKey.publicKey }

    /// The libp2p `PublicKey` protobuf sent in the Noise handshake and in identify.
    public var identityKeyProtobuf: [UInt8] { privateKey.publicKey.protobufEncoded }

    /// Signs `message` under the key type's libp2p scheme; `nil` if signing failed.
    public func sign(_ message: [UInt8]) -> [UInt8]? { try? privateKey.signature(for: message) }

    /// The Noise configuration this identity handshakes with (remote identities checked by
    /// ``LibP2PIdentityVerifier``).
    public var noiseConfiguration: NoiseHandshake.Configuration {
        NoiseHandshake.Configuration(identity: self, verifier: LibP2PIdentityVerifier(), staticKey: noiseStaticKey)
    }
}

/// Why an identity could not be made.
public enum LibP2PIdentityError: Error, Equatable, Sendable {
    /// Only secp256k1 and Ed25519 identities are generated.
    case unsupportedKeyType(KeyType)
    /// The Noise static key could not be generated.
    case noiseKey(NoiseError)
}
