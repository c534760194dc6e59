/// Counters of the transaction service since it started (an Aztec node exports them through
/// swift-metrics at `/metrics`).
public struct TxServiceMetrics: Hashable, Sendable {
    /// Gossiped transactions accepted and pooled (`aztec_tx_gossip_total{result="accept"}`).
    public var gossipAccepted = 0
    /// Gossiped transactions rejected as invalid, penalising the forwarder (`result="reject"`).
    public var gossipRejected = 0
    /// Gossiped transactions ignored: not synced, overloaded, already known, not admitted… (`result="ignore"`).
    public var gossipIgnored = 0
    /// Submitted transactions the validator accepted (pool admission may still refuse them).
    public var submissionsValid = 0
    /// Submitted transactions the validator rejected.
    public var submissionsInvalid = 0
    /// Submitted transactions the validator ignored (grace period, overload, already known…).
    public var submissionsIgnored = 0
    /// Transactions admitted to the pool, from gossip or submission (less those rolled back when the
    /// journal could not write them).
    public var poolAdmitted = 0
    /// Valid submissions refused because the journal could not write them.
    public var submissionsNotPersisted = 0
    /// Pool removals by reason, keyed by the reason's name.
    public var poolRemoved: [String: Int] = [:]

    /// All counters at zero.
    public init() {}

    mutating func record(gossip verdict: TxVerdict) {
        switch verdict {
        case .accept: gossipAccepted += 1
        case .reject: gossipRejected += 1
        case .ignore: gossipIgnored += 1
        }
    }

    mutating func record(submission verdict: TxVerdict) {
        switch verdict {
        case .accept: submissionsValid += 1
        case .reject: submissionsInvalid += 1
        case .ignore: submissionsIgnored += 1
        }
    }

    mutating func record(_ removals: [TxPool.Removal]) {
        for removal in removals { poolRemoved[Self.name(removal.reason), default: 0] += 1 }
    }

    static func name(_ reason: TxPool.RemovalReason) -> String {
        switch reason {
        case .included: "included"
        case .nullifierSpent: "nullifier_spent"
        case .expired: "expired"
        case .evicted: "evicted"
        case .replaced: "replaced"
        case .dropped: "dropped"
        }
    }
}
