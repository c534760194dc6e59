import GossipSubHost

/// The devnet's final table and CSV.
struct DevnetReport {
    let records: [DevnetCollector.Record]
    let nodes: Int
    let before: [GossipSubHostStats]
    let after: [GossipSubHostStats]
    let peers: [Int]
    let mesh: [Int]
    let seconds: Double
    /// Transactions in each node's pool at the end (the Aztec devnet), or `nil`.
    let pools: [Int]?

    init(collector: DevnetCollector, before: [GossipSubHostStats], after: [GossipSubHostStats],
         peers: [Int], mesh: [Int], seconds: Double, pools: [Int]? = nil) {
        self.records = collector.records
        self.nodes = collector.nodes
        self.before = before
        self.after = after
        self.peers = peers
        self.mesh = mesh
        self.seconds = max(seconds, 1e-9)
        self.pools = pools
    }

    private func delta(_ i: Int, _ field: KeyPath<GossipSubHostStats, Int>) -> Int {
        after[i][keyPath: field] - before[i][keyPath: field]
    }

    private func sum(_ field: KeyPath<GossipSubHostStats, Int>) -> Int {
        (0..<nodes).reduce(0) { $0 + delta($1, field) }
    }

    func render(nodeTable: Bool) -> String {
        let expected = records.count * (nodes - 1)
        let arrivals = records.reduce(0) { $0 + $1.latencies.count }
        let latencies = records.flatMap { $0.latencies.values }.sorted()
        let fullyDelivered = records.filter { $0.latencies.count == nodes - 1 }.count
        let perNodeMessage = Double(max(1, expected))
        let sentRates = (0..<nodes).map { Double(delta($0, \.bytesOut)) / seconds / 1024 }
        let receivedRates = (0..<nodes).map { Double(delta($0, \.bytesIn)) / seconds / 1024 }
        func span(_ values: [Double]) -> String {
            let mean = values.reduce(0, +) / Double(max(1, values.count))
            return "\(fmt(mean, 0)) KiB/s (min \(fmt(values.min() ?? 0, 0)), max \(fmt(values.max() ?? 0, 0)))"
        }
        var lines: [String] = []
        lines.append("")
        lines.append("  transactions published     \(records.count) in \(fmt(seconds, 1)) s")
        lines.append("  delivered                  \(arrivals) / \(expected) (\(fmt(100 * Double(arrivals) / perNodeMessage, 2)) %),"
            + " \(fullyDelivered) of \(records.count) reached every node")
        lines.append("  latency p50 / p95 / p99    \(ms(percentile(latencies, 0.5))) / \(ms(percentile(latencies, 0.95))) / "
            + "\(ms(percentile(latencies, 0.99))) (max \(ms(latencies.last)))")
        lines.append("  duplicates per msg per node \(fmt(Double(sum(\.duplicates)) / perNodeMessage, 2))")
        lines.append("  sent per node              \(span(sentRates))")
        lines.append("  received per node          \(span(receivedRates))")
        lines.append("  control sent (all nodes)   IHAVE \(sum(\.ihaveSent)), IWANT \(sum(\.iwantSent)), IDONTWANT \(sum(\.idontwantSent))"
            + " (\(sum(\.idontwantCancelledSends)) queued sends cancelled by IDONTWANT)")
        lines.append("  dropped                    \(sum(\.framesDropped)) outbound frames, \(sum(\.validationDropped)) validations")
        lines.append("  (bytes are gossipsub frames, before Noise and muxer framing)")
        if nodeTable {
            lines.append("")
            lines.append("  node  peers  mesh  received  dup/msg  sent KiB/s  recv KiB/s  IDONTWANT sent/recv"
                + (pools == nil ? "" : "   pool"))
            for i in 0..<nodes {
                let got = records.filter { $0.latencies[i] != nil }.count
                let foreign = records.filter { $0.publisher != i }.count
                let dup = Double(delta(i, \.duplicates)) / Double(max(1, foreign))
                lines.append("  " + pad(i, 4) + "  " + pad(peers[i], 5) + "  " + pad(mesh[i], 4) + "  "
                    + pad("\(got)/\(foreign)", 8) + "  " + pad(fmt(dup, 2), 7) + "  " + pad(fmt(sentRates[i], 0), 10)
                    + "  " + pad(fmt(receivedRates[i], 0), 10) + "  "
                    + pad("\(delta(i, \.idontwantSent))/\(delta(i, \.idontwantReceived))", 19)
                    + (pools.map { "  " + pad($0[i], 5) } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }

    func csv() -> String {
        var out = "index,publisher,deliveries,expected,p50_ms,p95_ms,max_ms\n"
        for (i, r) in records.enumerated() {
            let sorted = r.latencies.values.sorted()
            func v(_ d: Duration?) -> String {
                guard let d else { return "" }
                return fmt((Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) * 1000, 3)
            }
            out += "\(i),\(r.publisher),\(sorted.count),\(nodes - 1),\(v(percentile(sorted, 0.5))),"
                + "\(v(percentile(sorted, 0.95))),\(v(sorted.last))\n"
        }
        return out
    }
}

func pad(_ value: some CustomStringConvertible, _ width: Int) -> String {
    let s = value.description
    return String(repeating: " ", count: max(0, width - s.count)) + s
}
