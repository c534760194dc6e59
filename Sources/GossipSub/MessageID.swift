/// A message identifier as computed by the configured ``MessageIDFunction``.
///
/// Ordered lexicographically by bytes so that sets of ids can be iterated deterministically.
public struct MessageID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public static func < (lhs: MessageID, rhs: MessageID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    public static func == (lhs: MessageID, rhs: MessageID) -> Bool { lhs.bytes == rhs.bytes }

    /// Hashes the bytes as one block (an array hashes byte by byte, and ids are looked up in
    /// the seen cache, the message cache and the IDONTWANT sets for every message).
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

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
