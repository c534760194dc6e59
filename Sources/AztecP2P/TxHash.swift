import SSZ

/// A transaction hash: the SSZ `hash_tree_root` of an ``AztecTransaction``.
public struct TxHash: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 32 bytes of the root.
    public let root: SSZRoot

    /// The hash whose bytes are `root`.
    public init(_ root: SSZRoot) { self.root = root }

    /// The hash from 32 bytes, or `nil` for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard let root = SSZRoot(bytes) else { return nil }
        self.root = root
    }

    /// The hash from `0x`-prefixed (or bare) hex of 32 bytes, or `nil`.
    public init?(hex: some StringProtocol) {
        guard let bytes = HexCoding.decode(hex), let root = SSZRoot(bytes) else { return nil }
        self.root = root
    }

    /// The 32 bytes of the hash.
    public var bytes: [UInt8] { root.bytes }

    /// `0x`-prefixed lowercase hex.
    public var description: String { "0x" + HexCoding.encode(bytes) }

    /// Byte-wise lexicographic order.
    public static func < (lhs: TxHash, rhs: TxHash) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
