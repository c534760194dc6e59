import AztecP2P
import DiscV5
import ENR
import Testing
import TestSupport
@testable import NetworkSimulation

/// Discovery alone at a thousand nodes, on the same simulator: 1,000 discovery-only nodes of
/// another network (as Ethereum's would be) and two Aztec nodes join through one bootnode over
/// datagrams of which 1% are lost (the network model's default), with the node's own discovery
/// configuration. (At 5% loss 22 of these 30 lookups were exact: a lookup returns the closest
/// nodes that answered, and the node retries a request once.)
@Suite struct DiscoveryNetworkSimulationTests {
    static func scenario() -> SimulationScenario {
        var s = SimulationScenario(name: "discovery-1000")
        s.nodes = 2
        s.join.bootnodes = 1
        s.join.otherDiscoveryNodes = 1_000
        s.join.startWithinSeconds = 10
        return s
    }

    /// What the 1,000-node run measured.
    struct Outcome: Sendable {
        var nodesWithoutDiscovery = 0
        var minimumTableSize = 0
        var meanTableSize = 0.0
        var lookups = 0, unfinishedLookups = 0, exactLookups = 0
    }

    static func runThousandNodes() throws -> Outcome {
        let simulation = try AztecNetworkSimulation(scenario())
        // Every node joins (a lookup of its own id) and refreshes its table once (every 60 s).
        simulation.run(until: .seconds(75))
        var outcome = Outcome()
        let sizes = simulation.nodes.compactMap { $0.discovery?.table.count }
        outcome.nodesWithoutDiscovery = simulation.nodes.count - sizes.count
        outcome.minimumTableSize = sizes.min() ?? 0
        outcome.meanTableSize = Double(sizes.reduce(0, +)) / Double(max(sizes.count, 1))

        // Lookups of random targets from random nodes, one at a time; the truth is the 16 ids
        // closest to the target among all the network's nodes but the origin.
        let ids = simulation.nodes.indices.map(simulation.discoveryNodeID(of:))
        var random = SplitMix64(seed: 2026)
        outcome.lookups = 30
        for _ in 0..<outcome.lookups {
            let origin = Int(random.next() % UInt64(ids.count))
            var bytes: [UInt8] = []
            for _ in 0..<4 { withUnsafeBytes(of: random.next()) { bytes += $0 } }
            guard let target = NodeID(bytes: bytes), let lookup = simulation.startLookup(at: origin, of: target) else {
                outcome.unfinishedLookups += 1
                continue
            }
            let finished = simulation.run(until: simulation.now + .seconds(30)) { simulation.lookupResult(lookup) != nil }
            guard finished, let found = simulation.lookupResult(lookup) else {
                outcome.unfinishedLookups += 1
                continue
            }
            let truth = ids.indices.filter { $0 != origin }.map { ids[$0] }
                .sorted { XORDistance.isCloser($0, than: $1, to: target) }.prefix(16)
            if Set(found.map(\.discoveryNodeID)) == Set(truth) { outcome.exactLookups += 1 }
        }
        return outcome
    }

    /// Seed 002's open question in small: 100 Aztec nodes alone, and as a fifth of a discovery
    /// network of 500 (the rest other networks' nodes, which they never dial): every Aztec node
    /// still finds its 8 Aztec peers and gets every transaction, and pays for it in packets.
    @Test(.timeLimit(.minutes(10)))
    func aztecNodesAsAMinorityStillFindTheirPeers() async throws {
        func scenario(others: Int) -> SimulationScenario {
            var s = SimulationScenario(name: "aztec-share-small")
            s.nodes = 100
            s.join.bootnodes = 2
            s.join.otherDiscoveryNodes = others
            // The slowest of the minority took 50 s to find its eighth Aztec peer (seed 1).
            s.warmupSeconds = 60
            s.publishSeconds = 2
            return s
        }
        let alone = try await AztecNetworkSimulation.report(scenario(others: 0))
        let minority = try await AztecNetworkSimulation.report(scenario(others: 400))
        let a = try #require(alone.join), m = try #require(minority.join)
        print("aztec share 100%: \(a); 20%: \(m)")
        #expect(a.otherDiscoveryNodes == 0 && m.otherDiscoveryNodes == 400)
        #expect(a.nodes == 100 && a.reachedTargetPeers == 100)
        #expect(m.nodes == 100 && m.reachedTargetPeers == 100)
        #expect(minority.deliveryRatio == 1 && minority.published == 20, "\(minority)")
        #expect(m.discoveryPackets.p50 > a.discoveryPackets.p50)
    }

