// Minimal protobuf primitives for the pubsub RPC (varints and length-delimited fields only).
// Internal and self-contained so that LibP2PCore's codec can replace it later without touching
// the router. Nothing here allocates in proportion to a length field before checking it against
// the bytes actually present.

/// Protobuf wire types used by the pubsub schema.
@usableFromInline
enum WireType: UInt64 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
}

/// A forward-only reader over a byte range of an array.
@usableFromInline
struct ProtoReader {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline var position: Int
    @usableFromInline let end: Int

    @inlinable
    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    @inlinable
    var isAtEnd: Bool { position >= end }

    @inlinable
    mutating func readVarint() throws(RPCDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw .truncated }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 { throw .malformedVarint }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw .malformedVarint }
        }
    }

    /// Reads a tag and returns `(field number, wire type)`.
    @inlinable
    mutating func readTag() throws(RPCDecodingError) -> (UInt64, WireType) {
        let tag = try readVarint()
        let field = tag >> 3
        guard field != 0, let type = WireType(rawValue: tag & 7) else { throw .invalidTag(tag) }
        return (field, type)
    }

    /// Reads a length prefix and returns the range of the payload, checked against the input.
    @inlinable
    mutating func readLengthDelimited() throws(RPCDecodingError) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else { throw .truncated }
        let start = position
        position += Int(length)
        return start..<position
    }

    /// Skips a field of an unknown number.
    @inlinable
    mutating func skip(_ type: WireType) throws(RPCDecodingError) {
        switch type {
        case .varint: _ = try readVarint()
        case .fixed64: try advance(8)
        case .fixed32: try advance(4)
        case .lengthDelimited: _ = try readLengthDelimited()
        }
    }

    @inlinable
    mutating func advance(_ n: Int) throws(RPCDecodingError) {
        guard end - position >= n else { throw .truncated }
        position += n
    }

    /// A sub-reader over `range` of the same storage (no copy).
    @inlinable
    func subReader(_ range: Range<Int>) -> ProtoReader {
        ProtoReader(bytes, range: range)
    }

    /// Copies `range` out, after checking it against `limit`.
    @inlinable
    func bytes(_ range: Range<Int>, field: String, limit: Int) throws(RPCDecodingError) -> [UInt8] {
        guard range.count <= limit else {
            throw .fieldTooLong(field: field, length: range.count, limit: limit)
        }
        return Array(bytes[range])
    }

    @inlinable
    func string(_ range: Range<Int>, field: String, limit: Int) throws(RPCDecodingError) -> String {
        guard range.count <= limit else {
            throw .fieldTooLong(field: field, length: range.count, limit: limit)
        }
        guard let s = String(validating: bytes[range], as: UTF8.self) else { throw .invalidUTF8(field: field) }
        return s
    }
}

/// An append-only protobuf writer.
@usableFromInline
struct ProtoWriter {
    @usableFromInline var bytes: [UInt8] = []

    @inlinable init() {}

    @inlinable
    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inlinable
    mutating func writeTag(_ field: UInt64, _ type: WireType) {
        writeVarint(field << 3 | type.rawValue)
    }

    @inlinable
    mutating func writeBytes<C: Collection>(_ field: UInt64, _ value: C) where C.Element == UInt8 {
        writeTag(field, .lengthDelimited)
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    @inlinable
    mutating func writeString(_ field: UInt64, _ value: String) {
        writeBytes(field, value.utf8)
    }

    @inlinable
    mutating func writeVarintField(_ field: UInt64, _ value: UInt64) {
        writeTag(field, .varint)
        writeVarint(value)
    }

    /// Writes a nested message built by `body` as a length-delimited field.
    @inlinable
    mutating func writeMessage(_ field: UInt64, _ body: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        body(&inner)
        writeBytes(field, inner.bytes)
    }
}

/// Number of bytes `value` takes as a varint.
@inlinable
func varintSize(_ value: UInt64) -> Int {
    var n = 1
    var v = value
    while v >= 0x80 { v >>= 7; n += 1 }
    return n
}
