/// A 32-byte Merkle node: a chunk, a `hash_tree_root`, or a proof element.
public struct SSZRoot: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline var storage: (UInt64, UInt64, UInt64, UInt64)

    /// The all-zero chunk (`Bytes32()`).
    public static let zero = SSZRoot(storage: (0, 0, 0, 0))

    @inlinable
    init(storage: (UInt64, UInt64, UInt64, UInt64)) { self.storage = storage }

    /// Reads 32 bytes from `pointer`.
    @inlinable
    public init(loadingFrom pointer: UnsafeRawPointer) {
        storage = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &storage) { $0.baseAddress.unsafelyUnwrapped.copyMemory(from: pointer, byteCount: 32) }
    }

    /// The root made of exactly 32 bytes, or `nil` for any other length.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        storage = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &storage) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
    }

    /// The 32 bytes of the node.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Calls `body` with the node's 32 bytes.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var copy = storage
        return try Swift.withUnsafeBytes(of: &copy) { try body($0) }
    }

    /// Writes the 32 bytes to `pointer`.
    @inlinable
    public func store(to pointer: UnsafeMutableRawPointer) {
        var copy = storage
        Swift.withUnsafeBytes(of: &copy) { pointer.copyMemory(from: $0.baseAddress.unsafelyUnwrapped, byteCount: 32) }
    }

    /// Whether both nodes have the same 32 bytes.
    public static func == (lhs: SSZRoot, rhs: SSZRoot) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3
    }

    /// Hashes the 32 bytes, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0); hasher.combine(storage.1); hasher.combine(storage.2); hasher.combine(storage.3)
    }

    /// Lowercase hex with a `0x` prefix.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = Array("0x".utf8)
        withUnsafeBytes { raw in
            for byte in raw {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
