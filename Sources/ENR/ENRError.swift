import RLP

/// Why a node record was rejected or could not be built.
public enum ENRError: Error, Equatable, Sendable {
    /// The encoded record is longer than 300 bytes.
    case recordTooLarge(Int)
    /// The bytes are not canonical RLP, or not exactly one list of the record's shape.
    case malformedRLP(RLPError)
    /// The list has no signature or no sequence number, or a key without a value.
    case missingField
    /// Keys are not in strictly increasing byte order.
    case keysNotSorted
    /// A key appears twice.
    case duplicateKey([UInt8])
    /// The record has no `id` key.
    case missingIdentityScheme
    /// The `id` value names a scheme this implementation does not support (only "v4").
    case unsupportedIdentityScheme([UInt8])
    /// The `secp256k1` key is missing or not a valid compressed public key.
    case invalidPublicKey
    /// The signature is not 64 bytes (r ‖ s).
    case invalidSignatureEncoding
    /// The signature does not verify against the record's public key.
    case signatureVerificationFailed
    /// The text form does not start with `enr:` or is not canonical unpadded base64url.
    case invalidText
    /// A value of a known key has the wrong shape (e.g. a 5-byte `ip` or a 3-byte port).
    case invalidValue(key: String)
    /// A key or value passed to the builder is not acceptable.
    case invalidEntry(key: String)
}
