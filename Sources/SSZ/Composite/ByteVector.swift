/// SSZ `ByteVector[count]` / `Bytes<count>`: exactly `count` opaque bytes, stored inline
/// (a list of `ByteVector<32>` is one contiguous allocation).
public struct ByteVector<let count: Int>: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline var storage: InlineArray<count, UInt8>

    /// All zero bytes.
    @inlinable
    public init() { storage = InlineArray(repeating: 0) }

    /// The given bytes; throws ``SSZError/Code/wrongElementCount`` unless there are exactly `count`.
    @inlinable
    public init(_ bytes: some Collection<UInt8>) throws(SSZError) {
        guard bytes.count == count else { throw .make(.wrongElementCount) }
        storage = InlineArray(repeating: 0)
        var index = 0
        for byte in bytes {
            storage[index] = byte
            index += 1
        }
    }

    /// Byte `index`.
    @inlinable
    public subscript(index: Int) -> UInt8 {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// Calls `body` with the bytes.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.span.withUnsafeBytes(body)
    }

    /// The bytes as an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Whether both vectors hold the same bytes.
    public static func == (lhs: ByteVector, rhs: ByteVector) -> Bool {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in left.elementsEqual(right) } }
    }

    /// Hashes the bytes as one block, consistent with `==`.
    public func hash(into hasher: inout Hasher) { withUnsafeBytes { hasher.combine(bytes: $0) } }

    /// Lowercase hex with a `0x` prefix, two digits per byte.
    public var description: String { "0x" + bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
}

extension ByteVector: SSZEncodable, SSZDecodable, SSZMerkleizable {
    /// `count` bytes.
    @inlinable public static var sszFixedSize: Int? { count }
    /// `count` bytes.
    @inlinable public var sszEncodedLength: Int { count }

    /// Writes the bytes as they are.
    @inlinable
    public func encodeSSZ(into writer: inout SSZWriter) { withUnsafeBytes { writer.write($0) } }

    /// Copies exactly `count` bytes; throws ``SSZError/Code/wrongSize`` for any other length and
    /// ``SSZError/Code/illegalType`` when `count` is 0.
    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        guard count > 0 else { throw .make(.illegalType) }
        guard bytes.count == count else { throw .make(.wrongSize) }
        storage = InlineArray(repeating: 0)
        var span = storage.mutableSpan
        span.withUnsafeMutableBytes { $0.copyMemory(from: bytes) }
    }

    /// The bytes split into zero-padded 32-byte chunks and merkleized.
    @inlinable
    public func hashTreeRoot() -> SSZRoot {
        let chunks = (count + 31) / 32
        return Merkleizer.merkleize(chunkCount: chunks, limit: chunks) { buffer in
            withUnsafeBytes { buffer.copyMemory(from: $0) }
        }
    }
}
