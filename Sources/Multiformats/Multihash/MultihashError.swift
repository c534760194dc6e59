/// Why bytes are not an acceptable multihash.
public enum MultihashError: Error, Equatable, Sendable {
    /// The code or length varint is malformed or truncated.
    case malformedVarint(VarintError)
    /// A hash function code this library does not support.
    case unsupportedCode(UInt64)
    /// A digest longer than the hash function produces (or than the identity limit).
    case digestTooLong(code: UInt64, length: UInt64)
    /// Fewer digest bytes than the length prefix announces.
    case truncatedDigest
    /// Bytes after the digest.
    case trailingBytes
    /// A requested truncation longer than the digest.
    case invalidTruncation
}
