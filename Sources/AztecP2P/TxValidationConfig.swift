/// How transactions are validated. Built once through ``validated()``; ``default`` passes the same checks.
public struct TxValidationConfig: Hashable, Sendable {
    /// Size limits and chain binding of the cheap checks.
    public var limits: TxLimits
    /// Application-hook validations running at once. Default 32 (at 250 ms a proof, 128 tx/s
    /// per node, over ten times the seed's 10 tx/s).
    public var maxConcurrentValidations: Int
    /// Validations waiting for a slot before new ones are ignored. Default 1,024.
    public var maxQueuedValidations: Int
    /// Nullifiers spent by blocks published this recently cost the sender no penalty. Default 30 s.
    public var nullifierGracePeriod: Duration

    /// A configuration, the defaults described on each property; unchecked until ``validated()``.
    public init(limits: TxLimits = .default, maxConcurrentValidations: Int = 32, maxQueuedValidations: Int = 1024,
                nullifierGracePeriod: Duration = .seconds(30)) {
        self.limits = limits
        self.maxConcurrentValidations = maxConcurrentValidations
        self.maxQueuedValidations = maxQueuedValidations
        self.nullifierGracePeriod = nullifierGracePeriod
    }

    /// The defaults, validated.
    public static let `default`: TxValidationConfig = {
        do { return try TxValidationConfig().validated() } catch {
            preconditionFailure("default TxValidationConfig invalid: \(error)")
        }
    }()

    /// `self` when the limits are valid, at least one validation may run and neither the queue
    /// bound nor the grace period is negative; else a ``ConfigError``.
    public func validated() throws(ConfigError) -> TxValidationConfig {
        _ = try limits.validated()
        guard maxConcurrentValidations > 0 else { throw ConfigError("maxConcurrentValidations must be positive") }
        guard maxQueuedValidations >= 0 else { throw ConfigError("maxQueuedValidations must be non-negative") }
        guard nullifierGracePeriod >= .zero else { throw ConfigError("nullifierGracePeriod must be non-negative") }
        return self
    }
}
