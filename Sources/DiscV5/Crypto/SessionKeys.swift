import Crypto
import Foundation
import P2PCrypto

/// The pair of AES-128 keys of a session, derived during the handshake.
public struct SessionKeys: Sendable, Equatable {
    /// Key of messages sent by the handshake initiator (node A).
    public var initiatorKey: [UInt8]
    /// Key of messages sent by the recipient (node B).
    public var recipientKey: [UInt8]

    /// The keys from their 16 bytes each.
    public init(initiatorKey: [UInt8], recipientKey: [UInt8]) {
        self.initiatorKey = initiatorKey
        self.recipientKey = recipientKey
    }

    /// The HKDF info prefix.
    public static let infoPrefix = Array("discovery v5 key agreement".utf8)

    /// Derives the keys from the ECDH `sharedSecret` (33-byte compressed point):
    /// HKDF-SHA256 with salt = `challengeData`, info = prefix ‖ id-A ‖ id-B, 32 bytes split in two.
    public static func derive(
        sharedSecret: some Collection<UInt8>, initiator: NodeID, recipient: NodeID,
        challengeData: some Collection<UInt8>
    ) -> SessionKeys {
        let info = infoPrefix + initiator.bytes + recipient.bytes
        let keyData = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(sharedSecret)), salt: Array(challengeData),
            info: info, outputByteCount: 32
        ).withUnsafeBytes { Array($0) }
        return SessionKeys(initiatorKey: Array(keyData[0..<16]), recipientKey: Array(keyData[16..<32]))
    }

    /// The initiator's side: ECDH of its `ephemeralKey` with the recipient's static public key.
    public static func deriveAsInitiator(
        ephemeralKey: Secp256k1.PrivateKey, recipientPublicKey: Secp256k1.PublicKey,
        initiator: NodeID, recipient: NodeID, challengeData: some Collection<UInt8>
    ) throws(DiscV5Error) -> SessionKeys {
        let secret: [UInt8]
        do throws(Secp256k1.Error) {
            secret = try ephemeralKey.sharedSecret(with: recipientPublicKey)
        } catch {
            throw .ecdhFailed
        }
        return derive(sharedSecret: secret, initiator: initiator, recipient: recipient, challengeData: challengeData)
    }

    /// The recipient's side: ECDH of its static key with the initiator's ephemeral public key
    /// (33-byte compressed, as carried in the handshake packet).
    public static func deriveAsRecipient(
        staticKey: Secp256k1.PrivateKey, ephemeralPublicKey: some Collection<UInt8>,
        initiator: NodeID, recipient: NodeID, challengeData: some Collection<UInt8>
    ) throws(DiscV5Error) -> SessionKeys {
        let secret: [UInt8]
        do throws(Secp256k1.Error) {
            let ephemeral = try Secp256k1.PublicKey(sec1: ephemeralPublicKey)
            secret = try staticKey.sharedSecret(with: ephemeral)
        } catch {
            throw .invalidPublicKey
        }
        return derive(sharedSecret: secret, initiator: initiator, recipient: recipient, challengeData: challengeData)
    }
}
