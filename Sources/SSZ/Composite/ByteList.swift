/// SSZ `ByteList[limit]`: up to `limit` opaque bytes, stored contiguously.
public struct ByteList<let limit: Int>: Hashable, Sendable {
    /// The bytes, at most `limit` of them.
    public var bytes: [UInt8] { _bytes }
    @usableFromInline var _bytes: [UInt8]

    /// The empty byte list.
    @inlinable
    public init() { _bytes = [] }

    /// The given bytes; throws ``SSZError/Code/limitExceeded`` beyond `limit`.
    @inlinable
    public init(_ bytes: some Sequence<UInt8>) throws(SSZError) {
        let array = Array(bytes)
        guard array.count <= limit else { throw .make(.limitExceeded) }
        self._bytes = array
    }

    /// The number of bytes.
    @inlinable public var count: Int { bytes.count }
}

extension ByteList: SSZEncodable, SSZDecodable, SSZMerkleizable {
    /// `nil`: a byte list is variable-size.
    @inlinable public static var sszFixedSize: Int? { nil }
    /// The number of bytes (no length prefix: the enclosing scope delimits the list).
    @inlinable public var sszEncodedLength: Int { bytes.count }
    /// Writes the bytes as they are.
    @inlinable public func encodeSSZ(into writer: inout SSZWriter) { writer.write(bytes) }

    /// Copies the whole scope; throws ``SSZError/Code/limitExceeded`` when it is longer than `limit`.
    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        guard bytes.count <= limit else { throw .make(.limitExceeded) }
        self._bytes = Array(bytes)
    }

    /// The bytes in 32-byte chunks merkleized up to `limit` bytes' worth, with the length mixed in.
    @inlinable
    public func hashTreeRoot() -> SSZRoot {
        let root = Merkleizer.merkleize(chunkCount: (bytes.count + 31) / 32, limit: (limit + 31) / 32) { buffer in
            bytes.withUnsafeBytes { source in
                if source.count > 0 { buffer.baseAddress.unsafelyUnwrapped.copyMemory(from: source.baseAddress.unsafelyUnwrapped, byteCount: source.count) }
            }
        }
        return Merkleizer.mixInLength(root, bytes.count)
    }
}
