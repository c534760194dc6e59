/// SSZ `boolean`: one byte, `0x00` or `0x01`; any other byte is rejected.
extension Bool: SSZType {
    /// Always 1 byte.
    @inlinable public static var sszFixedSize: Int? { 1 }
    /// 1: booleans pack 32 to a chunk.
    @inlinable public static var sszPackedSize: Int? { 1 }
    /// Always 1 byte.
    @inlinable public var sszEncodedLength: Int { 1 }

    /// Writes `0x01` for `true`, `0x00` for `false`.
    @inlinable
    public func encodeSSZ(into writer: inout SSZWriter) { writer.writeByte(self ? 1 : 0) }

    /// Decodes one byte; throws ``SSZError/Code/wrongSize`` unless `bytes` is exactly 1 byte and
    /// ``SSZError/Code/invalidBoolean`` for a byte other than `0x00` or `0x01`.
    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        guard bytes.count == 1 else { throw .make(.wrongSize) }
        switch bytes[0] {
        case 0: self = false
        case 1: self = true
        default: throw .make(.invalidBoolean)
        }
    }

    /// The value's byte followed by 31 zero bytes.
    @inlinable
    public func hashTreeRoot() -> SSZRoot { SSZRoot(storage: (self ? 1 : 0, 0, 0, 0)) }
}
