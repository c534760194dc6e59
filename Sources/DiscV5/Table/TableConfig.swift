/// Parameters of the Kademlia routing table, checked once by ``validated()``.
public struct TableConfig: Sendable, Equatable {
    /// Entries per log-distance bucket (k).
    public var bucketSize: Int = 16
    /// Candidates kept per bucket to replace entries that fail their liveness check.
    public var replacementCacheSize: Int = 10
    /// Most entries of one IP subnet (IPv4 /24, IPv6 /64) in one bucket; `nil`: no limit.
    public var maximumPerSubnetInBucket: Int? = 2
    /// Most entries of one IP subnet in the whole table; `nil`: no limit.
    public var maximumPerSubnetInTable: Int? = 10

    /// The defaults, as given on each property.
    public init() {}

    /// A configuration violated an invariant.
    public struct Invalid: Error, Equatable, Sendable {
        /// The invariant broken, in words.
        public let reason: String
    }

    /// Returns `self` when every invariant holds.
    public func validated() throws(Invalid) -> TableConfig {
        guard bucketSize > 0 else { throw Invalid(reason: "bucketSize must be positive") }
        guard replacementCacheSize >= 0 else { throw Invalid(reason: "replacementCacheSize must not be negative") }
        if let limit = maximumPerSubnetInBucket, limit <= 0 {
            throw Invalid(reason: "maximumPerSubnetInBucket must be positive")
        }
        if let limit = maximumPerSubnetInTable, limit <= 0 {
            throw Invalid(reason: "maximumPerSubnetInTable must be positive")
        }
        if let bucket = maximumPerSubnetInBucket, let table = maximumPerSubnetInTable, bucket > table {
            throw Invalid(reason: "maximumPerSubnetInBucket must not exceed maximumPerSubnetInTable")
        }
        return self
    }
}
