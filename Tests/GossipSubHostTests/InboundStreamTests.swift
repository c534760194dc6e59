import GossipSub
import GossipSubHost
import LibP2P
import LibP2PCore
import NIOCore
import Testing
import TestSupport

/// How inbound pubsub streams find their peer's session: through the connection the stream
/// carries, with no timed waits. A raw libp2p peer opens the streams by hand.
@Suite(.timeLimit(.minutes(1)), .serialized) struct InboundStreamTests {
    static let topic = "/aztec/tx/test"

    /// A raw peer listening on loopback; it keeps the pubsub streams the host opens to it.
    struct RawPeer {
        let identity: HostIdentity
        let transport: TCPTransport
        let listener: TCPListener
        let held = Box<[P2PStream]>([])

        let proto: GossipProtocol

        init(group: any EventLoopGroup, seed: UInt64, proto: GossipProtocol = .meshsub12) async throws {
            self.proto = proto
            var rng = SeededRandom(state: seed)
            identity = HostIdentity.ed25519(using: &rng)
            let held = self.held
            transport = try TCPTransport(
                group: group,
                upgrade: ConnectionUpgradeConfiguration(noise: try identity.noiseConfiguration(using: &rng), muxers: [.yamux]),
                handlers: [proto.protocolID: { stream in held.withLock { $0.append(stream) } }])
            listener = try await transport.listen(host: "127.0.0.1", port: 0)
        }

        /// The connection the host dialed, as this side accepted it.
        func accepted() async -> P2PConnection? {
            for await connection in listener.connections { return connection }
            return nil
        }

        /// Opens a pubsub stream on `connection` and announces a subscription to `topic` on it
        /// (with the v1.3 `extensions` advertised, if any).
        func subscribe(_ topic: String, on connection: P2PConnection, extensions: ControlExtensions? = nil) async throws -> P2PStream {
            let stream = try await connection.openStream(protocol: proto.protocolID)
            var first = RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)])
            if let extensions { first.control = ControlMessage(extensions: extensions) }
            try await stream.write(ByteBuffer(bytes: first.framed()))
            return stream
        }
    }

    /// A publisher faster than its peer: the peer reads nothing at first, so once the links and
    /// the host's queue to it are full ``GossipSubHost/publishPaced(topic:data:)`` waits instead
    /// of dropping (an unpaced publish drops and cuts the peer as slow, see
    /// `HostLoopbackTests.slowPeerIsPenalisedAndDisconnected`). When the peer reads, every
    /// message arrives: none dropped, the peer kept.
    @Test func aPacedPublisherWaitsForASlowPeerInsteadOfDroppingIt() async throws {
        var configuration = LoopbackNet.configuration()
        configuration.maxQueuedMessageBytes = 400_000
        configuration.publishQueueHighWater = 200_000
        configuration.slowPeerDropsBeforeDisconnect = 2
        let net = try await LoopbackNet(count: 1, configuration: configuration)
        let host = net.hosts[0]
        let raw = try await RawPeer(group: net.group, seed: 92)
        let count = 120
        try await host.dial(host: "127.0.0.1", port: raw.listener.localPort)
        let connection = try #require(await raw.accepted())
        do {  // the streams must end while the event loops run
            let announcement = try await raw.subscribe(Self.topic, on: connection)
            #expect(try await eventually { await host.topicPeers(Self.topic) == [raw.identity.peerID] })
            let publisher = Task {
                for i in 0..<count {
                    try await host.publishPaced(topic: Self.topic, data: [UInt8](repeating: UInt8(i & 0xFF), count: 40_000))
                }
            }
            // 4.8 MB: beyond yamux's window and send queue and the host's 400 KB queue.
            #expect(try await eventually(.seconds(30)) { await host.currentStats().publishWaits >= 1 })
            let stream = try #require(raw.held.withLock { $0.first })
            var reader = RPCFrameReader(limits: RPCLimits())
            var received = 0
            for try await buffer in stream {
                reader.append(contentsOf: buffer.readableBytesView)
                while let (rpc, _) = try reader.next() { received += rpc.publish.count }
                if received >= count { break }
            }
            try await publisher.value
            #expect(received == count)
            let stats = await host.currentStats()
            #expect(stats.framesDropped == 0 && stats.slowPeerDisconnects == 0)
            #expect(await host.connectedPeers() == [raw.identity.peerID])
            withExtendedLifetime(announcement) {}
        }
        raw.held.withLock { $0.removeAll() }
        await connection.close()
        await raw.listener.close()
        await net.shutdown()
    }

    /// The host's transport dials the raw peer but the connection is never added to the host:
    /// the first the host learns of the peer is the peer's inbound pubsub stream. The host
    /// opens the session on that stream's connection and the stream's subscription counts.
    /// A second pubsub stream from the same peer replaces the first (one per peer): the first
    /// is reset, the second is read.
    @Test func anInboundStreamOnAnUnknownConnectionOpensTheSessionAndASecondReplacesIt() async throws {
        let net = try await LoopbackNet(count: 1)
        let host = net.hosts[0]
        let events = Recorder(host.events)
        let raw = try await RawPeer(group: net.group, seed: 91)
        let peer = raw.identity.peerID

        _ = try await host.transport.dial(host: "127.0.0.1", port: raw.listener.localPort)
        let connection = try #require(await raw.accepted())
        #expect(await host.connectedPeers().isEmpty)

        do {  // the streams must end while the event loops run
            let first = try await raw.subscribe(Self.topic, on: connection)
            #expect(await events.first(where: { if case .peerConnected(peer, _) = $0 { true } else { false } }) != nil)
            #expect(try await eventually { await host.topicPeers(Self.topic) == [peer] })
            // The host's own pubsub stream reached the raw peer on the same connection.
            #expect(raw.held.withLock { $0.map { $0.connection === connection } } == [true])

            let second = try await raw.subscribe("other", on: connection)
            #expect(try await eventually { await host.topicPeers("other") == [peer] })
            #expect(await host.currentStats().replacedInboundStreams == 1)
            // The first stream was reset by the host: reading it ends in an error.
            await #expect(throws: (any Error).self) { for try await _ in first {} }
            #expect(await host.connectedPeers() == [peer])

            withExtendedLifetime(second) {}
        }
        raw.held.withLock { $0.removeAll() }
        await connection.close()
        await raw.listener.close()
        await net.shutdown()
    }

    /// Two hosts dial each other at once: the hosts keep one connection between them (the
    /// tie-break), each side ends with one session on it, and messages cross both ways.
    @Test func simultaneousDialsLeaveOneSessionEachAndMessagesCrossBothWays() async throws {
        let net = try await LoopbackNet(count: 2)
        let (a, b) = (net.hosts[0], net.hosts[1])
        let subs = await net.hosts.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        async let fromA: Void = net.link(0, 1)
        async let fromB: Void = net.link(1, 0)
        _ = try await (fromA, fromB)
        #expect(try await eventually {
            let (meshA, meshB) = (await a.meshPeers(Self.topic), await b.meshPeers(Self.topic))
            return meshA == [b.peerID] && meshB == [a.peerID]
        })
        #expect(await a.connectedPeers() == [b.peerID])
        #expect(await b.connectedPeers() == [a.peerID])
        let kept = try #require(a.p2pHost.connection(to: b.peerID))
        #expect(b.p2pHost.connection(to: a.peerID)?.localAddress == kept.remoteAddress)
        let idA = try await a.publish(topic: Self.topic, data: [1, 2, 3])
        let idB = try await b.publish(topic: Self.topic, data: [4, 5, 6])
        #expect(await subs[1].wait(count: 1).map(\.message.id) == [idA])
        #expect(await subs[0].wait(count: 1).map(\.message.id) == [idB])
        await net.shutdown()
    }
}
