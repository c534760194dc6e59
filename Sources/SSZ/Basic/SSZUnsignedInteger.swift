/// The SSZ `uintN` basic types: `UInt8`, `UInt16`, `UInt32`, `UInt64`, `UInt128` and ``UInt256``,
/// serialized little-endian in `N / 8` bytes.
public protocol SSZUnsignedInteger: FixedWidthInteger, UnsignedInteger, SSZType {}

extension SSZUnsignedInteger {
    /// `N / 8` bytes.
    @inlinable public static var sszFixedSize: Int? { bitWidth / 8 }
    /// `N / 8` bytes: values pack `256 / N` to a chunk.
    @inlinable public static var sszPackedSize: Int? { bitWidth / 8 }
    /// `N / 8` bytes.
    @inlinable public var sszEncodedLength: Int { Self.bitWidth / 8 }

    /// Writes the value little-endian in `N / 8` bytes.
    @inlinable
    public func encodeSSZ(into writer: inout SSZWriter) { writer.writeLittleEndian(self) }

    /// Decodes a little-endian value; throws ``SSZError/Code/wrongSize`` unless `bytes` is
    /// exactly `N / 8` bytes.
    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        guard bytes.count == Self.bitWidth / 8 else { throw .make(.wrongSize) }
        self.init(littleEndian: bytes.loadUnaligned(as: Self.self))
    }

    /// The little-endian bytes padded with zeros to 32.
    @inlinable
    public func hashTreeRoot() -> SSZRoot {
        var root = SSZRoot.zero
        withUnsafeMutableBytes(of: &root.storage) { $0.storeBytes(of: self.littleEndian, as: Self.self) }
        return root
    }
}

extension UInt8: SSZUnsignedInteger {}
extension UInt16: SSZUnsignedInteger {}
extension UInt32: SSZUnsignedInteger {}
extension UInt64: SSZUnsignedInteger {}
extension UInt128: SSZUnsignedInteger {}
