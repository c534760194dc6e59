import Crypto
import Foundation

/// AES-128-GCM encryption of message plaintexts: 12-byte nonce (the packet nonce), associated
/// data = masking-iv ‖ unmasked header, output = ciphertext ‖ 16-byte tag.
public enum MessageCipher {
    /// Session key length.
    public static let keyByteCount = 16
    /// Packet nonce length.
    public static let nonceByteCount = 12
    /// GCM tag length, appended to every ciphertext.
    public static let tagByteCount = 16

    /// Encrypts `plaintext`; returns ciphertext ‖ tag.
    public static func seal(
        _ plaintext: some Collection<UInt8>, key: some Collection<UInt8>, nonce: some Collection<UInt8>,
        authenticating associatedData: some Collection<UInt8>
    ) throws(DiscV5Error) -> [UInt8] {
        try checkLengths(key: key, nonce: nonce)
        do {
            let box = try AES.GCM.seal(
                Array(plaintext), using: SymmetricKey(data: Array(key)),
                nonce: try AES.GCM.Nonce(data: Array(nonce)), authenticating: Array(associatedData))
            return Array(box.ciphertext) + Array(box.tag)
        } catch {
            throw .cipherFailure
        }
    }

    /// Authenticates and decrypts ciphertext ‖ tag; throws ``DiscV5Error/decryptionFailed``
    /// when authentication fails.
    public static func open(
        _ sealed: some Collection<UInt8>, key: some Collection<UInt8>, nonce: some Collection<UInt8>,
        authenticating associatedData: some Collection<UInt8>
    ) throws(DiscV5Error) -> [UInt8] {
        try checkLengths(key: key, nonce: nonce)
        guard sealed.count >= tagByteCount else { throw .messageTooShort(sealed.count) }
        let bytes = Array(sealed)
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.SealedBox(
                nonce: try AES.GCM.Nonce(data: Array(nonce)),
                ciphertext: bytes[..<(bytes.count - tagByteCount)],
                tag: bytes[(bytes.count - tagByteCount)...])
        } catch {
            throw .cipherFailure
        }
        do {
            return Array(try AES.GCM.open(box, using: SymmetricKey(data: Array(key)), authenticating: Array(associatedData)))
        } catch {
            throw .decryptionFailed
        }
    }

    private static func checkLengths(key: some Collection<UInt8>, nonce: some Collection<UInt8>) throws(DiscV5Error) {
        guard key.count == keyByteCount else { throw .invalidFieldLength(field: "key", length: key.count) }
        guard nonce.count == nonceByteCount else { throw .invalidFieldLength(field: "nonce", length: nonce.count) }
    }
}
