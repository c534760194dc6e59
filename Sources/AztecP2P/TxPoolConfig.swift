/// Bounds of a ``TxPool``. Built once through ``validated()``; ``default`` passes the same checks.
public struct TxPoolConfig: Hashable, Sendable {
    /// Most transactions held. Default 10,000 (a few blocks' worth at the seed's 10 tx/s).
    public var maxTransactions: Int
    /// Most SSZ bytes held. Default 512 MiB (about 13,000 typical 40 KB transactions).
    public var maxBytes: Int
    /// How long a transaction may wait in the pool. Default one hour (6 to 12 blocks).
    public var timeToLive: Duration

    /// Pool bounds, by default 10,000 transactions, 512 MiB and one hour; unchecked until ``validated()``.
    public init(maxTransactions: Int = 10_000, maxBytes: Int = 512 * 1024 * 1024, timeToLive: Duration = .seconds(3600)) {
        self.maxTransactions = maxTransactions
        self.maxBytes = maxBytes
        self.timeToLive = timeToLive
    }

    /// The defaults, validated.
    public static let `default`: TxPoolConfig = {
        do { return try TxPoolConfig().validated() } catch { preconditionFailure("default TxPoolConfig invalid: \(error)") }
    }()

    /// `self` when every bound is positive, else a ``ConfigError``.
    public func validated() throws(ConfigError) -> TxPoolConfig {
        guard maxTransactions > 0 else { throw ConfigError("maxTransactions must be positive") }
        guard maxBytes > 0 else { throw ConfigError("maxBytes must be positive") }
        guard timeToLive > .zero else { throw ConfigError("timeToLive must be positive") }
        return self
    }
}
