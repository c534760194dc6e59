/// Bytes a ``ProtobufInputReader`` reads in place: an array slice, or a slice of raw memory
/// (a received network buffer, read inside the closure that lends its storage).
public protocol ProtobufInput: RandomAccessCollection where Element == UInt8, Index == Int, SubSequence == Self {
    /// Decodes the varint that starts at `index`.
    func varint(at index: Int, rules: UVarint.Rules) throws(VarintError) -> (value: UInt64, length: Int)
    /// The bytes, copied into an array with one `memcpy`.
    var copiedToArray: [UInt8] { get }
}

extension ArraySlice: ProtobufInput where Element == UInt8 {
    /// Decodes the varint that starts at `index`.
    @inlinable
    public func varint(at index: Int, rules: UVarint.Rules) throws(VarintError) -> (value: UInt64, length: Int) {
        try UVarint.decode(self[index...], rules: rules)
    }

    /// The bytes, copied into an array with one `memcpy`.
    @inlinable
    public var copiedToArray: [UInt8] { Array(self) }
}

extension Slice: ProtobufInput where Base == UnsafeRawBufferPointer {
    /// Decodes the varint that starts at `index`.
    @inlinable
    public func varint(at index: Int, rules: UVarint.Rules) throws(VarintError) -> (value: UInt64, length: Int) {
        try UVarint.decode(UnsafeRawBufferPointer(rebasing: self[index...]), rules: rules)
    }

    /// The bytes, copied into an array with one `memcpy`.
    @inlinable
    public var copiedToArray: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { destination, initialized in
            UnsafeMutableRawBufferPointer(destination).copyMemory(from: UnsafeRawBufferPointer(rebasing: self))
            initialized = count
        }
    }
}

/// The reader of protobuf fields from an array slice, the common case.
public typealias ProtobufReader = ProtobufInputReader<ArraySlice<UInt8>>

/// A forward-only reader of protobuf wire-format fields.
///
/// The reader never copies its input: length-delimited values are slices of it. Every length
/// is checked against the remaining input and ``ProtobufLimits`` before it is used; groups
/// (wire types 3 and 4) are rejected. Callers switch over ``ProtobufInputField/number`` and skip
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
///
/// Over raw memory (`Slice<UnsafeRawBufferPointer>`), fields are slices of that memory and must
/// be copied out before the memory's owner lets go of it.
public struct ProtobufInputReader<Input: ProtobufInput> {
    @usableFromInline let input: Input
    @usableFromInline var position: Int
    /// The limits this reader (and readers of nested messages) enforce.
    public let limits: ProtobufLimits
    /// The nesting depth of this message (0 for a top-level message).
    public let depth: Int

    /// A reader over `bytes`, which must not exceed `limits.maxMessageLength`.
    @inlinable
    public init(_ bytes: Input, limits: ProtobufLimits = .default) throws(ProtobufError) {
        try self.init(bytes, limits: limits, depth: 0)
    }

    @inlinable
    init(_ bytes: Input, limits: ProtobufLimits, depth: Int) throws(ProtobufError) {
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
    public func nested(_ bytes: Input) throws(ProtobufError) -> Self {
        try Self(bytes, limits: limits, depth: depth + 1)
    }

    /// A reader for the embedded message in `field`.
    @inlinable
    public func nested(_ field: ProtobufInputField<Input>) throws(ProtobufError) -> Self {
        try nested(try field.bytes())
    }

    /// The next field, or `nil` at the end of the message.
    @inlinable
    public mutating func next() throws(ProtobufError) -> ProtobufInputField<Input>? {
        guard position < input.endIndex else { return nil }
        let tag = try readVarint()
        let number = tag >> 3
        guard number >= 1 && number <= 0x1fff_ffff else { throw .invalidFieldNumber(number) }
        let field = Int(number)
        switch UInt8(tag & 7) {
        case 0:
            return ProtobufInputField(number: field, value: .varint(try readVarint()))
        case 1:
            return ProtobufInputField(number: field, value: .fixed64(try readFixed(UInt64.self)))
        case 5:
            return ProtobufInputField(number: field, value: .fixed32(try readFixed(UInt32.self)))
        case 2:
            let length = try readVarint()
            guard length <= UInt64(limits.maxFieldLength) else { throw .fieldTooLong(field: field, length: length) }
            guard length <= UInt64(input.endIndex - position) else { throw .truncated }
            let end = position + Int(length)
            let value = input[position..<end]
            position = end
            return ProtobufInputField(number: field, value: .lengthDelimited(value))
        case let wireType:
            throw .unsupportedWireType(wireType)
        }
    }

    @inlinable
    mutating func readVarint() throws(ProtobufError) -> UInt64 {
        let decoded: (value: UInt64, length: Int)
        do throws(VarintError) {
            decoded = try input.varint(at: position, rules: .protobuf)
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

extension ProtobufInputReader: Sendable where Input: Sendable {}

extension ProtobufInputReader where Input == ArraySlice<UInt8> {
    /// A reader over `bytes`, which must not exceed `limits.maxMessageLength`.
    @inlinable
    public init(_ bytes: [UInt8], limits: ProtobufLimits = .default) throws(ProtobufError) {
        try self.init(bytes[...], limits: limits, depth: 0)
    }
}
