/// The unsigned-varint (multiformats) codec mplex uses: little-endian base 128, at most 9 bytes
/// (63 bits), minimal encodings only.
enum MplexVarint {
    /// The longest encoding allowed.
    static let maxByteCount = 9

    enum Decoded: Equatable {
        /// More bytes are needed.
        case incomplete
        /// A value and the number of bytes it took.
        case value(UInt64, byteCount: Int)
    }

    static func encode(_ value: UInt64, into buffer: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        buffer.append(UInt8(rest))
    }

    /// Decodes a varint at the start of `bytes`.
    static func decode(_ bytes: ArraySlice<UInt8>) throws(MplexProtocolError) -> Decoded {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var count = 0
        for byte in bytes {
            count += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                if count > 1, byte == 0 { throw .nonMinimalVarint }
                return .value(value, byteCount: count)
            }
            if count == maxByteCount { throw .varintTooLong }
            shift += 7
        }
        return .incomplete
    }
}
