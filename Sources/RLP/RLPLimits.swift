/// Resource limits applied while decoding untrusted RLP.
public struct RLPLimits: Sendable, Equatable {
    /// Maximum list nesting: a top-level list is at depth 1.
    public var maximumDepth: Int
    /// Maximum number of items (strings and lists) in one decoded value, all levels together.
    public var maximumItemCount: Int
    /// Maximum input length in bytes.
    public var maximumInputLength: Int

    /// Limits with the given bounds; the defaults are those of `RLPLimits.default`.
    public init(maximumDepth: Int = 32, maximumItemCount: Int = 65_536, maximumInputLength: Int = 16 << 20) {
        self.maximumDepth = maximumDepth
        self.maximumItemCount = maximumItemCount
        self.maximumInputLength = maximumInputLength
    }

    /// The defaults: depth 32, 65 536 items, 16 MiB.
    public static let `default` = RLPLimits()
}
