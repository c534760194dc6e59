/// SSZ `ProgressiveBitList` (EIP-7916): a bitlist without a limit, merkleized progressively.
public struct ProgressiveBitlist: Hashable, Sendable {
    /// The packed bits without the delimiter, `(count + 7) / 8` bytes.
    public var bytes: [UInt8] { _bytes }
    @usableFromInline var _bytes: [UInt8]
    /// The number of bits.
    public var count: Int { _count }
    @usableFromInline var _count: Int

    /// A bitlist of the given bits.
    @inlinable
    public init(_ bits: some Sequence<Bool>) { (_bytes, _count) = Bits.pack(bits) }

    /// The empty bitlist.
    @inlinable
    public init() { (_bytes, _count) = ([], 0) }

    /// Bit `index`.
    @inlinable
    public subscript(index: Int) -> Bool { Bits.get(bytes, index) }

    /// The bits in order.
    public var bits: [Bool] { (0 ..< count).map { self[$0] } }
}

extension ProgressiveBitlist: SSZEncodable, SSZDecodable, SSZMerkleizable {
    /// `nil`: a bitlist is variable-size.
    @inlinable public static var sszFixedSize: Int? { nil }
    /// `count / 8 + 1` bytes: the bits plus the delimiter bit.
    @inlinable public var sszEncodedLength: Int { count / 8 + 1 }
    /// Writes the packed bits followed by a 1 bit at position `count`, as a `Bitlist` does.
    @inlinable public func encodeSSZ(into writer: inout SSZWriter) { Bits.encodeBitlist(bytes, count: count, into: &writer) }

    /// Decodes bits up to the highest set bit (the delimiter); throws
    /// ``SSZError/Code/missingBitlistDelimiter`` for an empty scope or a zero last byte.
    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        (self._bytes, self._count) = try Bits.decodeBitlist(bytes, limit: nil)
    }

    /// `merkleize_progressive` of the packed bits in 32-byte chunks, with the bit count mixed in.
    @inlinable
    public func hashTreeRoot() -> SSZRoot {
        let chunks = (bytes.count + 31) / 32
        guard chunks > 0 else { return Merkleizer.mixInLength(.zero, count) }
        var packed = bytes
        packed.append(contentsOf: repeatElement(0, count: chunks * 32 - bytes.count))
        let progressive = packed.withUnsafeMutableBytes { Merkleizer.merkleizeProgressive($0.baseAddress.unsafelyUnwrapped, count: chunks) }
        return Merkleizer.mixInLength(progressive, count)
    }
}
