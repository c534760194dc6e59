import Testing
import TestSupport
@testable import GossipSub

@Suite struct NetworkSimulationTests {
    /// Builds a network, lets meshes form for 5 s, publishes `count` 2 KiB messages from
    /// varying nodes 100 ms apart, and runs until everything settles.
    /// The simulation runs on a thread of its own: it computes without suspending, which on the
    /// cooperative pool would starve the other tests.
    static func simulate(_ parameters: NetworkSimulation.Parameters, messages count: Int = 20) async throws -> NetworkSimulation {
        try await onOwnThread(handingOver: { try simulateHere(parameters, messages: count) })
    }

    private static func simulateHere(_ parameters: NetworkSimulation.Parameters, messages count: Int) throws -> NetworkSimulation {
        var sim = try NetworkSimulation(parameters)
        sim.run(until: .seconds(5))
        for i in 0..<count {
            let node = (i * 7 + 3) % parameters.nodes
            sim.schedulePublish(node: node, data: bytes(2048, seed: UInt8(i)) + [UInt8(i)], at: .seconds(5) + .milliseconds(Int64(100 * i)))
        }
        sim.run(until: .seconds(15))
        return sim
    }

    static func expectEveryoneGotEverythingOnce(_ sim: NetworkSimulation) {
        #expect(sim.published.count > 0)
        for (publisher, id) in sim.published {
            for node in 0..<sim.parameters.nodes {
                let times = sim.deliveries[node]?[id] ?? 0
                #expect(times == (node == publisher ? 0 : 1), "node \(node), message \(id)")
            }
        }
    }

    @Test(arguments: [true, false])
    func everyMessageReachesEverySubscriberOnce(floodPublish: Bool) async throws {
        var p = NetworkSimulation.Parameters()
        p.floodPublish = floodPublish
        let sim = try await Self.simulate(p)
        #expect(sim.published.count == 20)
        Self.expectEveryoneGotEverythingOnce(sim)
        // Meshes formed within bounds on every node (isolated nodes aside, none here).
        for router in sim.routers {
            let size = router.meshPeers(topic).count
            #expect(size >= 1 && size <= 12)
        }
    }

    @Test func honestNetworkWithScoringDeliversEverythingAndPenalisesNobody() async throws {
        var p = NetworkSimulation.Parameters()
        p.scoring = true
        p.floodPublish = false
        let sim = try await Self.simulate(p)
        Self.expectEveryoneGotEverythingOnce(sim)
        #expect(sim.penalties == 0)
        for (node, router) in sim.routers.enumerated() {
            for peer in router.connectedPeers {
                #expect(router.scoring.score(peer, now: sim.now) >= 0, "node \(node) scores \(peer) negative")
            }
        }
        // First deliveries earned positive scores somewhere.
        let positive = sim.routers.flatMap { r in r.connectedPeers.map { r.scoring.score($0, now: sim.now) } }.filter { $0 > 0 }
        #expect(!positive.isEmpty)
    }

    @Test func gossipRecoversLostMessages() async throws {
        var p = NetworkSimulation.Parameters()
        p.floodPublish = false
        p.messageLossPerMille = 100
        let sim = try await Self.simulate(p)
        // 10 % of message copies vanish; IHAVE/IWANT fills the holes.
        #expect(sim.iwantsSent > 0)
        Self.expectEveryoneGotEverythingOnce(sim)
    }

    @Test func sameSeedSameTraceOtherSeedOtherTrace() async throws {
        var p = NetworkSimulation.Parameters()
        p.nodes = 30
        let a = try await Self.simulate(p, messages: 5)
        let b = try await Self.simulate(p, messages: 5)
        #expect(a.traceHash == b.traceHash)
        #expect(a.rpcCount == b.rpcCount)
        p.seed = 2
        let c = try await Self.simulate(p, messages: 5)
        #expect(a.traceHash != c.traceHash)
        // Pinned across processes: Swift's Hasher is seeded per process, so a hash-order leak
        // into the router's output makes this flicker between runs. Update the constant only
        // for a deliberate behaviour change (and check it is stable over several runs).
        #expect(a.traceHash == "1ad473d6b2d31fe610f7c8f0028c06a4b66b0ae2951bbe20fedfb9f5f3c8b747")
    }

    @Test func idontwantSavesMessageCopies() async throws {
        var p = NetworkSimulation.Parameters()
        p.nodes = 30
        p.floodPublish = false
        let with = try await Self.simulate(p, messages: 10)
        p.idontwantThreshold = 1 << 19   // above the 2 KiB test messages: IDONTWANT never sent
        let without = try await Self.simulate(p, messages: 10)
        Self.expectEveryoneGotEverythingOnce(with)
        Self.expectEveryoneGotEverythingOnce(without)
        #expect(with.idontwantsSent > 0)
        #expect(without.idontwantsSent == 0)
        #expect(with.messageCopies < without.messageCopies)
        print("message copies with IDONTWANT:", with.messageCopies, "without:", without.messageCopies)
    }
}

@Suite struct LargeNetworkSimulationTests {
    @Test func twoHundredRoutersDeliverEverything() async throws {
        var p = NetworkSimulation.Parameters()
        p.nodes = 200
        p.floodPublish = false
        var sim = try NetworkSimulation(p)
        sim.run(until: .seconds(5))
        for i in 0..<10 {
            sim.schedulePublish(node: (i * 37) % 200, data: bytes(4096, seed: UInt8(i)) + [UInt8(i)],
                                at: .seconds(5) + .milliseconds(Int64(100 * i)))
        }
        sim.run(until: .seconds(12))
        #expect(sim.published.count == 10)
        NetworkSimulationTests.expectEveryoneGotEverythingOnce(sim)
        let meshSizes = sim.routers.map { $0.meshPeers(topic).count }
        #expect(meshSizes.allSatisfy { $0 >= 1 && $0 <= 12 })
    }
}
