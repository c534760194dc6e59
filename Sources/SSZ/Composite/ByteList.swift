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
    @inlinable public static var sszFixedSize: Int? { nil }
    @inlinable public var sszEncodedLength: Int { bytes.count }
    @inlinable public func encodeSSZ(into writer: inout SSZWriter) { writer.write(bytes) }

    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        guard bytes.count <= limit else { throw .make(.limitExceeded) }
        self._bytes = Array(bytes)
    }

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
