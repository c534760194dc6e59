import Crypto
import Foundation
import P2PCrypto

/// The handshake's id-nonce signature (identity scheme "v4"): an ECDSA signature, 64 bytes
/// r ‖ s, low-s, over sha256("discovery v5 identity proof" ‖ challenge-data ‖ ephemeral-pubkey
/// ‖ node-id-B).
public enum IDSignature {
    /// The signed text prefix.
    public static let prefix = Array("discovery v5 identity proof".utf8)
    /// Length of a v4 id signature.
    public static let byteCount = 64

    /// The 32-byte digest that is signed.
    public static func digest(
        challengeData: some Collection<UInt8>, ephemeralPublicKey: some Collection<UInt8>, recipient: NodeID
    ) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: prefix)
        hasher.update(data: Array(challengeData))
        hasher.update(data: Array(ephemeralPublicKey))
        hasher.update(data: recipient.bytes)
        return Array(hasher.finalize())
    }

    /// Signs with the initiator's static key (RFC 6979 deterministic nonce).
    public static func sign(
        staticKey: Secp256k1.PrivateKey, challengeData: some Collection<UInt8>,
        ephemeralPublicKey: some Collection<UInt8>, recipient: NodeID
    ) throws(DiscV5Error) -> [UInt8] {
        let digest = digest(challengeData: challengeData, ephemeralPublicKey: ephemeralPublicKey, recipient: recipient)
        do throws(Secp256k1.Error) {
            return try staticKey.signature(forDigest: digest).compactRepresentation
        } catch {
            throw .invalidIDSignature
        }
    }

    /// Whether `signature` (64 bytes r ‖ s) was made by `publicKey` for this handshake.
    /// High-s signatures are rejected.
    public static func isValid(
        _ signature: some Collection<UInt8>, publicKey: Secp256k1.PublicKey, challengeData: some Collection<UInt8>,
        ephemeralPublicKey: some Collection<UInt8>, recipient: NodeID
    ) -> Bool {
        guard signature.count == byteCount,
              let parsed = try? Secp256k1.Signature(compactRepresentation: signature)
        else { return false }
        let digest = digest(challengeData: challengeData, ephemeralPublicKey: ephemeralPublicKey, recipient: recipient)
        return publicKey.isValidSignature(parsed, forDigest: digest, highS: .reject)
    }
}
