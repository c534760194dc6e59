import Foundation
import Crypto
import CryptoExtras
import P2PCrypto

/// A libp2p private key: generate (Ed25519, secp256k1), load from its protobuf, sign, derive
/// the public key.
///
/// `Data` encodings: Ed25519 `seed ‖ public key` (64 bytes; the legacy 96-byte
/// `seed ‖ public ‖ public` is accepted when both copies match); secp256k1 the 32-byte scalar;
/// ECDSA a DER SEC1 or PKCS#8 key on P-256/P-384/P-521; RSA a DER PKCS#1 (or PKCS#8) key.
/// No `Equatable`: compare public keys instead.
public struct PrivateKey: Sendable {
    /// The key type.
    public let type: KeyType
    /// The `Data` field this key encodes to (canonical for Ed25519 and secp256k1, the bytes
    /// as loaded for ECDSA and RSA).
    let data: [UInt8]
    let signer: Signer
    /// The matching public key.
    public let publicKey: PublicKey

    enum Signer: Sendable {
        case ed25519(Curve25519.Signing.PrivateKey)
        case secp256k1(Secp256k1.PrivateKey)
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
        case p521(P521.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
    }

    init(type: KeyType, data: [UInt8], signer: Signer, publicKey: PublicKey) {
        self.type = type
        self.data = data
        self.signer = signer
        self.publicKey = publicKey
    }

    /// A new Ed25519 key whose 32-byte seed comes from `generator`.
    public static func generateEd25519(using generator: inout some RandomNumberGenerator) -> PrivateKey {
        var seed = [UInt8]()
        seed.reserveCapacity(32)
        for _ in 0..<4 {
            withUnsafeBytes(of: generator.next().littleEndian) { seed.append(contentsOf: $0) }
        }
        // A 32-byte seed is always a valid Ed25519 key.
        guard let key = try? PrivateKey(ed25519Seed: seed) else { preconditionFailure("32-byte seed rejected") }
        return key
    }

    /// A new secp256k1 key drawn from `generator`.
    public static func generateSecp256k1(using generator: inout some RandomNumberGenerator) -> PrivateKey {
        PrivateKey(secp256k1: Secp256k1.PrivateKey.generate(using: &generator))
    }

    /// An Ed25519 key from its 32-byte seed.
    public init(ed25519Seed seed: some Collection<UInt8>) throws(KeyError) {
        let seed = Array(seed)
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw .invalidKeyData(.ed25519)
        }
        let publicRaw = Array(key.publicKey.rawRepresentation)
        self.type = .ed25519
        self.data = seed + publicRaw
        self.signer = .ed25519(key)
        self.publicKey = PublicKey(type: .ed25519, data: publicRaw, verifier: .ed25519(key.publicKey))
    }

    /// A secp256k1 key from a P2PCrypto key.
    public init(secp256k1 key: Secp256k1.PrivateKey) {
        self.type = .secp256k1
        self.data = key.rawRepresentation
        self.signer = .secp256k1(key)
        self.publicKey = PublicKey(secp256k1: key.publicKey)
    }

    /// A key from its type and `Data` bytes.
    public init(type: KeyType, data: some Collection<UInt8>) throws(KeyError) {
        let bytes = Array(data)
        guard bytes.count <= KeyEncoding.maxEncodedLength else { throw .tooLong(bytes.count) }
        switch type {
        case .ed25519:
            guard bytes.count == 64 || bytes.count == 96 else { throw .invalidKeyData(type) }
            if bytes.count == 96 && bytes[32..<64] != bytes[64..<96] { throw .mismatchedPublicKey }
            let key = try PrivateKey(ed25519Seed: bytes[0..<32])
            guard key.publicKey.data[...] == bytes[32..<64] else { throw .mismatchedPublicKey }
            self = key
        case .secp256k1:
            guard let key = try? Secp256k1.PrivateKey(rawRepresentation: bytes) else { throw .invalidKeyData(type) }
            self = PrivateKey(secp256k1: key)
        case .ecdsa:
            let signer: Signer
            let publicDER: [UInt8]
            let verifier: PublicKey.Verifier
            if let key = try? P256.Signing.PrivateKey(derRepresentation: bytes) {
                (signer, publicDER, verifier) = (.p256(key), Array(key.publicKey.derRepresentation), .p256(key.publicKey))
            } else if let key = try? P384.Signing.PrivateKey(derRepresentation: bytes) {
                (signer, publicDER, verifier) = (.p384(key), Array(key.publicKey.derRepresentation), .p384(key.publicKey))
            } else if let key = try? P521.Signing.PrivateKey(derRepresentation: bytes) {
                (signer, publicDER, verifier) = (.p521(key), Array(key.publicKey.derRepresentation), .p521(key.publicKey))
            } else {
                throw .invalidKeyData(type)
            }
            self.init(type: type, data: bytes, signer: signer,
                      publicKey: PublicKey(type: type, data: publicDER, verifier: verifier))
        case .rsa:
            guard let key = try? _RSA.Signing.PrivateKey(derRepresentation: bytes),
                  (2048...8192).contains(key.keySizeInBits)
            else { throw .invalidKeyData(type) }
            self.init(type: type, data: bytes, signer: .rsa(key), publicKey: PublicKey(
                type: type, data: Array(key.publicKey.derRepresentation), verifier: .rsa(key.publicKey)))
        }
    }

    /// Decodes a `PrivateKey` protobuf.
    public init(protobuf bytes: some Collection<UInt8>, encoding: KeyEncoding = .lenient) throws(KeyError) {
        let input = Array(bytes)
        let (type, data) = try KeyEncoding.decodeFields(input)
        try self.init(type: type, data: data)
        if encoding == .canonical && protobufEncoded != input { throw .nonCanonicalEncoding }
    }

    /// The deterministic `PrivateKey` protobuf encoding (Ed25519 in the 64-byte form).
    public var protobufEncoded: [UInt8] { KeyEncoding.encode(type: type, data: data) }

    /// The peer id of this key's public key.
    public var peerID: PeerID { publicKey.peerID }

    /// The secp256k1 key, when this is one.
    public var secp256k1Key: Secp256k1.PrivateKey? {
        if case .secp256k1(let key) = signer { return key }
        return nil
    }

    /// The signature of `message` under the type's libp2p scheme: Ed25519 (64 bytes);
    /// secp256k1 and ECDSA: DER ECDSA over SHA-256; RSA: PKCS#1 v1.5 over SHA-256.
    public func signature(for message: some Collection<UInt8>) throws(KeyError) -> [UInt8] {
        let message = Array(message)
        do {
            switch signer {
            case .ed25519(let key):
                return Array(try key.signature(for: message))
            case .secp256k1(let key):
                return try key.signature(forSHA256Of: message).derRepresentation
            case .p256(let key):
                return Array(try key.signature(for: SHA256.hash(data: message)).derRepresentation)
            case .p384(let key):
                return Array(try key.signature(for: SHA256.hash(data: message)).derRepresentation)
            case .p521(let key):
                return Array(try key.signature(for: SHA256.hash(data: message)).derRepresentation)
            case .rsa(let key):
                return Array(
                    try key.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation)
            }
        } catch {
            throw .signingFailed(type)
        }
    }
}
