/// A request id: an opaque byte string of at most 8 bytes chosen by the requester and echoed in
/// responses.
public struct RequestID: Hashable, Sendable, CustomStringConvertible {
    /// Maximum length in bytes.
    public static let maximumByteCount = 8

    /// The id bytes (0...8 of them).
    public let bytes: [UInt8]

    /// Wraps `bytes`; throws ``DiscV5Error/requestIDTooLong(_:)`` beyond 8 bytes.
    public init(_ bytes: some Collection<UInt8>) throws(DiscV5Error) {
        guard bytes.count <= Self.maximumByteCount else { throw .requestIDTooLong(bytes.count) }
        self.bytes = Array(bytes)
    }

    /// The 8-byte big-endian form of `value`.
    public init(_ value: UInt64) {
        self.bytes = (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
    }

    /// Hashes the bytes as one block (an array hashes byte by byte).
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// The id as lowercase hex.
    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
