import ArgumentParser
import Foundation
import NetworkSimulation

/// `aztec-p2p simulate SCENARIO.json [--seed N] [--nodes N] [--out DIR]`: runs a transaction-gossip
/// scenario in the deterministic network simulator and writes its results: `summary.json`,
/// `nodes.csv` (region, link, traffic and mesh degree per node), `latency-cdf.csv` and
/// `deliveries.csv` (deliveries per simulated second). `scripts/plot_simulation.py DIR` draws them.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Run a network scenario in the deterministic simulator.")

    @Argument(help: "The scenario file (JSON; see scenarios/).") var scenario: String
    @Option(help: "Seed, instead of the scenario's.") var seed: UInt64?
    @Option(help: "Node count, instead of the scenario's.") var nodes: Int?
    @Option(help: "Directory for the results (default .build-sim/<scenario name>).") var out: String?

    func run() throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: scenario)) } catch {
            throw CommandFailure("cannot read \(scenario): \(error.localizedDescription)")
        }
        var spec: GossipScenario
        do { spec = try JSONDecoder().decode(GossipScenario.self, from: data) } catch {
            throw CommandFailure("\(scenario): \(error)")
        }
        if let seed { spec.seed = seed }
        if let nodes { spec.nodes = nodes }
        var simulation: GossipNetworkSimulation
        do { simulation = try GossipNetworkSimulation(spec) } catch { throw CommandFailure("\(scenario): \(error)") }
        let directory = out ?? ".build-sim/\(spec.name)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        let started = ContinuousClock.now
        var lastEvents = 0
        var lastWall = started
        let report = simulation.run { time, events in
            let wall = ContinuousClock.now
            let seconds = Double((wall - lastWall).components.attoseconds) / 1e18 + Double((wall - lastWall).components.seconds)
            let rate = seconds > 0 ? Double(events - lastEvents) / seconds : 0
            lastEvents = events
            lastWall = wall
            FileHandle.standardError.write(Data(String(
                format: "\r  simulated %6.1f s   %9.0f events/s   %6.0f MB resident ",
                time.seconds, rate, Double(DiscV5FootprintCommand.residentBytes()) / 1e6).utf8))
        }
        let elapsed = ContinuousClock.now - started
        let wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        FileHandle.standardError.write(Data("\n".utf8))

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var summary = try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any] ?? [:]
        summary["wallSeconds"] = wallSeconds
        summary["eventsPerWallSecond"] = Double(report.events) / max(wallSeconds, 1e-9)
        summary["residentBytes"] = DiscV5FootprintCommand.residentBytes()
        summary["scenarioFile"] = scenario
        try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: directory + "/summary.json"))

        var nodesCSV = "node,region,bandwidth_class,upload_bytes_per_s,download_bytes_per_s,mesh_degree\n"
        for row in simulation.nodeRows() {
            nodesCSV += "\(row.node),\(row.region),\(row.bandwidthClass),\(row.uploadBytesPerSecond),\(row.downloadBytesPerSecond),\(row.meshDegree)\n"
        }
        try nodesCSV.write(toFile: directory + "/nodes.csv", atomically: true, encoding: .utf8)
        var cdf = "latency_ms,fraction\n"
        for point in simulation.latencies.cumulative() { cdf += "\(Double(point.latency.nanoseconds) / 1e6),\(point.fraction)\n" }
        try cdf.write(toFile: directory + "/latency-cdf.csv", atomically: true, encoding: .utf8)
        var deliveries = "second,deliveries\n"
        for (second, count) in simulation.deliveriesPerSecond.enumerated() { deliveries += "\(second),\(count)\n" }
        try deliveries.write(toFile: directory + "/deliveries.csv", atomically: true, encoding: .utf8)

        StandardOutput.line("""
              scenario                 \(spec.name): \(spec.nodes) nodes, seed \(spec.seed)
              published                \(report.published), reached every node: \(report.reachedEveryNode) (delivery \(String(format: "%.4f", report.deliveryRatio * 100)) %)
              latency p50/p90/p99      \(report.latencyP50Milliseconds) / \(report.latencyP90Milliseconds) / \(report.latencyP99Milliseconds) ms
              to the last node         p50 \(report.lastNodeP50Milliseconds) ms, p99 \(report.lastNodeP99Milliseconds) ms, max \(String(format: "%.1f", report.lastNodeMaxMilliseconds)) ms
              upload per node          mean \(String(format: "%.2f", report.uploadBytesPerSecond.mean / report.uniquePayloadBytesPerSecond))×, p99 \(String(format: "%.2f", report.uploadBytesPerSecond.p99 / report.uniquePayloadBytesPerSecond))× the unique payload rate (\(Int(report.uniquePayloadBytesPerSecond)) B/s)
              download per node        mean \(String(format: "%.2f", report.downloadBytesPerSecond.mean / report.uniquePayloadBytesPerSecond))×, p99 \(String(format: "%.2f", report.downloadBytesPerSecond.p99 / report.uniquePayloadBytesPerSecond))×
              events                   \(report.events) in \(String(format: "%.1f", wallSeconds)) s (\(Int(Double(report.events) / max(wallSeconds, 1e-9))) per second), trace \(report.traceHash)
              results                  \(directory)
            """)
    }
}
