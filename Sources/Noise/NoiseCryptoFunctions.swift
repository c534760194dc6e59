import Crypto
import Foundation
import NIOCore

/// The AEAD cipher functions of a Noise protocol (`ChaChaPoly` or `AESGCM`).
public enum NoiseCipher: String, Sendable, Equatable {
    /// ChaCha20-Poly1305 (RFC 8439), nonce = 4 zero bytes ‖ little-endian n.
    case chaChaPoly = "ChaChaPoly"
    /// AES-256-GCM, nonce = 4 zero bytes ‖ big-endian n.
    case aesGCM = "AESGCM"

    /// ENCRYPT(k, n, ad, plaintext): the ciphertext and its 16-byte tag (slices of one buffer).
    func seal(key: SymmetricKey, nonce: UInt64, ad: [UInt8], plaintext: some DataProtocol) throws(NoiseError) -> (ciphertext: Data, tag: Data) {
        do {
            switch self {
            case .chaChaPoly:
                let box = try ChaChaPoly.seal(plaintext, using: key, nonce: ChaChaPoly.Nonce(data: Self.nonceBytes(nonce, bigEndian: false)), authenticating: ad)
                return (box.ciphertext, box.tag)
            case .aesGCM:
                let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(data: Self.nonceBytes(nonce, bigEndian: true)), authenticating: ad)
                return (box.ciphertext, box.tag)
            }
        } catch { throw .decryptionFailed }
    }

    /// DECRYPT(k, n, ad, ciphertext ‖ tag): the plaintext, or `decryptionFailed`.
    func decrypt(key: SymmetricKey, nonce: UInt64, ad: [UInt8], ciphertext: ArraySlice<UInt8>) throws(NoiseError) -> [UInt8] {
        do {
            return Array(try ciphertext.withUnsafeBytes { try open(key: key, nonce: nonce, ad: ad, sealed: $0) })
        } catch { throw .decryptionFailed }
    }

    /// DECRYPT(k, n, ad, ciphertext ‖ tag) read in place from `ciphertext`: the plaintext in a
    /// buffer of its own, or `decryptionFailed`.
    func decrypt(key: SymmetricKey, nonce: UInt64, ad: [UInt8], ciphertext: ByteBuffer) throws(NoiseError) -> ByteBuffer {
        let plaintext: Data
        do {
            plaintext = try ciphertext.withUnsafeReadableBytes { try open(key: key, nonce: nonce, ad: ad, sealed: $0) }
        } catch { throw .decryptionFailed }
        var out = ByteBufferAllocator().buffer(capacity: plaintext.count)
        out.writeBytes(plaintext)
        return out
    }

    /// Opens `sealed` (ciphertext ‖ 16-byte tag); any error means it does not authenticate.
    /// swift-crypto only opens a sealed box, which owns a copy of its bytes: built from one
    /// buffer (nonce ‖ ciphertext ‖ tag) that costs two copies of the ciphertext, as many as its
    /// separate-parts initialiser, with one allocation fewer.
    private func open(key: SymmetricKey, nonce: UInt64, ad: [UInt8], sealed: UnsafeRawBufferPointer) throws -> Data {
        guard sealed.count >= 16 else { throw NoiseError.decryptionFailed }
        var combined = Data(capacity: 12 + sealed.count)
        combined.append(contentsOf: Self.nonceBytes(nonce, bigEndian: self == .aesGCM))
        combined.append(contentsOf: sealed)
        switch self {
        case .chaChaPoly: return try ChaChaPoly.open(ChaChaPoly.SealedBox(combined: combined), using: key, authenticating: ad)
        case .aesGCM: return try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: key, authenticating: ad)
        }
    }

    /// 32 bits of zeros followed by the 64-bit counter (little-endian for ChaChaPoly,
    /// big-endian for AESGCM).
    static func nonceBytes(_ n: UInt64, bigEndian: Bool) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 {
            let byte = UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))
            bytes[bigEndian ? 11 - i : 4 + i] = byte
        }
        return bytes
    }
}

