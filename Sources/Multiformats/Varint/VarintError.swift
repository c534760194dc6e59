/// Why an unsigned varint could not be decoded.
public enum VarintError: Error, Equatable, Sendable {
    /// The input ended before the last byte of the varint (more bytes may complete it).
    case truncated
    /// The varint is longer than the rules allow (9 bytes for multiformats, 10 for protobuf).
    case tooLong
    /// The varint ends in a zero byte after other bytes: a non-minimal encoding.
    case notMinimal
    /// The value does not fit in 64 bits.
    case overflow
    /// Bytes follow the varint where none may.
    case trailingBytes
}
