import GossipSub
import Testing
@testable import NetworkSimulation

/// How a node's uplink picks the next frame: connections in turn, a frame each, or (with
/// `network.controlFirst`) small frames ahead of other connections' message bodies.
@Suite struct UplinkOrderTests {
    /// 12 nodes wired at the start; nothing is published, so after the warm-up the uplinks are idle.
    static func simulation(controlFirst: Bool) throws -> AztecNetworkSimulation {
        var s = StaticJoinSimulationTests.scenario()
        s.nodes = 12
        s.join.dialsPerNode = 4
        s.network.controlFirst = controlFirst
        let simulation = try AztecNetworkSimulation(s)
        simulation.run(until: .seconds(s.warmupSeconds - 1))
        return simulation
    }

    /// Node 0 queues two 40 KB bodies for two peers, then an IDONTWANT for a third. The first body
    /// goes at once. When it has left, the IDONTWANT goes next with `controlFirst`, and only after
    /// the second body without.
    @Test(arguments: [false, true])
    func anIDontWantOvertakesAnotherConnectionsBodyOnlyWithControlFirst(controlFirst: Bool) throws {
        let sim = try Self.simulation(controlFirst: controlFirst)
        let peers = Array(sim.nodes[0].connections.keys.sorted().prefix(3))
        try #require(peers.count == 3)
        let start = sim.now
        let body = RPC(publish: [RawMessage(data: [UInt8](repeating: 7, count: 40_000), topic: AztecNetworkSimulation.topic)])
        sim.enqueue(body, from: 0, to: peers[0])
        sim.enqueue(body, from: 0, to: peers[1])
        sim.enqueue(RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [MessageID([1])])])), from: 0, to: peers[2])
        let firstLeaves = sim.nodes[0].uplinkFreeAt
        #expect(sim.nodes[0].links[peers[0]]?.queue.isEmpty ?? true, "the first body is on the wire")
        // Just after the first body has left, the second is on the wire; with `controlFirst` it
        // started after the IDONTWANT, so it ends later than one body's time after the first.
        sim.run(until: firstLeaves + .milliseconds(0.001))
        let bodyTime = firstLeaves - start
        #expect(sim.nodes[0].links[peers[1]]?.queue.isEmpty ?? true)
        #expect((sim.nodes[0].links[peers[2]]?.queue.isEmpty ?? true) == controlFirst)
        #expect((sim.nodes[0].uplinkFreeAt - firstLeaves > bodyTime) == controlFirst)
    }

    /// The whole path still delivers everything once with the policy on.
    @Test func everythingArrivesWithControlFirst() async throws {
        var s = GossipBehaviourSimulationTests.scenario()
        s.network.controlFirst = true
        s.transactionBytes = 20_000
        let o = try await GossipBehaviourSimulationTests.outcome(s)
        #expect(o.report.deliveryRatio == 1, "\(o.report)")
        #expect(o.duplicateDeliveries == 0)
        #expect(o.report.honestPenalties.isEmpty, "\(o.report.honestPenalties)")
    }
}
