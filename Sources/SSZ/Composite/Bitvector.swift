/// SSZ `Bitvector[count]`: exactly `count` bits, packed little-endian within bytes.
public struct Bitvector<let count: Int>: Hashable, Sendable {
    /// The packed bits, `(count + 7) / 8` bytes, unused high bits zero.
    public var bytes: [UInt8] { _bytes }
    @usableFromInline var _bytes: [UInt8]

    /// All bits clear.
    @inlinable
    public init() { _bytes = Array(repeating: 0, count: (Swift.max(count, 0) + 7) / 8) }

    /// The given bits; throws ``SSZError/Code/wrongElementCount`` unless there are exactly `count`.
    @inlinable
    public init(_ bits: some Sequence<Bool>) throws(SSZError) {
        let (packed, n) = Bits.pack(bits)
        guard n == count else { throw .make(.wrongElementCount) }
        _bytes = packed
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

extension Bitvector: SSZEncodable, SSZDecodable, SSZMerkleizable {
    /// `(count + 7) / 8` bytes.
    @inlinable public static var sszFixedSize: Int? { (count + 7) / 8 }
    /// `(count + 7) / 8` bytes.
    @inlinable public var sszEncodedLength: Int { bytes.count }
    /// Writes the packed bits.
    @inlinable public func encodeSSZ(into writer: inout SSZWriter) { writer.write(bytes) }

    /// Decodes exactly `(count + 7) / 8` bytes; throws ``SSZError/Code/wrongSize`` for another
    /// length, ``SSZError/Code/nonZeroPaddingBits`` when a bit beyond `count` is set, and
    /// ``SSZError/Code/illegalType`` when `count` is 0.
    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        guard count > 0 else { throw .make(.illegalType) }
        guard bytes.count == (count + 7) / 8 else { throw .make(.wrongSize) }
        if count % 8 != 0, bytes[bytes.count - 1] >> UInt8(count % 8) != 0 { throw .make(.nonZeroPaddingBits) }
        self._bytes = Array(bytes)
    }

    /// The packed bits in 32-byte chunks, merkleized (no length mixed in).
    @inlinable
    public func hashTreeRoot() -> SSZRoot {
        Merkleizer.merkleize(chunkCount: (bytes.count + 31) / 32, limit: (count + 255) / 256) { Bits.fill(bytes, $0) }
    }
}
