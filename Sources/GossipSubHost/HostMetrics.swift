import Metrics
import GossipSub

/// The host's swift-metrics counters and gauges. Per-topic instruments are made on first use
/// and kept; the `topic` dimension is bounded by the router's subscription limits.
struct HostMetrics {
    let prefix: String
    let factory: any MetricsFactory
    let base: [(String, String)]

    let received: Counter
    let delivered: Counter
    let duplicates: Counter
    let ihaveSent: Counter, ihaveReceived: Counter
    let iwantSent: Counter, iwantReceived: Counter
    let idontwantSent: Counter, idontwantReceived: Counter
    let idontwantCancelled: Counter
    let framesDropped: Counter
    let validationDropped: Counter
    let peers: Gauge

    private var meshSize: [String: Gauge] = [:]
    private var bytesIn: [String: Counter] = [:]
    private var bytesOut: [String: Counter] = [:]

    init(prefix: String, node: String?, factory: any MetricsFactory) {
        self.prefix = prefix
        self.factory = factory
        let base: [(String, String)] = node.map { [("node", $0)] } ?? []
        self.base = base
        func counter(_ name: String) -> Counter { Counter(label: "\(prefix)_\(name)", dimensions: base, factory: factory) }
        received = counter("messages_received_total")
        delivered = counter("messages_delivered_total")
        duplicates = counter("messages_duplicate_total")
        ihaveSent = counter("ihave_sent_total")
        ihaveReceived = counter("ihave_received_total")
        iwantSent = counter("iwant_sent_total")
        iwantReceived = counter("iwant_received_total")
        idontwantSent = counter("idontwant_sent_total")
        idontwantReceived = counter("idontwant_received_total")
        idontwantCancelled = counter("idontwant_cancelled_sends_total")
        framesDropped = counter("outbound_frames_dropped_total")
        validationDropped = counter("validation_dropped_total")
        peers = Gauge(label: "\(prefix)_peers", dimensions: base, factory: factory)
    }

    mutating func setMeshSize(_ topic: String, _ size: Int) {
        if meshSize[topic] == nil {
            meshSize[topic] = Gauge(label: "\(prefix)_mesh_peers", dimensions: base + [("topic", topic)], factory: factory)
        }
        meshSize[topic]?.record(size)
    }

    mutating func addBytesIn(_ topic: String, _ n: Int) {
        if bytesIn[topic] == nil {
            bytesIn[topic] = Counter(label: "\(prefix)_topic_bytes_in_total", dimensions: base + [("topic", topic)], factory: factory)
        }
        bytesIn[topic]?.increment(by: n)
    }

    mutating func addBytesOut(_ topic: String, _ n: Int) {
        if bytesOut[topic] == nil {
            bytesOut[topic] = Counter(label: "\(prefix)_topic_bytes_out_total", dimensions: base + [("topic", topic)], factory: factory)
        }
        bytesOut[topic]?.increment(by: n)
    }
}
