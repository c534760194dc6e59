import Testing
import TestSupport
@testable import NetworkSimulation
import GossipSub

/// Nodes that join as real ones do: discv5 from four bootnodes, then the node's dial policy.
@Suite struct DiscoveryJoinSimulationTests {
    static func scenario(nodes: Int = 200, seed: UInt64 = 1) -> SimulationScenario {
        var s = SimulationScenario(name: "discovery-small")
        s.nodes = nodes
        s.seed = seed
        s.join.startWithinSeconds = 10
        s.warmupSeconds = 30
        s.publishSeconds = 10
        // Nodes on 25 Mbit/s links lag by seconds when their uplink is full (see the README's figures).
        s.drainSeconds = 15
        return s
    }

    /// `baseline` in small: meshes form through discovery alone and every transaction reaches
    /// every node.
    @Test func nodesFoundThroughDiscoveryFormMeshesAndGetEveryTransaction() async throws {
        let (report, missed, rows) = try await AztecNetworkSimulation.run(Self.scenario()) { simulation, report in
            (report, simulation.missedDeliveries(), simulation.nodeRows().filter { $0.role == "aztec" })
        }
        #expect(report.published == 100 && report.unpublished == 0)
        #expect(report.expectedDeliveries == 100 * 200, "a node was not ready before publishing: \(report)")
        #expect(report.deliveryRatio == 1, "\(missed)")
        #expect(report.meshDegrees.prefix(4).reduce(0, +) == 0, "a node has fewer than 4 mesh peers: \(report.meshDegrees)")
        #expect(report.meshReadySeconds.map { $0 < 30 } == true, "\(report)")
        let boot = try #require(report.bootnodes)
        #expect(boot.packetsReceivedMax > 0)
        // Every node dialed up to its target; with inbound connections most have more.
        #expect(rows.allSatisfy { $0.connections >= 8 }, "\(rows.map(\.connections).min() ?? 0)")
    }

    @Test func theSameSeedGivesTheSameTraceAndAnotherSeedAnother() async throws {
        var s = Self.scenario(nodes: 60)
        s.publishSeconds = 2
        s.warmupSeconds = 15
        let ra = try await AztecNetworkSimulation.report(s), rb = try await AztecNetworkSimulation.report(s)
        s.seed = 2
        let rc = try await AztecNetworkSimulation.report(s)
        #expect(ra == rb)
        #expect(ra.traceHash != rc.traceHash)
    }

    /// `cold-boot` in small: every node starts within 60 s knowing only the bootnodes.
    @Test func aColdBootFormsMeshesWithinAMinuteOfTheLastStart() async throws {
        var s = Self.scenario(nodes: 150)
        s.join.startWithinSeconds = 60
        s.warmupSeconds = 75
        s.publishSeconds = 2
        let (report, samples) = try await AztecNetworkSimulation.run(s) { simulation, report in
            (report, simulation.samples)
        }
        let ready = try #require(report.meshReadySeconds, "99% of the nodes never had D_low mesh peers: \(samples.suffix(5))")
        #expect(ready <= 75)
        #expect(report.deliveryRatio == 1, "\(report)")
        // The mesh changes by cause add up across the network: a GRAFT sent is accepted or refused
        // by its peer (unless the two grafted each other at once, so the peer already had it, or it
        // was still in flight at the end), and a peer pruned by a node is pruned at that peer.
        let changes = samples.map(\.meshChanges).reduce(MeshChangeCounts(), +)
        let sent = changes.graftsForShortMesh + changes.graftsForOutboundQuota + changes.graftsOpportunistic
        let answered = changes.graftsAccepted + changes.graftsRefused
        let pruned = changes.prunedOverfull + changes.prunedNegativeScore + changes.graftsRefused
        #expect(changes.graftsForShortMesh >= 150, "nodes grafted to fill their meshes: \(changes)")
        #expect(answered <= sent && answered * 10 >= sent * 9, "\(changes)")
        #expect(changes.prunedByPeers <= pruned && changes.prunedByPeers * 20 >= pruned * 19, "\(changes)")
    }

    /// `churn` in small: 30% killed at once, 5% a minute replaced: every transaction published
    /// after the kill reaches every surviving node that was ready, and meshes recover.
    @Test func afterAMassKillAndSteadyChurnSurvivorsGetEveryTransaction() async throws {
        var s = Self.scenario(nodes: 200)
        s.warmupSeconds = 40
        s.publishSeconds = 20
        var churn = ChurnSettings()
        churn.killShare = 0.3
        churn.killAtSeconds = 32
        churn.replacedPerMinute = 0.05
        churn.replaceFromSeconds = 20
        s.churn = churn
        let (report, alive, missed, lastSamples) = try await AztecNetworkSimulation.run(s) { simulation, report in
            (report, simulation.samples.last?.nodes ?? 0, simulation.missedDeliveries(limit: 20), Array(simulation.samples.suffix(10)))
        }
        #expect(alive < 150 && alive > 120, "\(alive) running at the end")
        #expect(report.published == 200)
        #expect(report.expectedDeliveries > 200 * 120)
        #expect(report.deliveryRatio == 1, "\(missed)")
        // The kill came before the publishing: every transaction counts as after it.
        #expect(report.afterKill?.published == 200 && report.afterKill?.reachedEverySurvivor == 200)
        let recovery = try #require(report.meshRecoverySeconds, "meshes never recovered: \(lastSamples)")
        #expect(recovery < 30)
        // Back at the share before the kill (at most 99%) no later than at 99%.
        let share = try #require(report.meshReadyShareBeforeKill)
        #expect(share > 0.5 && share <= 0.99)
        let toShareBefore = try #require(report.meshRecoveryToPreKillShareSeconds)
        #expect(toShareBefore >= 1 && toShareBefore <= recovery)
    }
}
