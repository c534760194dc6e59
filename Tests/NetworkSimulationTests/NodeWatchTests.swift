import Testing
import TestSupport
@testable import NetworkSimulation

/// `simulate --watch-node`: following one node changes nothing and tells its story.
@Suite struct NodeWatchTests {
    @Test func aWatchedRunKeepsItsTraceAndLogsTheNodesDeliveriesAndMesh() async throws {
        var shorter = StaticJoinSimulationTests.scenario()
        shorter.publishSeconds = 3
        let scenario = shorter
        let watched = 7
        let plain = try await AztecNetworkSimulation.report(scenario)
        let (report, lines, received) = try await onOwnThread {
            final class Lines { var all: [String] = [] }
            let lines = Lines()
            let simulation = try AztecNetworkSimulation(scenario)
            simulation.watch = NodeWatch(node: watched) { lines.all.append($0) }
            let report = simulation.run()
            return (report, lines.all, simulation.nodeRows()[watched].received)
        }
        #expect(report.traceHash == plain.traceHash)
        #expect(report == plain)

        let times = lines.compactMap { Double($0.prefix { $0 != " " }) }
        #expect(times.count == lines.count && times == times.sorted(), "lines in virtual-time order")
        func words(_ line: String) -> [Substring] { line.split(separator: " ") }
        let delivered = lines.filter { words($0)[1] == "delivered" }, published = lines.filter { words($0)[1] == "published" }
        #expect(received == 30 && delivered.count + published.count == received, "\(delivered.count) + \(published.count) for \(received)")
        #expect(lines.contains { $0.contains("\(watched) -> ") && $0.hasSuffix("queued: GRAFT") })
        #expect(lines.contains { $0.contains("mesh after heartbeat:") })
        #expect(lines.contains { $0.hasSuffix("watched node in its mesh: true") })
        // Every transaction the watched node delivered arrived first in a message from a peer.
        for line in delivered {
            let tx = String(words(line)[2])
            let arrival = lines.firstIndex { other in
                other.contains("-> \(watched) arrived:") && words(other).contains { $0.hasPrefix("MSG[") && $0.dropFirst(4).dropLast().split(separator: ",").contains(Substring(tx)) }
            }
            #expect(arrival.map { $0 < lines.firstIndex(of: line)! } == true, "\(tx)")
        }
    }
}
