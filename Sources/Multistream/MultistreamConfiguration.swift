/// Limits shared by both roles of a multistream-select negotiation.
public struct MultistreamConfiguration: Sendable, Equatable {
    /// The largest message accepted, counting the trailing `\n` but not the length prefix.
    public var maxMessageLength: Int
    /// The most proposals (and `ls` requests) a responder answers before giving up.
    public var maxAttempts: Int

    /// Creates a configuration; `validated()` checks it.
    public init(maxMessageLength: Int = 1024, maxAttempts: Int = 16) {
        self.maxMessageLength = maxMessageLength
        self.maxAttempts = maxAttempts
    }

    /// The default limits (1024-byte messages, 16 attempts).
    public static let `default` = MultistreamConfiguration()

    /// Returns `self` if every limit is in range, otherwise throws.
    public func validated() throws(MultistreamError) -> MultistreamConfiguration {
        guard maxMessageLength >= Multistream.header.utf8.count + 1, maxMessageLength <= 1 << 20 else {
            throw .invalidConfiguration("maxMessageLength \(maxMessageLength) outside \(Multistream.header.utf8.count + 1)...\(1 << 20)")
        }
        guard maxAttempts >= 1 else { throw .invalidConfiguration("maxAttempts must be at least 1") }
        return self
    }
}
