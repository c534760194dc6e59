/// Unsigned LEB128 varints as multiformats and protobuf use them.
///
/// Multiformats varints (``Rules/multiformats``) are at most 9 bytes (63 bits) and must be
/// minimally encoded. Protobuf varints (``Rules/protobuf``) may take 10 bytes (a full `UInt64`)
/// and tolerate redundant trailing `0x80` groups, as the protobuf encoding spec allows.
public enum UVarint {
    /// Decoding rules: maximum length and whether a minimal encoding is required.
    public struct Rules: Sendable, Equatable {
        /// The longest accepted encoding, in bytes (1...10).
        public var maxBytes: Int
        /// Whether an encoding ending in a zero group (other than `0x00` itself) is rejected.
        public var requireMinimal: Bool

        /// Creates rules; `maxBytes` is clamped to 1...10.
        @inlinable
        public init(maxBytes: Int, requireMinimal: Bool) {
            self.maxBytes = min(max(maxBytes, 1), 10)
            self.requireMinimal = requireMinimal
        }

        /// The multiformats unsigned-varint rules: at most 9 bytes, minimal.
        public static let multiformats = Rules(maxBytes: 9, requireMinimal: true)
        /// The protobuf rules: at most 10 bytes, redundant encodings tolerated.
        public static let protobuf = Rules(maxBytes: 10, requireMinimal: false)
    }

    /// The largest encoding of a `UInt64`, in bytes.
    public static let maxEncodedLength = 10

    /// The number of bytes `value` takes when encoded.
    @inlinable
    public static func encodedLength(_ value: UInt64) -> Int {
        // 1 + floor(bitWidth - 1) / 7, with 0 taking one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Appends the minimal encoding of `value` to `bytes`.
    ///
    /// Values of 2^63 and above take 10 bytes: valid for protobuf, rejected by multiformats decoders.
    @inlinable
    public static func encode(_ value: UInt64, into bytes: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// The minimal encoding of `value`.
    @inlinable
    public static func encode(_ value: UInt64) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(encodedLength(value))
        encode(value, into: &bytes)
        return bytes
    }

    /// Decodes a varint at the start of `buffer`.
    ///
    /// - Returns: the value and the number of bytes it took.
    /// - Throws: ``VarintError/truncated`` when `buffer` ends inside the varint (a streaming
    ///   decoder waits for more bytes), otherwise the violated rule.
    @inlinable
    public static func decode(
        _ buffer: UnsafeRawBufferPointer, rules: Rules = .multiformats
    ) throws(VarintError) -> (value: UInt64, length: Int) {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = 0
        while true {
            guard index < rules.maxBytes else { throw .tooLong }
            guard index < buffer.count else { throw .truncated }
            let byte = buffer[index]
            index += 1
            if index == 10 && byte > 1 { throw .overflow }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 {
                if rules.requireMinimal && byte == 0 && index > 1 { throw .notMinimal }
                return (value, index)
            }
            shift += 7
        }
    }

    /// Decodes a varint at the start of `bytes` (see ``decode(_:rules:)-(UnsafeRawBufferPointer,_)``).
    @inlinable
    public static func decode(
        _ bytes: ArraySlice<UInt8>, rules: Rules = .multiformats
    ) throws(VarintError) -> (value: UInt64, length: Int) {
        let result: Result<(value: UInt64, length: Int), VarintError> = bytes.withUnsafeBytes { buffer in
            do throws(VarintError) { return .success(try decode(buffer, rules: rules)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Decodes a varint at the start of `bytes`.
    @inlinable
    public static func decode(
        _ bytes: [UInt8], rules: Rules = .multiformats
    ) throws(VarintError) -> (value: UInt64, length: Int) {
        try decode(bytes[...], rules: rules)
    }

    /// Decodes `bytes` as exactly one varint, with no bytes after it.
    @inlinable
    public static func decodeExactly(
        _ bytes: some Collection<UInt8>, rules: Rules = .multiformats
    ) throws(VarintError) -> UInt64 {
        let array = Array(bytes)
        let (value, length) = try decode(array[...], rules: rules)
        guard length == array.count else { throw .trailingBytes }
        return value
    }
}
