/// Why protobuf bytes could not be decoded.
public enum ProtobufError: Error, Equatable, Sendable {
    /// A tag or varint value was malformed.
    case malformedVarint(VarintError)
    /// The input ended inside a field.
    case truncated
    /// A field number of 0 or above 2^29 - 1.
    case invalidFieldNumber(UInt64)
    /// Wire type 3/4 (groups, deprecated) or 6/7 (undefined).
    case unsupportedWireType(UInt8)
    /// A length-delimited field longer than the configured limit.
    case fieldTooLong(field: Int, length: UInt64)
    /// A message longer than the configured limit.
    case messageTooLong(Int)
    /// Nested messages deeper than the configured limit.
    case nestingTooDeep
    /// A field carries a wire type its schema does not allow.
    case wrongWireType(field: Int)
    /// A value outside the range of the schema's type (e.g. a `uint32` above 2^32 - 1).
    case valueOutOfRange(field: Int)
    /// A `string` field that is not valid UTF-8.
    case invalidUTF8(field: Int)
    /// A required field is absent.
    case missingField(Int)
    /// A field that may occur once occurs more than once.
    case duplicateField(Int)
}
