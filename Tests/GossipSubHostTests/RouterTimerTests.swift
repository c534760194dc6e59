import GossipSub
import GossipSubHost
import LibP2P
import LibP2PCore
import NIOCore
import Testing
import TestSupport

/// The router's own timer (`GossipSubRouter.nextDeadline`) in the host: with heartbeats minutes
/// apart, an INEED the first announcer leaves unanswered still goes to the next announcer at
/// its deadline. Two raw v1.3 peers announce one message; the first never sends it.
@Suite(.timeLimit(.minutes(1)), .serialized) struct RouterTimerTests {
    static let topic = "/aztec/tx/test"

    /// Reads `stream` until an INEED for `id` arrives.
    static func awaitNeed(_ id: MessageID, on stream: P2PStream) async throws -> Bool {
        var reader = RPCFrameReader(limits: RPCLimits())
        for try await buffer in stream {
            reader.append(contentsOf: buffer.readableBytesView)
            while let (rpc, _) = try reader.next() {
                if rpc.announceExtension?.needs.contains(INeed(messageID: id)) == true { return true }
            }
        }
        return false
    }

    @Test func anUnansweredINeedGoesToTheNextAnnouncerBetweenHeartbeats() async throws {
        var parameters = LoopbackNet.parameters()
        parameters.heartbeatInterval = .seconds(300)
        parameters.extensions.announce = true
        parameters.announce.dAnnounce = parameters.d
        let net = try await LoopbackNet(count: 1, parameters: parameters)
        let host = net.hosts[0]
        let subscription = await host.subscribe(Self.topic)
        let advert = ControlExtensions(announce: true)
        var peers: [(raw: InboundStreamTests.RawPeer, connection: P2PConnection, stream: P2PStream)] = []
        for seed in [95, 96] as [UInt64] {
            let raw = try await InboundStreamTests.RawPeer(group: net.group, seed: seed, proto: .meshsub13)
            _ = try await host.dial(host: "127.0.0.1", port: raw.listener.localPort)
            let connection = try #require(await raw.accepted())
            peers.append((raw, connection, try await raw.subscribe(Self.topic, on: connection, extensions: advert)))
        }
        do {  // the streams must end while the event loops run
            #expect(try await eventually { await host.topicPeers(Self.topic).count == 2 })
            for peer in peers {
                #expect(try await eventually { await host.extensions(of: peer.raw.identity.peerID)?.announce == true })
            }
            let id = MessageID([UInt8](repeating: 7, count: 20))
            let announcement = RPC(announceExtension: AnnounceExtension(announcements: [IAnnounce(topic: Self.topic, messageID: id)]))
            let toHost = try peers.map { try #require($0.raw.held.withLock { $0.first }) }
            // The first announcer is asked at once and stays silent.
            try await peers[0].stream.write(ByteBuffer(bytes: announcement.framed()))
            #expect(try await Self.awaitNeed(id, on: toHost[0]))
            // The second is asked when the first one's INEED times out (400 ms), not at a heartbeat.
            try await peers[1].stream.write(ByteBuffer(bytes: announcement.framed()))
            #expect(try await Self.awaitNeed(id, on: toHost[1]))
            withExtendedLifetime(subscription) {}
        }
        for peer in peers {
            peer.raw.held.withLock { $0.removeAll() }
            await peer.connection.close()
            await peer.raw.listener.close()
        }
        await net.shutdown()
    }
}
