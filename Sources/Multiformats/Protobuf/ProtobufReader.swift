/// A forward-only reader of protobuf wire-format fields.
///
/// The reader never copies its input: length-delimited values are slices of it. Every length
/// is checked against the remaining input and ``ProtobufLimits`` before it is used; groups
/// (wire types 3 and 4) are rejected. Callers switch over ``ProtobufField/number`` and skip
/// unknown fields simply by ignoring them.
///
/// ```swift
/// var reader = try ProtobufReader(bytes)
/// while let field = try reader.next() {
///     switch field.number {
///     case 1: type = try field.uint64()
///     case 2: data = try field.bytes()
///     default: break // unknown field: skipped
///     }
/// }
/// ```
public struct ProtobufReader: Sendable {
    @usableFromInline let input: ArraySlice<UInt8>
    @usableFromInline var position: Int
    /// The limits this reader (and readers of nested messages) enforce.
    public let limits: ProtobufLimits
    /// The nesting depth of this message (0 for a top-level message).
    public let depth: Int

    /// A reader over `bytes`, which must not exceed `limits.maxMessageLength`.
    @inlinable
    public init(_ bytes: ArraySlice<UInt8>, limits: ProtobufLimits = .default) throws(ProtobufError) {
        try self.init(bytes, limits: limits, depth: 0)
    }

    /// A reader over `bytes`, which must not exceed `limits.maxMessageLength`.
    @inlinable
    public init(_ bytes: [UInt8], limits: ProtobufLimits = .default) throws(ProtobufError) {
        try self.init(bytes[...], limits: limits, depth: 0)
    }

    @inlinable
    init(_ bytes: ArraySlice<UInt8>, limits: ProtobufLimits, depth: Int) throws(ProtobufError) {
        guard bytes.count <= limits.maxMessageLength else { throw .messageTooLong(bytes.count) }
        guard depth <= limits.maxDepth else { throw .nestingTooDeep }
        self.input = bytes
        self.position = bytes.startIndex
        self.limits = limits
        self.depth = depth
    }

    /// Whether every field has been read.
    @inlinable
    public var isAtEnd: Bool { position >= input.endIndex }

    /// A reader for an embedded message (a length-delimited value of this message), one level
    /// deeper, with the same limits.
    @inlinable
    public func nested(_ bytes: ArraySlice<UInt8>) throws(ProtobufError) -> ProtobufReader {
        try ProtobufReader(bytes, limits: limits, depth: depth + 1)
    }

    /// A reader for the embedded message in `field`.
    @inlinable
    public func nested(_ field: ProtobufField) throws(ProtobufError) -> ProtobufReader {
        try nested(try field.bytes())
    }

    /// The next field, or `nil` at the end of the message.
    @inlinable
    public mutating func next() throws(ProtobufError) -> ProtobufField? {
        guard position < input.endIndex else { return nil }
        let tag = try readVarint()
        let number = tag >> 3
        guard number >= 1 && number <= 0x1fff_ffff else { throw .invalidFieldNumber(number) }
        let field = Int(number)
        switch UInt8(tag & 7) {
        case 0:
            return ProtobufField(number: field, value: .varint(try readVarint()))
        case 1:
            return ProtobufField(number: field, value: .fixed64(try readFixed(UInt64.self)))
        case 5:
            return ProtobufField(number: field, value: .fixed32(try readFixed(UInt32.self)))
        case 2:
            let length = try readVarint()
            guard length <= UInt64(limits.maxFieldLength) else { throw .fieldTooLong(field: field, length: length) }
            guard length <= UInt64(input.endIndex - position) else { throw .truncated }
            let end = position + Int(length)
            let value = input[position..<end]
            position = end
            return ProtobufField(number: field, value: .lengthDelimited(value))
        case let wireType:
            throw .unsupportedWireType(wireType)
        }
    }

    @inlinable
    mutating func readVarint() throws(ProtobufError) -> UInt64 {
        let remaining = input[position...]
        let decoded: (value: UInt64, length: Int)
        do throws(VarintError) {
            decoded = try UVarint.decode(remaining, rules: .protobuf)
        } catch .truncated {
            throw .truncated
        } catch {
            throw .malformedVarint(error)
        }
        position += decoded.length
        return decoded.value
    }

    @inlinable
    mutating func readFixed<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws(ProtobufError) -> T {
        let size = MemoryLayout<T>.size
        guard input.endIndex - position >= size else { throw .truncated }
        var value: T = 0
        for offset in 0..<size {
            value |= T(input[position + offset]) << (8 * offset)
        }
        position += size
        return value
    }
}