/// The hash function of a Noise protocol (`SHA256` or `SHA512`), with the HMAC-based HKDF.
public enum NoiseHash: String, Sendable, Equatable {
    /// SHA-256 (HASHLEN 32).
    case sha256 = "SHA256"
    /// SHA-512 (HASHLEN 64; cipher keys are truncated to 32 bytes).
    case sha512 = "SHA512"

    /// HASHLEN.
    var length: Int { self == .sha256 ? 32 : 64 }

    /// HASH(data).
    func hash(_ a: [UInt8], _ b: some DataProtocol = [UInt8]()) -> [UInt8] {
        switch self {
        case .sha256:
            var h = SHA256()
            h.update(data: a)
            h.update(data: b)
            return Array(h.finalize())
        case .sha512:
            var h = SHA512()
            h.update(data: a)
            h.update(data: b)
            return Array(h.finalize())
        }
    }

    /// HMAC-HASH(key, data ‖ suffix).
    func hmac(key: [UInt8], _ data: some DataProtocol, suffix: UInt8? = nil) -> [UInt8] {
        let key = SymmetricKey(data: key)
        switch self {
        case .sha256:
            var h = HMAC<SHA256>(key: key)
            h.update(data: data)
            if let suffix { h.update(data: [suffix]) }
            return Array(h.finalize())
        case .sha512:
            var h = HMAC<SHA512>(key: key)
            h.update(data: data)
            if let suffix { h.update(data: [suffix]) }
            return Array(h.finalize())
        }
    }

    /// HKDF(chaining_key, input_key_material, num_outputs) as defined by Noise (section 4.3).
    func hkdf(chainingKey: [UInt8], inputKeyMaterial: some DataProtocol, outputs: Int) -> [[UInt8]] {
        let tempKey = hmac(key: chainingKey, inputKeyMaterial)
        let output1 = hmac(key: tempKey, [UInt8](), suffix: 0x01)
        let output2 = hmac(key: tempKey, output1, suffix: 0x02)
        if outputs == 2 { return [output1, output2] }
        let output3 = hmac(key: tempKey, output2, suffix: 0x03)
        return [output1, output2, output3]
    }
}

/// A Curve25519 key pair for the Noise `25519` DH functions.
public struct NoiseKeyPair: Sendable {
    /// The private key.
    public let privateKey: Curve25519.KeyAgreement.PrivateKey
    /// The 32-byte public key.
    public var publicKey: [UInt8] { Array(privateKey.publicKey.rawRepresentation) }

    /// Wraps an existing private key.
    public init(privateKey: Curve25519.KeyAgreement.PrivateKey) {
        self.privateKey = privateKey
    }

    /// A key pair from 32 private key bytes (as in the test vectors).
    public init(privateKeyBytes: [UInt8]) throws(NoiseError) {
        guard privateKeyBytes.count == 32,
              let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKeyBytes)
        else { throw .missingKey("private key must be 32 bytes") }
        self.privateKey = key
    }

    /// GENERATE_KEYPAIR() from an injected random source.
    public static func generate(using rng: inout some RandomNumberGenerator) throws(NoiseError) -> NoiseKeyPair {
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in stride(from: 0, to: 32, by: 8) {
            let word = rng.next()
            for j in 0..<8 { bytes[i + j] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(j))) }
        }
        // 32 bytes are always a valid X25519 scalar (clamped when used).
        return try NoiseKeyPair(privateKeyBytes: bytes)
    }

    /// DH(key_pair, public_key); rejects an all-zero result.
    func dh(_ remotePublicKey: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard remotePublicKey.count == 32,
              let remote = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: remotePublicKey),
              let shared = try? privateKey.sharedSecretFromKeyAgreement(with: remote)
        else { throw .invalidPublicKey }
        let bytes = shared.withUnsafeBytes { Array($0) }
        guard bytes.contains(where: { $0 != 0 }) else { throw .invalidPublicKey }
        return bytes
    }
}
