import Foundation
import GossipSub
import GossipSubHost
import InteropSupport
import LibP2P
import LibP2PCore
import NIOPosix
import Testing
import TestSupport

/// GossipSub attached to `P2PHost`s that application code created, started and connected first:
/// the protocol registers on the running hosts, takes their existing and later connections,
/// and meshes with another attached host and with a py-libp2p peer.
@Suite(.timeLimit(.minutes(2)), .serialized, .tags(.integration)) struct AttachedHostTests {
    static let topic = "/aztec/tx/0.1.0"

    static func router(seed: UInt64) throws -> GossipSubRouter<PeerID> {
        GossipSubRouter<PeerID>(config: try GossipSubConfig(validating: LoopbackNet.parameters()), seed: seed)
    }

    static func host(seed: UInt64, group: MultiThreadedEventLoopGroup) throws -> P2PHost {
        var rng = SeededRandom(state: seed)
        return try P2PHost(identity: try LibP2PIdentity.generate(.ed25519, using: &rng),
                           configuration: .init(agentVersion: "attached-test"), group: group)
    }

    @Test func gossipAttachedToRunningHostsMeshesOverTheirConnections() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let a = try Self.host(seed: 1, group: group)
        let b = try Self.host(seed: 2, group: group)
        let c = try Self.host(seed: 3, group: group)
        let addressB = try await b.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        let addressC = try await c.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        // A connection that exists before GossipSub does; B has identified A without pubsub.
        _ = try await a.dial(addressB)
        #expect(try await eventually { b.identifyInfo(of: a.peerID) != nil })
        #expect(b.identifyInfo(of: a.peerID)?.protocols.contains(GossipProtocol.meshsub12.protocolID) == false)

        let gossip = try [a, b, c].enumerated().map { index, host in
            try GossipSubHost(attachingTo: host, router: try Self.router(seed: UInt64(index)))
        }
        for g in gossip { await g.start() }
        #expect(zip(gossip, [a, b, c]).allSatisfy { $0.p2pHost === $1 })
        #expect(a.protocols.contains(GossipProtocol.meshsub12.protocolID))
        let received = await gossip.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        // A connection made after: the host's dial, not GossipSub's.
        _ = try await b.dial(addressC)

        #expect(try await eventually { await gossip[1].meshPeers(Self.topic).count == 2 })
        let meshA = try await eventually { await gossip[0].meshPeers(Self.topic) == [b.peerID] }
        let (peersA, statsA) = (await gossip[0].connectedPeers(), await gossip[0].currentStats())
        #expect(meshA, "A: \(peersA) \(statsA)")
        let id = try await gossip[0].publish(topic: Self.topic, data: Array(repeating: 7, count: 40_000))
        #expect(await received[2].wait(count: 1).map(\.message.id) == [id])
        #expect(await received[1].wait(count: 1).map(\.message.id) == [id])
        // B identified A after A registered the pubsub protocols: a push told B.
        #expect(try await eventually {
            b.identifyInfo(of: a.peerID)?.protocols.contains(GossipProtocol.meshsub12.protocolID) == true
        })

        for g in gossip { await g.stop() }
        // GossipSub stopping takes its protocols off the host and leaves the host's connections open.
        #expect(!a.protocols.contains(GossipProtocol.meshsub12.protocolID))
        #expect(a.protocols.contains("/ipfs/ping/1.0.0"))
        #expect(b.connection(to: a.peerID)?.isActive == true)
        #expect(try await b.ping(try #require(b.connection(to: a.peerID))).count == 1)
        withExtendedLifetime(received) {}
        for host in [a, b, c] { await host.close() }
        try await group.shutdownGracefully()
    }

    /// A py-libp2p 0.8.1 peer dials the running host GossipSub was attached to; 40 KB messages
    /// cross both ways.
    @Test(.enabled(if: InteropPeers.pythonShouldRun))
    func gossipAttachedToARunningHostMeshesWithPy() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let host = try Self.host(seed: 4, group: group)
        let address = try await host.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        let gossip = try GossipSubHost(attachingTo: host, router: try Self.router(seed: 4))
        await gossip.start()
        let received = Recorder(await gossip.subscribe(Self.topic))

        let py = try InteropPeers.launchPython("py_gossip.py", [
            "--dial", address.description, "--topic", Self.topic, "--sign", "none", "--msg-id", "aztec",
            "--publish", "2", "--size", "40000", "--interval", "200", "--expect", "2", "--timeout", "60", "--linger", "3",
        ])
        defer { py.stop() }
        _ = try await py.nextLine(timeout: .seconds(60))
        #expect(try await eventually(.seconds(30)) { await !gossip.meshPeers(Self.topic).isEmpty })
        for i in 0..<2 { try await gossip.publish(topic: Self.topic, data: Array(repeating: UInt8(i), count: 40_000)) }
        #expect(await received.wait(count: 2, timeout: .seconds(60)).count == 2)
        let done = try await py.line(where: { $0.contains("\"done\"") }, timeout: .seconds(60))
        #expect(done.contains("\"ok\": true") || done.contains("\"ok\":true"), "py: \(done)")

        await gossip.stop()
        withExtendedLifetime(received) {}
        await host.close()
        try await group.shutdownGracefully()
    }
}
