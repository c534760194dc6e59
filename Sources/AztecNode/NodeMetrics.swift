import AztecP2P
import DiscV5
import LibP2P
import CoreMetrics
import Prometheus

/// What the node exports at `GET /metrics`, through swift-metrics into one swift-prometheus
/// registry (the GossipSub host records into the same registry).
///
/// The transaction service, the transport and the discovery core keep plain counters (the sans-IO
/// cores cannot hold a metrics backend); a scrape copies them into swift-metrics instruments:
/// gauges take the current value, counters the increase since the previous scrape.
struct NodeMetrics {
    /// Everything a scrape reads, gathered by the node.
    struct Snapshot {
        var service: TxServiceMetrics
        var poolTransactions: Int
        var poolBytes: Int
        var synced: Bool
        var journalFailures: Int
        var peers: Int
        var topicPeers: Int
        var bannedPeers: Int
        var discoveredPeers: Int
        var refusals: InboundRefusals
        var discovery: DiscoveryNode.Statistics
        var adsPlaced: Int
        var advertisersKnown: Int
    }

    /// A counter fed from a running total.
    private struct MirroredCounter {
        let counter: CoreMetrics.Counter
        var exported = 0

        mutating func update(_ total: Int) {
            if total > exported { counter.increment(by: total - exported) }
            exported = max(exported, total)
        }
    }

    let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private var counters: [String: MirroredCounter] = [:]
    private var gauges: [String: CoreMetrics.Gauge] = [:]

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Copies `snapshot` into the instruments and returns the registry's Prometheus text.
    mutating func render(_ snapshot: Snapshot) -> [UInt8] {
        let s = snapshot
        for (result, total) in [("accept", s.service.gossipAccepted), ("reject", s.service.gossipRejected),
                                ("ignore", s.service.gossipIgnored)] {
            count("aztec_tx_gossip_total", ["result": result], total)
        }
        for (result, total) in [("accept", s.service.submissionsValid), ("reject", s.service.submissionsInvalid),
                                ("ignore", s.service.submissionsIgnored)] {
            count("aztec_tx_submissions_total", ["result": result], total)
        }
        count("aztec_tx_submissions_not_journalled_total", [:], s.service.submissionsNotPersisted)
        count("aztec_tx_pool_admitted_total", [:], s.service.poolAdmitted)
        for reason in ["included", "nullifier_spent", "expired", "evicted", "replaced", "dropped"] {
            count("aztec_tx_pool_removed_total", ["reason": reason], s.service.poolRemoved[reason] ?? 0)
        }
        count("aztec_tx_pool_journal_failures_total", [:], s.journalFailures)
        gauge("aztec_tx_pool_transactions", s.poolTransactions)
        gauge("aztec_tx_pool_bytes", s.poolBytes)
        gauge("aztec_node_synced", s.synced ? 1 : 0)
        gauge("aztec_node_peers", s.peers)
        gauge("aztec_node_topic_peers", s.topicPeers)
        gauge("aztec_node_banned_peers", s.bannedPeers)
        gauge("aztec_node_discovered_peers", s.discoveredPeers)
        for (limit, total) in [("pending_per_source", s.refusals.pendingFromSource), ("pending", s.refusals.pendingFull),
                               ("inbound", s.refusals.inboundFull)] {
            count("aztec_libp2p_inbound_refused_total", ["limit": limit], total)
        }
        count("aztec_libp2p_inbound_handshakes_failed_total", [:], s.refusals.handshakesFailed)
        count("aztec_discovery_bans_total", [:], s.discovery.bans)
        count("aztec_discovery_protocol_violations_total", [:], s.discovery.protocolViolations)
        count("aztec_discovery_packets_rate_limited_total", [:], s.discovery.packetsRateLimited)
        count("aztec_discovery_topic_requests_total", [:], s.discovery.topicRequestsHandled)
        gauge("aztec_discovery_topic_ads_placed", s.adsPlaced)
        gauge("aztec_discovery_topic_advertisers_known", s.advertisersKnown)
        return registry.emitToBuffer()
    }

    private mutating func count(_ name: String, _ labels: KeyValuePairs<String, String>, _ total: Int) {
        let dimensions = labels.map { ($0.key, $0.value) }
        let key = name + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        if counters[key] == nil {
            counters[key] = MirroredCounter(counter: CoreMetrics.Counter(label: name, dimensions: dimensions, factory: factory))
        }
        counters[key]?.update(total)
    }

    private mutating func gauge(_ name: String, _ value: Int) {
        if gauges[name] == nil { gauges[name] = CoreMetrics.Gauge(label: name, factory: factory) }
        gauges[name]?.record(value)
    }
}
