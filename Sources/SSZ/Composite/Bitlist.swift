/// SSZ `Bitlist[limit]`: up to `limit` bits; serialized with a trailing delimiter bit.
public struct Bitlist<let limit: Int>: Hashable, Sendable {
    /// The packed bits without the delimiter, `(count + 7) / 8` bytes.
    public var bytes: [UInt8] { _bytes }
    @usableFromInline var _bytes: [UInt8]
    /// The number of bits.
    public var count: Int { _count }
    @usableFromInline var _count: Int

    /// The empty bitlist.
    @inlinable
    public init() {
        _bytes = []
        _count = 0
    }

    /// The given bits; throws ``SSZError/Code/limitExceeded`` beyond `limit`.
    @inlinable
    public init(_ bits: some Sequence<Bool>) throws(SSZError) {
        let (packed, n) = Bits.pack(bits)
        guard n <= limit else { throw .make(.limitExceeded) }
        _bytes = packed
        _count = n
    }

    /// Bit `index`.
    @inlinable
    public subscript(index: Int) -> Bool {
        get { Bits.get(bytes, index) }
        set {
            precondition(index >= 0 && index < count, "bit index out of range")
            Bits.set(&_bytes, index, newValue)
        }
    }

    /// The bits in order.
    public var bits: [Bool] { (0 ..< count).map { self[$0] } }
}

extension Bitlist: SSZEncodable, SSZDecodable, SSZMerkleizable {
    @inlinable public static var sszFixedSize: Int? { nil }
    @inlinable public var sszEncodedLength: Int { count / 8 + 1 }
    @inlinable public func encodeSSZ(into writer: inout SSZWriter) { Bits.encodeBitlist(bytes, count: count, into: &writer) }

    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        (self._bytes, self._count) = try Bits.decodeBitlist(bytes, limit: limit)
    }

    @inlinable
    public func hashTreeRoot() -> SSZRoot {
        let root = Merkleizer.merkleize(chunkCount: (bytes.count + 31) / 32, limit: (limit + 255) / 256) { Bits.fill(bytes, $0) }
        return Merkleizer.mixInLength(root, count)
    }
}
