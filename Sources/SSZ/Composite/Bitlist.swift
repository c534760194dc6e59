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
    /// `nil`: a bitlist is variable-size.
    @inlinable public static var sszFixedSize: Int? { nil }
    /// `count / 8 + 1` bytes: the bits plus the delimiter bit.
    @inlinable public var sszEncodedLength: Int { count / 8 + 1 }
    /// Writes the packed bits followed by a 1 bit at position `count`.
    @inlinable public func encodeSSZ(into writer: inout SSZWriter) { Bits.encodeBitlist(bytes, count: count, into: &writer) }

    /// Decodes bits up to the highest set bit (the delimiter); throws
    /// ``SSZError/Code/missingBitlistDelimiter`` for an empty scope or a zero last byte, and
    /// ``SSZError/Code/limitExceeded`` for more than `limit` bits.
    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        (self._bytes, self._count) = try Bits.decodeBitlist(bytes, limit: limit)
    }

    /// The packed bits (without delimiter) merkleized up to `limit` bits' worth of chunks, with
    /// the bit count mixed in.
    @inlinable
    public func hashTreeRoot() -> SSZRoot {
        let root = Merkleizer.merkleize(chunkCount: (bytes.count + 31) / 32, limit: (limit + 255) / 256) { Bits.fill(bytes, $0) }
        return Merkleizer.mixInLength(root, count)
    }
}
