// Internal unsigned-varint codec (multiformats/unsigned-varint), kept private to this module
// until LibP2PCore's varint lands; swap this file for that one then.

/// Minimal unsigned LEB128 as used by multiformats: at most 9 bytes, minimally encoded.
@usableFromInline
enum MultistreamVarint {
    /// The outcome of reading a varint from the front of a buffer.
    @usableFromInline
    enum Read: Equatable {
        /// A complete value and the number of bytes it took.
        case value(UInt64, length: Int)
        /// The buffer ends inside the varint.
        case incomplete
        /// More than 9 bytes, or a non-minimal encoding.
        case malformed
    }

    /// Appends the encoding of `value` to `buffer`.
    @inlinable
    static func encode(_ value: UInt64, into buffer: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        buffer.append(UInt8(v))
    }

    /// Reads a varint from `bytes[start...]`.
    @inlinable
    static func read(_ bytes: [UInt8], from start: Int) -> Read {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = start
        while index < bytes.endIndex {
            let byte = bytes[index]
            let length = index - start + 1
            if length > 9 { return .malformed }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                // A final zero byte after at least one byte is a non-minimal encoding.
                if byte == 0 && length > 1 { return .malformed }
                return .value(value, length: length)
            }
            shift += 7
            index += 1
        }
        if index - start >= 9 { return .malformed }
        return .incomplete
    }
}
