@testable import DiscV5
import ENR
import Foundation
import Testing

/// The deterministic network of 1,000 discovery cores with 5% packet loss, and the eclipse attempt.
@Suite struct NetworkSimulationTests {
    static func simulationConfig() -> DiscoveryConfig {
        var config = DiscoveryConfig()
        config.session.requestRetries = 2
        config.refreshInterval = .seconds(30)
        config.revalidationInterval = .seconds(10)
        config.lookupTimeout = .seconds(20)
        return config
    }

    @Test(.timeLimit(.minutes(5)))
    func thousandNodesFillTablesAndFindTheClosest() throws {
        let nodeCount = 1_000
        var network = SimulatedNetwork(seed: 2026, lossRate: 0.05)
        var identities: [TestIdentity] = []
        for index in 0..<nodeCount {
            identities.append(try TestIdentity(
                ip: [10, UInt8(index >> 8), UInt8(index & 0xff), 1], port: 9000, using: &network.random))
        }
        var config = Self.simulationConfig()
        let bootnode = try DiscoveryNode(key: identities[0].key, record: identities[0].record, config: config)
        _ = network.add(bootnode, endpoint: identities[0].endpoint)
        config.bootnodes = [identities[0].record]
        for identity in identities.dropFirst() {
            _ = network.add(try DiscoveryNode(key: identity.key, record: identity.record, config: config), endpoint: identity.endpoint)
        }
        for index in 0..<nodeCount { network.start(index, at: .milliseconds(Int64(index) * 10)) }
        // Each node joins (a lookup of its own id through the bootnode) and refreshes once.
        network.run(until: .seconds(45))

        let sizes = network.nodes.map(\.table.count)
        let minimum = sizes.min() ?? 0
        let mean = Double(sizes.reduce(0, +)) / Double(nodeCount)
        let failed = network.nodes.reduce(0) { $0 + $1.statistics.requestsFailed }
        let timedOut = network.nodes.reduce(0) { $0 + $1.statistics.requestsTimedOut }
        let dropped = network.nodes.reduce(0) { $0 + $1.statistics.packetsDropped }
        print("discv5 simulation: \(timedOut) timed out, \(dropped) packets dropped")
        let established = network.nodes.reduce(0) { $0 + $1.statistics.sessionsEstablished }
        print("discv5 simulation: \(established) handshakes, \(failed) failed requests")
        print("discv5 simulation: \(nodeCount) nodes, table size min \(minimum) mean \(mean), packets \(network.packetsSent)")
        #expect(minimum >= 16, "every node fills its table with at least k entries")

        // Lookups for random targets from random nodes, one at a time.
        let lookupCount = 30
        var successes = 0
        var packets = 0
        for _ in 0..<lookupCount {
            let origin = Int(network.random.next() % UInt64(nodeCount))
            var targetBytes: [UInt8] = []
            for _ in 0..<4 { withUnsafeBytes(of: network.random.next()) { targetBytes += $0 } }
            let target = try #require(NodeID(bytes: targetBytes))
            let before = network.packetsTouching[origin]
            let id = try #require(network.perform(origin) { node, now, random in node.lookup(target, now: now, using: &random) })
            let finished = network.run(until: network.now + .seconds(30)) { $0.finishedLookups[origin]?[id] == nil }
            #expect(finished)
            packets += network.packetsTouching[origin] - before
            let found = Set((network.finishedLookups[origin]?[id] ?? []).map(\.discoveryNodeID))
            let truth = Set(identities.indices.filter { $0 != origin }.map { identities[$0].nodeID }
                .sorted { XORDistance.isCloser($0, than: $1, to: target) }.prefix(16))
            if found == truth { successes += 1 }
        }
        let rate = Double(successes) / Double(lookupCount)
        print("discv5 simulation: lookups \(lookupCount), exact 16 closest found \(successes) (\(rate * 100)%), packets per lookup \(Double(packets) / Double(lookupCount))")
        #expect(rate >= 0.95)
    }

    @Test(.timeLimit(.minutes(2)))
    func sybilsFromOneSubnetCannotEclipseTheVictim() throws {
        var network = SimulatedNetwork(seed: 77, lossRate: 0)
        let victim = try TestIdentity(ip: [1, 2, 3, 4], port: 9000, using: &network.random)
        var config = Self.simulationConfig()
        _ = network.add(try DiscoveryNode(key: victim.key, record: victim.record, config: config), endpoint: victim.endpoint)
        config.bootnodes = [victim.record]
        for index in 0..<20 {
            let honest = try TestIdentity(ip: [20, UInt8(index), 0, 1], port: 9000, using: &network.random)
            _ = network.add(try DiscoveryNode(key: honest.key, record: honest.record, config: config), endpoint: honest.endpoint)
        }
        for index in 0..<200 {
            let sybil = try TestIdentity(ip: [66, 66, 66, UInt8(index + 1)], port: 9000, using: &network.random)
            _ = network.add(try DiscoveryNode(key: sybil.key, record: sybil.record, config: config), endpoint: sybil.endpoint)
        }
        for index in network.nodes.indices { network.start(index, at: .milliseconds(Int64(index) * 5)) }
        network.run(until: .seconds(40))
        let table = network.nodes[0].table
        let sybilSubnet = try #require(Subnet(ip: [66, 66, 66, 0]))
        let sybilsInTable = table.allEntries.filter { Subnet(ip: $0.endpoint.ip) == sybilSubnet }.count
        print("discv5 eclipse: victim table \(table.count) entries, \(sybilsInTable) from the sybil /24")
        #expect(sybilsInTable <= 10)
        #expect(table.count(in: sybilSubnet) == sybilsInTable)
        for distance in 1...256 {
            #expect(table.entries(atDistance: distance).filter { Subnet(ip: $0.endpoint.ip) == sybilSubnet }.count <= 2)
        }
        #expect(table.count - sybilsInTable >= 10, "honest nodes still have their place")
    }
}
