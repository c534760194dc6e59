import Foundation
import Crypto
import CryptoExtras
import P2PCrypto

/// A libp2p public key: its type and the `Data` bytes of its protobuf, validated.
///
/// Equality and hashing compare the type and the `Data` bytes exactly as received (the peer id
/// is derived from them, so two encodings of one point are two keys).
///
/// - Ed25519: 32 raw bytes.
/// - Secp256k1: SEC1, 33 bytes compressed (what libp2p writes) or 65 bytes uncompressed.
/// - ECDSA: a DER SubjectPublicKeyInfo on P-256, P-384 or P-521; signatures are DER over SHA-256.
/// - RSA: a DER SubjectPublicKeyInfo, 2048...8192 bits; PKCS#1 v1.5 signatures over SHA-256.
public struct PublicKey: Sendable, Hashable {
    /// The key type.
    public let type: KeyType
    /// The `Data` field: the key in its type's encoding.
    public let data: [UInt8]
    let verifier: Verifier

    enum Verifier: Sendable {
        case ed25519(Curve25519.Signing.PublicKey)
        case secp256k1(Secp256k1.PublicKey)
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)
    }

    /// A key from its type and `Data` bytes, validated for that type.
    public init(type: KeyType, data: some Collection<UInt8>) throws(KeyError) {
        let bytes = Array(data)
        guard bytes.count <= KeyEncoding.maxEncodedLength else { throw .tooLong(bytes.count) }
        self.type = type
        self.data = bytes
        self.verifier = try Self.verifier(type: type, data: bytes)
    }

    init(type: KeyType, data: [UInt8], verifier: Verifier) {
        self.type = type
        self.data = data
        self.verifier = verifier
    }

    /// An Ed25519 public key from its 32 raw bytes.
    public static func ed25519(_ raw: some Collection<UInt8>) throws(KeyError) -> PublicKey {
        try PublicKey(type: .ed25519, data: raw)
    }

    /// A secp256k1 public key from its SEC1 bytes (33 compressed or 65 uncompressed).
    public static func secp256k1(_ sec1: some Collection<UInt8>) throws(KeyError) -> PublicKey {
        try PublicKey(type: .secp256k1, data: sec1)
    }

    /// A secp256k1 public key from a P2PCrypto key, in the compressed form libp2p writes.
    public init(secp256k1 key: Secp256k1.PublicKey) {
        self.init(type: .secp256k1, data: key.compressedRepresentation, verifier: .secp256k1(key))
    }

    /// Decodes a `PublicKey` protobuf.
    public init(protobuf bytes: some Collection<UInt8>, encoding: KeyEncoding = .lenient) throws(KeyError) {
        let input = Array(bytes)
        let (type, data) = try KeyEncoding.decodeFields(input)
        try self.init(type: type, data: data)
        if encoding == .canonical && protobufEncoded != input { throw .nonCanonicalEncoding }
    }

    /// The deterministic `PublicKey` protobuf encoding.
    public var protobufEncoded: [UInt8] { KeyEncoding.encode(type: type, data: data) }

    /// The peer id of this key.
    public var peerID: PeerID { PeerID(publicKey: self) }

    /// The secp256k1 key, when this is one.
    public var secp256k1Key: Secp256k1.PublicKey? {
        if case .secp256k1(let key) = verifier { return key }
        return nil
    }

    /// Whether `signature` is this key's signature of `message` under the type's libp2p scheme.
    /// Malformed signatures are simply invalid.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
        let signature = Array(signature)
        let message = Array(message)
        switch verifier {
        case .ed25519(let key):
            return key.isValidSignature(signature, for: message)
        case .secp256k1(let key):
            return key.isValidDERSignature(signature, forSHA256Of: message)
        case .p256(let key):
            guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: SHA256.hash(data: message))
        case .p384(let key):
            guard let parsed = try? P384.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: SHA256.hash(data: message))
        case .p521(let key):
            guard let parsed = try? P521.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: SHA256.hash(data: message))
        case .rsa(let key):
            let parsed = _RSA.Signing.RSASignature(rawRepresentation: signature)
            return key.isValidSignature(parsed, for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5)
        }
    }

    /// Whether both keys have the same type and the same `Data` bytes (see the type's discussion).
    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.type == rhs.type && lhs.data == rhs.data
    }

    /// Hashes the type and the `Data` bytes, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(data)
    }

    static func verifier(type: KeyType, data: [UInt8]) throws(KeyError) -> Verifier {
        switch type {
        case .ed25519:
            guard data.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: data) else {
                throw .invalidKeyData(type)
            }
            return .ed25519(key)
        case .secp256k1:
            guard let key = try? Secp256k1.PublicKey(sec1: data) else { throw .invalidKeyData(type) }
            return .secp256k1(key)
        case .ecdsa:
            if let key = try? P256.Signing.PublicKey(derRepresentation: data) { return .p256(key) }
            if let key = try? P384.Signing.PublicKey(derRepresentation: data) { return .p384(key) }
            if let key = try? P521.Signing.PublicKey(derRepresentation: data) { return .p521(key) }
            throw .invalidKeyData(type)
        case .rsa:
            guard let key = try? _RSA.Signing.PublicKey(derRepresentation: data),
                  (2048...8192).contains(key.keySizeInBits)
            else { throw .invalidKeyData(type) }
            return .rsa(key)
        }
    }
}
