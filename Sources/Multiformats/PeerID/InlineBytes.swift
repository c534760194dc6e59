/// 48 bytes held inline (no heap allocation), zero-filled past the used length.
@usableFromInline
struct InlineBytes48: Hashable, Sendable {
    @usableFromInline var w0: UInt64 = 0
    @usableFromInline var w1: UInt64 = 0
    @usableFromInline var w2: UInt64 = 0
    @usableFromInline var w3: UInt64 = 0
    @usableFromInline var w4: UInt64 = 0
    @usableFromInline var w5: UInt64 = 0

    static let capacity = 48

    /// Copies `bytes` (at most 48 of them) into inline storage.
    @usableFromInline
    init(_ bytes: some Collection<UInt8>) {
        withUnsafeMutableBytes(of: &self) { buffer in
            for (index, byte) in bytes.prefix(Self.capacity).enumerated() { buffer[index] = byte }
        }
    }

    /// The first `count` bytes.
    @usableFromInline
    func prefix(_ count: Int) -> [UInt8] {
        withUnsafeBytes(of: self) { Array($0.prefix(count)) }
    }
}
