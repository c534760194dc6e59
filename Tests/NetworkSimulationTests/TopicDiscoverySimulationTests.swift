import DiscV5
import Foundation
import Testing
import TestSupport
@testable import NetworkSimulation

/// Discv5 topic discovery in the simulator (issue 16): Aztec nodes as 5% of a discovery network
/// where every node is a TopDisc registrar advertise their topic and search it.
@Suite struct TopicDiscoverySimulationTests {
    static func scenario(seed: UInt64 = 1) -> SimulationScenario {
        var s = SimulationScenario(name: "topics-small")
        s.seed = seed
        s.nodes = 20
        s.join.bootnodes = 2
        s.join.otherDiscoveryNodes = 380
        s.topics = TopicSettings()
        // A short ad lifetime `E`: the cache reaches the steady state of a single topic (every
        // further advertiser admitted after waiting about `E`) within the run.
        s.topics?.adLifetimeSeconds = 20
        s.warmupSeconds = 45
        s.publishSeconds = 2
        return s
    }

    struct Outcome: Sendable, Equatable {
        /// Aztec advertisers each node's search found, by node, and the seconds until the last search ended.
        var found: [Int]
        var seconds: Double
        var report: SimulationReport
    }

    /// Once the advertisers have placed their ads (40 s in, all nodes up for 1.5 lifetimes or
    /// more), every Aztec node searches at once; then the run goes on to its end.
    static func searchEveryNode(seed: UInt64) throws -> Outcome {
        let simulation = try AztecNetworkSimulation(scenario(seed: seed))
        simulation.run(until: .seconds(40))
        let started = simulation.now
        let searches = try (0..<20).map { try #require(simulation.startTopicSearch(at: $0)) }
        _ = simulation.run(until: simulation.now + .seconds(30), stopWhen: { searches.allSatisfy { simulation.lookupResult($0) != nil } })
        let seconds = (simulation.now - started).seconds
        let found = searches.map { key in
            let own = simulation.discoveryNodeID(of: Int(key.node))
            return (simulation.lookupResult(key) ?? []).filter { (try? $0.aztecChainID) == 1 && $0.discoveryNodeID != own }.count
        }
        return Outcome(found: found, seconds: seconds, report: simulation.run())
    }

    /// Every searcher finds at least 8 advertisers within 30 s, the same for the same seed; the
    /// run reports placements and registrar load, and every node joins and gets every transaction.
    @Test(.timeLimit(.minutes(10)))
    func everySearcherFindsEightAdvertisersWithinHalfAMinute() async throws {
        let outcome = try await onOwnThread { try Self.searchEveryNode(seed: 1) }
        print("advertisers found by each of 20 searchers: \(outcome.found), all within \(outcome.seconds) s")
        #expect(outcome.found.allSatisfy { $0 >= 8 }, "\(outcome.found)")
        #expect(outcome.seconds < 30)

        let topics = try #require(outcome.report.topics)
        let join = try #require(outcome.report.join)
        // Searches of the nodes' own (their dial policy's lookups; the 20 above are the test's): a
        // node whose peers all dialed it needs none.
        #expect(topics.searchers >= 15 && topics.searchers <= 20, "\(topics)")
        #expect(topics.searchesFinished == topics.searchesStarted && topics.searchesStarted >= topics.searchers)
        #expect(topics.advertisersWithoutPlacement == 0)
        #expect(topics.adsHeldMaximum >= 1 && topics.adsHeldMaximum <= topics.registrarCapacity)
        #expect(join.reachedTargetPeers == 20)
        #expect(outcome.report.deliveryRatio == 1)

        let again = try await onOwnThread { try Self.searchEveryNode(seed: 1) }
        #expect(again == outcome)
    }

    @Test func topicSettingsDecodeAndAreChecked() throws {
        let decoded = try JSONDecoder().decode(TopicSettings.self, from: Data(#"{"search": false, "adLifetimeSeconds": 60}"#.utf8))
        #expect(decoded.advertise && !decoded.search && decoded.adLifetimeSeconds == 60)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TopicSettings.self, from: Data(#"{"serch": true}"#.utf8)) }
        var s = Self.scenario()
        s.topics?.adLifetimeSeconds = 0
        #expect(s.problem?.hasPrefix("topics:") == true)
        s = Self.scenario()
        s.join.mode = .static
        s.join.otherDiscoveryNodes = 0
        #expect(s.problem == "topics: needs join mode discovery")
        s = Self.scenario()
        s.topics?.sybils = 381
        #expect(s.problem == "topics: sybils must be in 0...otherDiscoveryNodes")
        s.topics?.sybils = 300
        s.topics?.sybilSubnets = 1
        #expect(s.problem?.hasPrefix("topics: sybilSubnets") == true)
    }
}
