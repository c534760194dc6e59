/// Counters of the transaction service, exported in Prometheus text format.
public struct TxServiceMetrics: Hashable, Sendable {
    public var gossipAccepted = 0
    public var gossipRejected = 0
    public var gossipIgnored = 0
    public var submissionsValid = 0
    public var submissionsInvalid = 0
    public var submissionsIgnored = 0
    public var poolAdmitted = 0
    /// Valid submissions refused because the journal could not write them.
    public var submissionsNotPersisted = 0
    /// Pool removals by reason, keyed by the reason's name.
    public var poolRemoved: [String: Int] = [:]

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

    /// The Prometheus text exposition (version 0.0.4), in a fixed order.
    public func prometheusText(pool: TxPool.Stats, synced: Bool, journalFailures: Int) -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Int)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples { out += "\(name)\(labels) \(value)\n" }
        }
        metric("aztec_tx_gossip_total", "counter", "Transactions received on the topic, by validation result.",
               [("{result=\"accept\"}", gossipAccepted), ("{result=\"reject\"}", gossipRejected),
                ("{result=\"ignore\"}", gossipIgnored)])
        metric("aztec_tx_submissions_total", "counter", "Transactions submitted over JSON-RPC, by validation result.",
               [("{result=\"accept\"}", submissionsValid), ("{result=\"reject\"}", submissionsInvalid),
                ("{result=\"ignore\"}", submissionsIgnored)])
        metric("aztec_tx_submissions_not_journalled_total", "counter",
               "Valid submissions refused because the pool journal could not write them.", [("", submissionsNotPersisted)])
        metric("aztec_tx_pool_admitted_total", "counter", "Transactions admitted to the pool.", [("", poolAdmitted)])
        let reasons = ["included", "nullifier_spent", "expired", "evicted", "replaced", "dropped"]
        metric("aztec_tx_pool_removed_total", "counter", "Transactions removed from the pool, by reason.",
               reasons.map { ("{reason=\"\($0)\"}", poolRemoved[$0] ?? 0) })
        metric("aztec_tx_pool_transactions", "gauge", "Transactions in the pool.", [("", pool.count)])
        metric("aztec_tx_pool_bytes", "gauge", "SSZ bytes in the pool.", [("", pool.bytes)])
        metric("aztec_node_synced", "gauge", "1 when the node is synced and on the transaction topic.", [("", synced ? 1 : 0)])
        metric("aztec_tx_pool_journal_failures_total", "counter", "Failed journal writes.", [("", journalFailures)])
        return out
    }
}
