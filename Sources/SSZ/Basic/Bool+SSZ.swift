/// SSZ `boolean`: one byte, `0x00` or `0x01`; any other byte is rejected.
extension Bool: SSZType {
    @inlinable public static var sszFixedSize: Int? { 1 }
    @inlinable public static var sszPackedSize: Int? { 1 }
    @inlinable public var sszEncodedLength: Int { 1 }

    @inlinable
    public func encodeSSZ(into writer: inout SSZWriter) { writer.writeByte(self ? 1 : 0) }

    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        guard bytes.count == 1 else { throw .make(.wrongSize) }
        switch bytes[0] {
        case 0: self = false
        case 1: self = true
        default: throw .make(.invalidBoolean)
        }
    }

    @inlinable
    public func hashTreeRoot() -> SSZRoot { SSZRoot(storage: (self ? 1 : 0, 0, 0, 0)) }
}
