/// Keccak-256 as Ethereum uses it: the original Keccak submission's padding (domain byte `0x01`),
/// rate 136 bytes, 32-byte digest. Not the same function as SHA3-256 (domain byte `0x06`), which swift-crypto provides.
///
/// Use ``hash(_:)`` for one-shot hashing, or ``update(_:)`` repeatedly and then ``finalize()``.
public struct Keccak256: Sendable {
    /// Digest length in bytes.
    public static let digestByteCount = 32
    /// Block (rate) length in bytes.
    public static let blockByteCount = 136

    @usableFromInline var sponge = KeccakSponge(rate: 136, domain: 0x01)

    /// A hasher with nothing absorbed yet.
    @inlinable public init() {}

    /// Absorbs `bytes`.
    @inlinable
    public mutating func update(bufferPointer bytes: UnsafeRawBufferPointer) {
        sponge.absorb(bytes)
    }

    /// Absorbs `bytes`.
    @inlinable
    public mutating func update<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        withContiguousBytes(bytes) { sponge.absorb($0) }
    }

    /// The digest of everything absorbed.
    @inlinable
    public consuming func finalize() -> [UInt8] {
        sponge.digest(count: Self.digestByteCount)
    }

    /// Writes the digest into `output`, which must hold exactly ``digestByteCount`` bytes.
    @inlinable
    public consuming func finalize(into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count == Self.digestByteCount, "Keccak256: output must be 32 bytes")
        sponge.squeeze(into: output)
    }

    /// The Keccak-256 digest of `bytes`.
    @inlinable
    public static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var hasher = Keccak256()
        hasher.update(bytes)
        return hasher.finalize()
    }
}
