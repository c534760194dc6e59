/// A message identifier as computed by the configured ``MessageIDFunction``.
///
/// Ordered lexicographically by bytes so that sets of ids can be iterated deterministically.
public struct MessageID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The id's bytes (20 for Aztec's content id; at most `RPCLimits.maxMessageIDLength` when received).
    public var bytes: [UInt8]

    /// An id with the given bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Byte-wise lexicographic order.
    public static func < (lhs: MessageID, rhs: MessageID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// Whether both ids have the same bytes.
    public static func == (lhs: MessageID, rhs: MessageID) -> Bool { lhs.bytes == rhs.bytes }

    /// Hashes the bytes as one block (an array hashes byte by byte, and ids are looked up in
    /// the seen cache, the message cache and the IDONTWANT sets for every message).
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// The bytes in lowercase hex, without prefix.
    public var description: String {
        let digits: [Character] = Array("0123456789abcdef")
        var s = ""
        s.reserveCapacity(bytes.count * 2)
        for b in bytes {
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 0xF)])
        }
        return s
    }
}
