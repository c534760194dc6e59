/// What a ``GossipNetworkSimulation`` run measured.
public struct GossipSimulationReport: Hashable, Sendable, Codable {
    public struct Spread: Hashable, Sendable, Codable {
        public var mean: Double
        public var p50: Double
        public var p99: Double
        public var max: Double
    }

    public var scenario: String
    public var nodes: Int
    public var seed: UInt64
    public var published: Int
    /// Transactions that reached every node.
    public var reachedEveryNode: Int
    /// Deliveries over published × nodes (the publisher counts as delivered).
    public var deliveryRatio: Double
    /// Milliseconds from publication to each node's receipt.
    public var latencyP50Milliseconds: Double
    public var latencyP90Milliseconds: Double
    public var latencyP99Milliseconds: Double
    /// Milliseconds from publication to the last node, over transactions that reached every node.
    public var lastNodeP50Milliseconds: Double
    public var lastNodeP99Milliseconds: Double
    public var lastNodeMaxMilliseconds: Double
    /// Bytes per second each node uploaded and downloaded while transactions were published.
    public var uploadBytesPerSecond: Spread
    public var downloadBytesPerSecond: Spread
    /// The rate of distinct payload bytes published: transactions per second × size.
    public var uniquePayloadBytesPerSecond: Double
    /// Mesh sizes at the end: `meshDegrees[k]` nodes had `k` mesh peers.
    public var meshDegrees: [Int]
    public var events: Int
    public var traceHash: String

    init(simulation s: GossipNetworkSimulation) {
        let n = s.scenario.nodes
        scenario = s.scenario.name
        nodes = n
        seed = s.scenario.seed
        published = s.publishedAt.count
        reachedEveryNode = s.deliveredCount.filter { $0 == n }.count
        deliveryRatio = published == 0 ? 1 : Double(s.deliveredCount.reduce(0, +)) / Double(published * n)
        func ms(_ t: SimulatedInstant) -> Double { Double(t.nanoseconds) / 1e6 }
        latencyP50Milliseconds = ms(s.latencies.percentile(0.5))
        latencyP90Milliseconds = ms(s.latencies.percentile(0.9))
        latencyP99Milliseconds = ms(s.latencies.percentile(0.99))
        var last = LatencyHistogram()
        for tx in s.publishedAt.indices where s.deliveredCount[tx] == n { last.record(s.lastDelivery[tx] - s.publishedAt[tx]) }
        lastNodeP50Milliseconds = ms(last.percentile(0.5))
        lastNodeP99Milliseconds = ms(last.percentile(0.99))
        lastNodeMaxMilliseconds = ms(last.maximum)
        let rows = s.nodeRows()
        uploadBytesPerSecond = Self.spread(rows.map(\.uploadBytesPerSecond))
        downloadBytesPerSecond = Self.spread(rows.map(\.downloadBytesPerSecond))
        uniquePayloadBytesPerSecond = s.scenario.transactionsPerSecond * Double(s.scenario.transactionBytes)
        let degrees = rows.map(\.meshDegree)
        meshDegrees = (0...(degrees.max() ?? 0)).map { k in degrees.filter { $0 == k }.count }
        events = s.eventsProcessed
        traceHash = s.trace.description
    }

    static func spread(_ values: [Double]) -> Spread {
        guard !values.isEmpty else { return Spread(mean: 0, p50: 0, p99: 0, max: 0) }
        let sorted = values.sorted()
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)] }
        return Spread(mean: values.reduce(0, +) / Double(values.count), p50: at(0.5), p99: at(0.99), max: sorted[sorted.count - 1])
    }
}
