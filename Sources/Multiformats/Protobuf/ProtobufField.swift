/// The wire types of the protobuf encoding that carry values.
public enum ProtobufWireType: UInt8, Sendable {
    /// 0: an unsigned LEB128 varint.
    case varint = 0
    /// 1: eight little-endian bytes.
    case fixed64 = 1
    /// 2: a varint length followed by that many bytes.
    case lengthDelimited = 2
    /// 5: four little-endian bytes.
    case fixed32 = 5
}

/// A wire value read from an array slice, the common case.
public typealias ProtobufValue = ProtobufInputValue<ArraySlice<UInt8>>

/// A field read from an array slice, the common case.
public typealias ProtobufField = ProtobufInputField<ArraySlice<UInt8>>

/// One value as it appears on the wire, before a schema gives it a type.
public enum ProtobufInputValue<Input: ProtobufInput> {
    /// A varint value, not yet interpreted as signed, zigzag or bool.
    case varint(UInt64)
    /// A 64-bit fixed value (`fixed64`, `sfixed64` or `double` bits).
    case fixed64(UInt64)
    /// The field's bytes, sharing storage with the reader's input.
    case lengthDelimited(Input)
    /// A 32-bit fixed value (`fixed32`, `sfixed32` or `float` bits).
    case fixed32(UInt32)

    /// The wire type of this value.
    @inlinable
    public var wireType: ProtobufWireType {
        switch self {
        case .varint: .varint
        case .fixed64: .fixed64
        case .lengthDelimited: .lengthDelimited
        case .fixed32: .fixed32
        }
    }
}

/// A field read by ``ProtobufInputReader``: its number and wire value, with typed accessors that
/// check the wire type.
public struct ProtobufInputField<Input: ProtobufInput> {
    /// The field number (1...2^29 - 1).
    public let number: Int
    /// The raw wire value.
    public let value: ProtobufInputValue<Input>

    /// A field with the given number and wire value; nothing is checked.
    @inlinable
    public init(number: Int, value: ProtobufInputValue<Input>) {
        self.number = number
        self.value = value
    }

    /// A `uint64` (or any varint) value.
    @inlinable
    public func uint64() throws(ProtobufError) -> UInt64 {
        guard case .varint(let raw) = value else { throw .wrongWireType(field: number) }
        return raw
    }

    /// A `uint32` value; values above `UInt32.max` are rejected rather than truncated.
    @inlinable
    public func uint32() throws(ProtobufError) -> UInt32 {
        guard let narrow = UInt32(exactly: try uint64()) else { throw .valueOutOfRange(field: number) }
        return narrow
    }

    /// An `int32` or `enum` value (negative values are sign-extended to 10 bytes on the wire).
    @inlinable
    public func int32() throws(ProtobufError) -> Int32 {
        let raw = Int64(bitPattern: try uint64())
        guard let narrow = Int32(exactly: raw) else { throw .valueOutOfRange(field: number) }
        return narrow
    }

    /// An `int64` value.
    @inlinable
    public func int64() throws(ProtobufError) -> Int64 {
        Int64(bitPattern: try uint64())
    }

    /// A `bool` value (any non-zero varint is true, as protobuf parsers accept).
    @inlinable
    public func bool() throws(ProtobufError) -> Bool {
        try uint64() != 0
    }

    /// A `fixed64` / `sfixed64` / `double` value's bits.
    @inlinable
    public func fixed64() throws(ProtobufError) -> UInt64 {
        guard case .fixed64(let raw) = value else { throw .wrongWireType(field: number) }
        return raw
    }

    /// A `fixed32` / `sfixed32` / `float` value's bits.
    @inlinable
    public func fixed32() throws(ProtobufError) -> UInt32 {
        guard case .fixed32(let raw) = value else { throw .wrongWireType(field: number) }
        return raw
    }

    /// A `bytes` or embedded message value, sharing storage with the input.
    @inlinable
    public func bytes() throws(ProtobufError) -> Input {
        guard case .lengthDelimited(let raw) = value else { throw .wrongWireType(field: number) }
        return raw
    }

    /// A `string` value, validated as UTF-8.
    public func string() throws(ProtobufError) -> String {
        let raw = try bytes()
        guard let text = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8(field: number) }
        return text
    }
}

extension ProtobufInputValue: Sendable where Input: Sendable {}
extension ProtobufInputValue: Equatable where Input: Equatable {}
extension ProtobufInputField: Sendable where Input: Sendable {}
extension ProtobufInputField: Equatable where Input: Equatable {}
