/// Why a Snappy input (block or framed stream) was rejected, or an input could not be compressed.
///
/// Every decoder in this module reports failures through this type and never traps,
/// whatever the input.
public enum SnappyError: Error, Equatable, Sendable {
    /// The input ended inside a varint, a chunk header or a chunk body.
    case truncated
    /// The declared (or accumulated) uncompressed length is larger than the caller's limit.
    /// Raised before anything of that size is allocated.
    case lengthExceedsLimit(declared: Int, limit: Int)
    /// The compressed data is malformed: a bad varint, a copy before the start of the output,
    /// data that does not produce exactly the declared length, or trailing bytes.
    case corrupt
    /// The masked CRC-32C stored in a data chunk does not match its uncompressed data.
    case badChecksum(stored: UInt32, computed: UInt32)
    /// A framed stream did not start with a stream identifier chunk.
    case missingStreamIdentifier
    /// A stream identifier chunk had the wrong length or contents.
    case badStreamIdentifier
    /// A reserved unskippable chunk (types `0x02...0x7f`) was found.
    case unskippableChunk(type: UInt8)
    /// A data chunk is larger than the framing format allows (at most 65536 uncompressed
    /// bytes, and a compressed body no larger than libsnappy's bound for that).
    case chunkTooLarge(length: Int, limit: Int)
    /// The input to a block compressor is longer than the block format can describe (2^32 - 1 bytes).
    case inputTooLarge(length: Int)
}
