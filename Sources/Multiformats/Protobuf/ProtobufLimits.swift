/// Size limits a ``ProtobufReader`` enforces before it trusts any length field.
public struct ProtobufLimits: Sendable, Equatable {
    /// The largest message (top-level or nested) accepted, in bytes.
    public var maxMessageLength: Int
    /// The largest single length-delimited field accepted, in bytes.
    public var maxFieldLength: Int
    /// The deepest nesting of messages accepted (the top level is depth 0).
    public var maxDepth: Int

    /// Creates limits.
    public init(maxMessageLength: Int, maxFieldLength: Int, maxDepth: Int) {
        self.maxMessageLength = maxMessageLength
        self.maxFieldLength = maxFieldLength
        self.maxDepth = maxDepth
    }

    /// 4 MiB messages and fields, nesting depth 16: generous bounds for libp2p control messages.
    public static let `default` = ProtobufLimits(maxMessageLength: 4 << 20, maxFieldLength: 4 << 20, maxDepth: 16)
}
