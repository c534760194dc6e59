import LibP2PCore

/// Why a Noise operation failed.
public enum NoiseError: Error, Equatable, Sendable {
    /// The protocol name is malformed or names an unsupported pattern, DH, cipher or hash.
    case unsupportedProtocol(String)
    /// A key the pattern needs (local static, ephemeral, remote static or PSK) was not given,
    /// or has the wrong length.
    case missingKey(String)
    /// `writeMessage` / `readMessage` was called out of turn or after the handshake finished.
    case outOfOrder
    /// A handshake message is shorter than its tokens require.
    case messageTooShort
    /// A message or frame exceeds 65535 bytes (or its plaintext exceeds 65535 - 16).
    case messageTooLong(Int)
    /// An AEAD tag did not verify: the message was tampered with or the keys differ.
    case decryptionFailed
    /// The nonce reached 2^64 - 1: the cipher state must not be used any more.
    case nonceExhausted
    /// A Diffie-Hellman result was all zeros (low-order remote public key).
    case invalidPublicKey
    /// A transport frame's length is below the 16-byte authentication tag.
    case frameTooShort(Int)
    /// The libp2p handshake payload could not be decoded.
    case invalidPayload(ProtobufError)
    /// The remote's identity signature over its static key did not verify.
    case invalidIdentitySignature
    /// The remote authenticated as a different peer than the one dialed.
    case peerIDMismatch(expected: [UInt8], actual: [UInt8])
    /// The local identity could not sign the static key.
    case signingFailed
    /// A previous error left this state machine unusable.
    case failedEarlier
}
