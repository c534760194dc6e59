import P2PCrypto

/// A 32-byte discovery v5 node id: keccak256 of the node's uncompressed public key x ‖ y
/// (identity scheme "v4").
public struct NodeID: Hashable, Sendable, CustomStringConvertible {
    /// Length of a node id in bytes.
    public static let byteCount = 32

    /// The 32 id bytes.
    public let bytes: [UInt8]

    /// Wraps 32 bytes; `nil` for any other length.
    public init?<Bytes: Collection<UInt8>>(bytes: Bytes) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = Array(bytes)
    }

    /// Wraps bytes known to be 32 long (internal callers only).
    init(uncheckedBytes bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The node id of `publicKey` under the "v4" identity scheme.
    public init(publicKey: Secp256k1.PublicKey) {
        self.bytes = Keccak256.hash(publicKey.rawXYRepresentation)
    }

    /// Byte-wise equality.
    public static func == (a: NodeID, b: NodeID) -> Bool { a.bytes == b.bytes }

    /// Hashes the 32 bytes as one block (an array hashes byte by byte; ids key the routing
    /// table, sessions and lookups of every packet).
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// The first 16 bytes: the header-masking key of packets sent to this node.
    @inlinable public var maskingKey: ArraySlice<UInt8> { bytes[0..<16] }

    /// The logarithmic XOR distance to `other`: 0 when equal, otherwise 1...256
    /// (the bit length of `self ⊕ other`).
    public func logDistance(to other: NodeID) -> Int {
        for index in 0..<Self.byteCount {
            let difference = bytes[index] ^ other.bytes[index]
            if difference != 0 {
                return (Self.byteCount - index) * 8 - difference.leadingZeroBitCount
            }
        }
        return 0
    }

    /// The 32 bytes as 64 lowercase hex digits.
    public var description: String {
        bytes.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
        }.joined()
    }
}
