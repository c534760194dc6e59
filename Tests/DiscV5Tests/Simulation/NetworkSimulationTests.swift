@testable import DiscV5
import ENR
import Foundation
import Testing
import TestSupport

/// The deterministic network of 1,000 discovery cores with 5% packet loss, and the eclipse attempt.
@Suite struct NetworkSimulationTests {
    static func simulationConfig() -> DiscoveryConfig {
        var config = DiscoveryConfig()
        config.session.requestRetries = 2
        config.refreshInterval = .seconds(30)
        config.revalidationInterval = .seconds(10)
        config.lookupTimeout = .seconds(20)
        // One signature check per record for the whole network, as in the network simulator.
        config.session.sharedRecords = SharedRecordCache(capacity: 4_096)
        return config
    }

    /// What the 1,000-node run measured.
    struct ThousandNodeOutcome: Sendable {
        var minimumTableSize = 0
        var meanTableSize = 0.0
        var timedOut = 0, dropped = 0, handshakes = 0, failed = 0, packets = 0
        var lookups = 0, unfinishedLookups = 0, exactLookups = 0, lookupPackets = 0
    }

    static func runThousandNodes() throws -> ThousandNodeOutcome {
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

        var outcome = ThousandNodeOutcome()
        let sizes = network.nodes.map(\.table.count)
        outcome.minimumTableSize = sizes.min() ?? 0
        outcome.meanTableSize = Double(sizes.reduce(0, +)) / Double(nodeCount)
        outcome.failed = network.nodes.reduce(0) { $0 + $1.statistics.requestsFailed }
        outcome.timedOut = network.nodes.reduce(0) { $0 + $1.statistics.requestsTimedOut }
        outcome.dropped = network.nodes.reduce(0) { $0 + $1.statistics.packetsDropped }
        outcome.handshakes = network.nodes.reduce(0) { $0 + $1.statistics.sessionsEstablished }
        outcome.packets = network.packetsSent

        // Lookups for random targets from random nodes, one at a time.
        outcome.lookups = 30
        for _ in 0..<outcome.lookups {
            let origin = Int(network.random.next() % UInt64(nodeCount))
            var targetBytes: [UInt8] = []
            for _ in 0..<4 { withUnsafeBytes(of: network.random.next()) { targetBytes += $0 } }
            let before = network.packetsTouching[origin]
            guard let target = NodeID(bytes: targetBytes),
                  let id = network.perform(origin, { node, now, random in node.lookup(target, now: now, using: &random) })
            else {
                outcome.unfinishedLookups += 1
                continue
            }
            let finished = network.run(until: network.now + .seconds(30)) { $0.finishedLookups[origin]?[id] == nil }
            if !finished { outcome.unfinishedLookups += 1 }
            outcome.lookupPackets += network.packetsTouching[origin] - before
            let found = Set((network.finishedLookups[origin]?[id] ?? []).map(\.discoveryNodeID))
            let truth = Set(identities.indices.filter { $0 != origin }.map { identities[$0].nodeID }
                .sorted { XORDistance.isCloser($0, than: $1, to: target) }.prefix(16))
            if found == truth { outcome.exactLookups += 1 }
        }
        return outcome
    }

    // Limits far above an unloaded run (about 4 minutes in debug on one core): simulations run at
    // a low priority (``onOwnThread(_:)``) and take what the rest of the suite leaves.
    @Test(.timeLimit(.minutes(10)))
    func thousandNodesFillTablesAndFindTheClosest() async throws {
        let outcome = try await onOwnThread(Self.runThousandNodes)
        print("discv5 simulation: \(outcome.timedOut) timed out, \(outcome.dropped) packets dropped")
        print("discv5 simulation: \(outcome.handshakes) handshakes, \(outcome.failed) failed requests")
        print("discv5 simulation: 1000 nodes, table size min \(outcome.minimumTableSize) mean \(outcome.meanTableSize), packets \(outcome.packets)")
        #expect(outcome.minimumTableSize >= 16, "every node fills its table with at least k entries")

        let rate = Double(outcome.exactLookups) / Double(outcome.lookups)
        print("discv5 simulation: lookups \(outcome.lookups), exact 16 closest found \(outcome.exactLookups) (\(rate * 100)%), packets per lookup \(Double(outcome.lookupPackets) / Double(outcome.lookups))")
        #expect(outcome.unfinishedLookups == 0)
        #expect(rate >= 0.95)
    }

    /// What the eclipse attempt left in the victim's table.
    struct EclipseOutcome: Sendable {
        var tableSize = 0
        var sybilsInTable = 0
        var subnetCount = 0
        var mostSybilsAtOneDistance = 0
    }

    static func runEclipseAttempt() throws -> EclipseOutcome {
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
        let sybilSubnet = Subnet(ip: [66, 66, 66, 0])
        let isSybil = { (entry: TableEntry) in Subnet(ip: entry.endpoint.ip) == sybilSubnet }
        var outcome = EclipseOutcome()
        outcome.tableSize = table.count
        outcome.sybilsInTable = table.allEntries.filter(isSybil).count
        outcome.subnetCount = sybilSubnet.map { table.count(in: $0) } ?? -1
        outcome.mostSybilsAtOneDistance = (1...256).map { table.entries(atDistance: $0).filter(isSybil).count }.max() ?? 0
        return outcome
    }

    @Test(.timeLimit(.minutes(5)))
    func sybilsFromOneSubnetCannotEclipseTheVictim() async throws {
        let outcome = try await onOwnThread(Self.runEclipseAttempt)
        print("discv5 eclipse: victim table \(outcome.tableSize) entries, \(outcome.sybilsInTable) from the sybil /24")
        #expect(outcome.sybilsInTable <= 10)
        #expect(outcome.subnetCount == outcome.sybilsInTable)
        #expect(outcome.mostSybilsAtOneDistance <= 2)
        #expect(outcome.tableSize - outcome.sybilsInTable >= 10, "honest nodes still have their place")
    }
}
