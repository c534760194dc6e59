import Foundation
import GossipSub
import Testing
@testable import NetworkSimulation

@Suite struct GossipNetworkSimulationTests {
    static func scenario(seed: UInt64 = 1) -> GossipScenario {
        var s = GossipScenario(name: "baseline-small")
        s.nodes = 150
        s.seed = seed
        s.warmupSeconds = 8
        s.publishSeconds = 10
        s.drainSeconds = 5
        return s
    }

    /// Every transaction reaches every node, meshes form, and upload stays within a few times the
    /// unique payload rate.
    @Test func everyTransactionReachesEveryNode() throws {
        var simulation = try GossipNetworkSimulation(Self.scenario())
        let report = simulation.run()
        #expect(report.published == 100)
        #expect(report.reachedEveryNode == 100, "\(report)")
        #expect(report.deliveryRatio == 1)
        #expect(report.lastNodeMaxMilliseconds < 10_000, "\(report)")
        #expect(report.latencyP50Milliseconds > 44, "faster than the latency table allows")
        // Meshes: nobody is isolated, nobody far above D_high.
        #expect(report.meshDegrees.first == 0)
        #expect(report.meshDegrees.count <= 13)
        // At most every connection's copy: flood publishing to all peers, forwarding to the mesh.
        #expect(report.uploadBytesPerSecond.mean < Double(2 * 8 + 12) * report.uniquePayloadBytesPerSecond, "\(report)")
        #expect(report.uploadBytesPerSecond.mean > report.uniquePayloadBytesPerSecond)
    }

    @Test func theSameSeedGivesTheSameTraceAndAnotherSeedAnother() throws {
        var shorter = Self.scenario()
        shorter.publishSeconds = 3
        var a = try GossipNetworkSimulation(shorter)
        var b = try GossipNetworkSimulation(shorter)
        shorter.seed = 2
        var c = try GossipNetworkSimulation(shorter)
        let ra = a.run(), rb = b.run(), rc = c.run()
        #expect(ra.traceHash == rb.traceHash)
        #expect(ra == rb)
        #expect(ra.traceHash != rc.traceHash)
    }

    /// IDONTWANT saves download: the same scenario without it moves more bytes.
    @Test func idontwantCutsDuplicateBytes() throws {
        var with = Self.scenario()
        with.publishSeconds = 5
        var without = with
        without.gossip.idontwant = false
        var a = try GossipNetworkSimulation(with), b = try GossipNetworkSimulation(without)
        let ra = a.run(), rb = b.run()
        #expect(ra.reachedEveryNode == ra.published && rb.reachedEveryNode == rb.published)
        #expect(ra.downloadBytesPerSecond.mean < rb.downloadBytesPerSecond.mean, "\(ra.downloadBytesPerSecond) vs \(rb.downloadBytesPerSecond)")
    }

    /// The wire size charged for an RPC matches the real encoding within a few bytes.
    @Test func wireSizeMatchesTheEncoding() {
        for size in [0, 1, 100, 1_000, 40_000, 200_000] {
            let message = RawMessage(data: [UInt8](repeating: 7, count: size), topic: GossipNetworkSimulation.topic)
            let rpc = RPC(publish: [message, message])
            let encoded = rpc.encoded().count
            let exact = encoded + GossipNetworkSimulation.varintSize(encoded)
            #expect(abs(GossipNetworkSimulation.wireSize(of: rpc) - exact) <= 4, "size \(size)")
        }
    }

    @Test func brokenScenariosAreRefused() {
        var s = GossipScenario(name: "x")
        s.dialsPerNode = s.nodes
        #expect(throws: SimulationError.self) { try GossipNetworkSimulation(s) }
        let decoded = try? JSONDecoder().decode(GossipScenario.self, from: Data(#"{"name": "y", "nodes": 50, "gossip": {"d": 8}}"#.utf8))
        #expect(decoded?.nodes == 50 && decoded?.gossip.d == 8 && decoded?.transactionBytes == 40_000)
    }
}
