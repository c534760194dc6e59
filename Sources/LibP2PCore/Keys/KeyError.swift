/// Why a key could not be decoded or used.
public enum KeyError: Error, Equatable, Sendable {
    /// The key protobuf is malformed (truncated, a bad varint, a missing field, a wrong wire type).
    case protobuf(ProtobufError)
    /// The encoded key is longer than ``KeyEncoding/maxEncodedLength``.
    case tooLong(Int)
    /// A `Type` value outside the `KeyType` enum.
    case unknownKeyType(Int64)
    /// The `Data` field is not a valid key of the announced type (wrong length, bad point,
    /// bad DER, an RSA modulus outside 2048...8192 bits, an unsupported ECDSA curve).
    case invalidKeyData(KeyType)
    /// An Ed25519 private key whose embedded public key does not match its seed.
    case mismatchedPublicKey
    /// Decoding required the canonical encoding and the input was not it.
    case nonCanonicalEncoding
    /// The underlying signing primitive failed.
    case signingFailed(KeyType)
}