    // Far above an unloaded run: simulations run at a low priority (``onOwnThread(_:)``) and take
    // what the rest of the suite leaves.
    @Test(.timeLimit(.minutes(10)))
    func thousandNodesFillTablesAndFindTheClosest() async throws {
        let outcome = try await onOwnThread(Self.runThousandNodes)
        print("discv5 at 1,001 nodes: table size min \(outcome.minimumTableSize) mean \(outcome.meanTableSize); exact lookups \(outcome.exactLookups) of \(outcome.lookups)")
        #expect(outcome.nodesWithoutDiscovery == 0)
        #expect(outcome.minimumTableSize >= 16, "every node fills its table with at least k entries")
        #expect(outcome.unfinishedLookups == 0)
        #expect(Double(outcome.exactLookups) / Double(outcome.lookups) >= 0.95)
    }
}

/// Sybils renting one /24 cannot fill honest discovery tables: half the nodes, all in one
/// subnet, join through the one bootnode with everybody else, and every honest node (the
/// bootnode too) holds at most 10 of them, at most 2 in any bucket, and honest entries outnumber
/// them overall.
@Suite struct SybilSubnetSimulationTests {
    struct TableView: Sendable {
        var entries = 0, sybils = 0, mostSybilsAtOneDistance = 0
    }

    @Test func sybilsFromOneSubnetCannotFillHonestTables() async throws {
        var s = SimulationScenario(name: "sybil-subnet")
        s.nodes = 120
        s.join.bootnodes = 1
        s.warmupSeconds = 40
        s.publishSeconds = 0
        s.drainSeconds = 0
        var censor = CensorSettings()
        censor.share = 0.5
        censor.subnets = 1
        s.censor = censor
        let scenario = s
        let sybilSubnet = Array(SimulatedAddressing.sharedIP(subnet: 0, host: 1).prefix(3))
        let tables = try await onOwnThread { () throws -> [TableView] in
            let simulation = try AztecNetworkSimulation(scenario)
            simulation.run(until: .seconds(40))
            let isSybil = { (entry: TableEntry) in Array(entry.endpoint.ip.prefix(3)) == sybilSubnet }
            return simulation.nodes.filter { !$0.isAttacker }.map { node in
                guard let table = node.discovery?.table else { return TableView() }
                return TableView(entries: table.count, sybils: table.allEntries.filter(isSybil).count,
                                 mostSybilsAtOneDistance: (1...256).map { table.entries(atDistance: $0).filter(isSybil).count }.max() ?? 0)
            }
        }
        print("sybil /24: honest tables hold at most \(tables.map(\.sybils).max() ?? 0) sybils, at least \(tables.map { $0.entries - $0.sybils }.min() ?? 0) honest entries")
        #expect(tables.count == 61)
        #expect(tables.map(\.sybils).max() ?? 0 > 0, "the sybils did join")
        for table in tables {
            #expect(table.sybils <= 10)
            #expect(table.mostSybilsAtOneDistance <= 2)
            #expect(table.entries - table.sybils >= 5, "honest nodes still have their place")
        }
        // As many sybils as honest nodes, yet honest entries outnumber them in the tables.
        let honestEntries = tables.reduce(0) { $0 + $1.entries - $1.sybils }, sybilEntries = tables.reduce(0) { $0 + $1.sybils }
        #expect(honestEntries > sybilEntries, "\(honestEntries) honest, \(sybilEntries) sybil entries")
    }
}
