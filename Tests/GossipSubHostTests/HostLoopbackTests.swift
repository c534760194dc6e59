import Crypto
import GossipSub
import GossipSubHost
import LibP2P
import LibP2PCore
import Synchronization
import NIOCore
import Noise
import Testing
import TestSupport

/// Hosts over real TCP + Noise + a muxer on the loopback interface.
@Suite(.timeLimit(.minutes(2)), .serialized) struct HostLoopbackTests {
    static let topic = "/aztec/tx/test"

    static func payload(_ seed: Int, size: Int = 40_000) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 7 &+ $0 >> 9) }
    }

    @Test(arguments: [MuxerProtocol.yamux, .mplex])
    func messagesCrossALine(muxer: MuxerProtocol) async throws {
        let net = try await LoopbackNet(count: 3, muxers: [muxer])
        let subs = await net.hosts.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        try await net.link(0, 1)
        try await net.link(1, 2)
        #expect(try await net.waitForMesh(Self.topic, minimum: 1))
        #expect(try await net.waitForMesh(Self.topic, minimum: 2, indices: [1]))

        let fromA = try await net.hosts[0].publish(topic: Self.topic, data: Self.payload(1))
        let fromC = try await net.hosts[2].publish(topic: Self.topic, data: Self.payload(2))
        let atA = await subs[0].wait(count: 1, timeout: .seconds(10))
        let atB = await subs[1].wait(count: 2, timeout: .seconds(10))
        let atC = await subs[2].wait(count: 1, timeout: .seconds(10))
        #expect(atA.map(\.message.id) == [fromC])
        #expect(Set(atB.map(\.message.id)) == [fromA, fromC])
        #expect(atC.map(\.message.id) == [fromA])
        #expect(atC.first.map { $0.message.data == Self.payload(1) } == true)
        #expect(atB.allSatisfy { $0.message.topic == Self.topic })
        let stats = await net.hosts[1].currentStats()
        #expect(stats.delivered == 2)
        #expect(stats.bytesOut >= 80_000)
        await net.shutdown()
    }

    /// A batch of five 40 KB messages published at once reaches every peer of a star, each
    /// message exactly once per peer.
    @Test func aBatchReachesEveryPeer() async throws {
        let net = try await LoopbackNet(count: 4)
        let subs = await net.hosts.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        for b in 1..<4 { try await net.link(0, b) }
        #expect(try await eventually { await net.hosts[0].topicPeers(Self.topic).count == 3 })
        let ids = try await net.hosts[0].publishBatch(topic: Self.topic, data: (0..<5).map { Self.payload(40 + $0) })
        #expect(ids.count == 5)
        for (i, sub) in subs.enumerated().dropFirst() {
            let got = await sub.wait(count: 5, timeout: .seconds(10)).map(\.message.id)
            #expect(Set(got) == Set(ids) && got.count == 5, "node \(i)")
        }
        #expect(await net.hosts[0].currentStats().published == 5)
        await net.shutdown()
    }

    @Test func idontwantFlowsBetweenMeshPeers() async throws {
        // A full mesh of four needs D_low = 3: with the default 2 here, a node that grafted two
        // peers before the third one's subscription reached it stops grafting, and under load
        // the mesh can settle with that link outside it on both sides.
        var parameters = LoopbackNet.parameters()
        parameters.dLow = 3
        let net = try await LoopbackNet(count: 4, parameters: parameters)
        let subs = await net.hosts.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        for a in 0..<4 { for b in (a + 1)..<4 { try await net.link(a, b) } }
        #expect(try await net.waitForMesh(Self.topic, minimum: 3))
        for i in 0..<4 { try await net.hosts[i].publish(topic: Self.topic, data: Self.payload(10 + i)) }
        for (i, sub) in subs.enumerated() {
            let got = await sub.wait(count: 3, timeout: .seconds(10))
            #expect(got.count == 3, "node \(i) got \(got.count)")
        }
        // Every message has arrived, but IDONTWANTs sent for them may still be in flight: read
        // the counters until both sides show some (at most 5 s).
        var sent = 0, received = 0
        let deadline = ContinuousClock.now + .seconds(5)
        repeat {
            (sent, received) = (0, 0)
            for host in net.hosts {
                let s = await host.currentStats()
                sent += s.idontwantSent
                received += s.idontwantReceived
            }
            if sent > 0, received > 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        #expect(sent > 0)
        #expect(received > 0)
        await net.shutdown()
    }

    /// Hosts that all advertise PREAMBLE / IMRECEIVING (v1.3): each large message is announced
    /// ahead of its body on its own write, the announcements bring IMRECEIVING, and every message
    /// still arrives once.
    @Test func preamblesTravelAheadOfTheirBodies() async throws {
        var parameters = LoopbackNet.parameters()
        parameters.dLow = 3
        parameters.extensions.preamble = true
        let net = try await LoopbackNet(count: 4, parameters: parameters)
        let subs = await net.hosts.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        for a in 0..<4 { for b in (a + 1)..<4 { try await net.link(a, b) } }
        #expect(try await net.waitForMesh(Self.topic, minimum: 3))
        for i in 0..<4 { try await net.hosts[i].publish(topic: Self.topic, data: Self.payload(20 + i)) }
        for (i, sub) in subs.enumerated() {
            let got = await sub.wait(count: 3, timeout: .seconds(10))
            #expect(Set(got.map(\.message.id)).count == 3, "node \(i) got \(got.count)")
        }
        // Each publication is announced to the three peers it goes to when it is queued.
        var announced = 0
        for host in net.hosts { announced += await host.currentStats().preamblesSent }
        #expect(announced >= 12)
        // A receiver tells its other mesh peers once an announcement reaches it: wait for one (5 s at most).
        var told = 0
        let deadline = ContinuousClock.now + .seconds(5)
        repeat {
            told = 0
            for host in net.hosts { told += await host.currentStats().imReceivingSent }
            if told > 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        #expect(told > 0)
        for host in net.hosts { #expect(await host.currentStats().delivered == 3) }
        await net.shutdown()
    }

    /// Lazy mesh push with every forward announced (dAnnounce = D): in a line the middle host
    /// sends the far end only ids, the far end asks (INEED), and messages still cross both ways.
    @Test func announcedForwardsAreFetchedAcrossALine() async throws {
        var parameters = LoopbackNet.parameters()
        parameters.extensions.announce = true
        parameters.announce.dAnnounce = parameters.d
        let net = try await LoopbackNet(count: 3, parameters: parameters)
        let subs = await net.hosts.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        try await net.link(0, 1)
        try await net.link(1, 2)
        #expect(try await net.waitForMesh(Self.topic, minimum: 1))
        #expect(try await net.waitForMesh(Self.topic, minimum: 2, indices: [1]))
        let fromA = try await net.hosts[0].publish(topic: Self.topic, data: Self.payload(31))
        let fromC = try await net.hosts[2].publish(topic: Self.topic, data: Self.payload(32))
        #expect(await subs[2].wait(count: 1, timeout: .seconds(10)).map(\.message.id) == [fromA])
        #expect(await subs[0].wait(count: 1, timeout: .seconds(10)).map(\.message.id) == [fromC])
        #expect(Set(await subs[1].wait(count: 2, timeout: .seconds(10)).map(\.message.id)) == [fromA, fromC])
        await net.shutdown()
    }

    /// With ids to the nearest peers, each host pings a new peer and tells its router the
    /// round trip; messages still cross.
    @Test func roundTripsAreMeasuredForLazyPushToTheNearest() async throws {
        var parameters = LoopbackNet.parameters()
        parameters.extensions.announce = true
        parameters.announce.choice = .nearest
        parameters.announce.dAnnounce = 2
        let net = try await LoopbackNet(count: 2, parameters: parameters)
        let events = net.hosts.map { Recorder($0.events) }
        let subs = await net.hosts.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        try await net.link(0, 1)
        for (i, other) in [(0, 1), (1, 0)] {
            let measured = await events[i].first { event in
                if case .roundTripMeasured(let peer, let rtt) = event { peer == net.hosts[other].peerID && rtt > .zero } else { false }
            }
            #expect(measured != nil, "host \(i) measured no round trip")
            #expect(await net.hosts[i].roundTrip(to: net.hosts[other].peerID) != nil)
        }
        #expect(try await net.waitForMesh(Self.topic, minimum: 1))
        let id = try await net.hosts[0].publish(topic: Self.topic, data: Self.payload(33))
        #expect(await subs[1].wait(count: 1).map(\.message.id) == [id])
        await net.shutdown()
    }

    @Test func rejectedMessagesAreNotForwarded() async throws {
        let net = try await LoopbackNet(count: 3)
        let subs = await net.hosts.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        await net.hosts[1].setValidator(topic: Self.topic) { message, _ in
            message.data.first == 0xFF ? .reject : .accept
        }
        try await net.link(0, 1)
        try await net.link(1, 2)
        // The middle node needs both ends in its mesh, or the good message reaches C only by
        // gossip, a heartbeat or more later.
        try #require(try await net.waitForMesh(Self.topic, minimum: 1))
        try #require(try await net.waitForMesh(Self.topic, minimum: 2, indices: [1]))
        let events = Recorder(net.hosts[1].events)
        var bad = Self.payload(3)
        bad[0] = 0xFF
        var good = Self.payload(4)
        good[0] = 0
        try await net.hosts[0].publish(topic: Self.topic, data: bad)
        let goodID = try await net.hosts[0].publish(topic: Self.topic, data: good)
        let source = net.hosts[0].peerID
        let penalty = await events.first(where: { $0 == .penalised(source, reason: .invalidMessage) })
        #expect(penalty != nil)
        // B has rejected the bad message (the penalty above), so it was never forwarded: once the
        // good one is at C, nothing else can follow it.
        #expect(await subs[2].wait(count: 1).map(\.message.id) == [goodID])
        #expect(await subs[1].wait(count: 1).map(\.message.id) == [goodID])
        #expect(await subs[2].wait(count: 2, timeout: .milliseconds(300)).map(\.message.id) == [goodID])
        await net.shutdown()
    }

    @Test func fullValidationQueueDropsButOwnPublishesPass() async throws {
        var configuration = LoopbackNet.configuration()
        configuration.validationQueueLength = 1
        let net = try await LoopbackNet(count: 2, configuration: configuration)
        let subs = await net.hosts.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        let gate = Box(false)
        await net.hosts[1].setValidator(topic: Self.topic) { _, _ in
            while !gate.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(10)) }
            return .accept
        }
        try await net.link(0, 1)
        #expect(try await net.waitForMesh(Self.topic, minimum: 1))
        for i in 0..<5 { try await net.hosts[0].publish(topic: Self.topic, data: Self.payload(20 + i, size: 2000)) }
        let deadline = ContinuousClock.now + .seconds(5)
        while await net.hosts[1].currentStats().validationDropped < 4, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await net.hosts[1].currentStats().validationDropped == 4)
        // The node's own publish is not subject to the full queue.
        let own = try await net.hosts[1].publish(topic: Self.topic, data: Self.payload(30, size: 2000))
        let atA = await subs[0].wait(count: 1, timeout: .seconds(5))
        #expect(atA.map(\.message.id) == [own])
        gate.withLock { $0 = true }
        let atB = await subs[1].wait(count: 1, timeout: .seconds(5))
        #expect(atB.count == 1)
        await net.shutdown()
    }

    /// A peer that subscribes but never reads its inbound pubsub stream: once yamux's window
    /// is full the host's queue for it fills, frames are dropped and penalised, and the next
    /// heartbeat disconnects it.
    @Test func slowPeerIsPenalisedAndDisconnected() async throws {
        var configuration = LoopbackNet.configuration()
        configuration.maxQueuedMessageBytes = 100_000
        configuration.slowPeerDropsBeforeDisconnect = 2
        let net = try await LoopbackNet(count: 1, configuration: configuration)
        let subs = await net.hosts.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        defer { withExtendedLifetime(subs) {} }
        let events = Recorder(net.hosts[0].events)

        // The stalled peer: holds the host's stream unread, announces its subscription.
        let held = Box<[P2PStream]>([])
        var rng = SeededRandom(state: 77)
        let identity = HostIdentity.ed25519(using: &rng)
        let transport = try TCPTransport(
            group: net.group,
            upgrade: ConnectionUpgradeConfiguration(noise: try identity.noiseConfiguration(using: &rng), muxers: [.yamux]),
            handlers: [GossipProtocol.meshsub12.protocolID: { stream in held.withLock { $0.append(stream) } }])
        let connection = try await transport.dial(host: "127.0.0.1", port: net.ports[0])
        do {  // the stream's end must come while the event loops run
            let out = try await connection.openStream(protocol: GossipProtocol.meshsub12.protocolID)
            try await out.write(ByteBuffer(bytes: RPC(subscriptions: [SubOpts(subscribe: true, topic: Self.topic)]).framed()))
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while await net.hosts[0].topicPeers(Self.topic).isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }

        // 4.8 MB: beyond the 256 KiB window, yamux's 1 MiB send queue, one write batch and
        // the host's 100 KB queue.
        for i in 0..<120 { try await net.hosts[0].publish(topic: Self.topic, data: Self.payload(100 + i)) }
        // At least the drops that disconnect it (on a loaded machine a heartbeat may fall
        // inside the publishing loop and disconnect it after exactly that many).
        #expect(await net.hosts[0].currentStats().framesDropped >= configuration.slowPeerDropsBeforeDisconnect)
        let peer = identity.peerID
        #expect(await events.first(where: { if case .slowPeer(peer, _) = $0 { true } else { false } }) != nil)
        #expect(await events.first(where: { $0 == .peerDisconnected(peer) }, timeout: .seconds(5)) != nil)
        #expect(await net.hosts[0].currentStats().slowPeerDisconnects == 1)
        // Streams end by hopping onto their event loop: let them go while the loops run.
        held.withLock { $0.removeAll() }
        await connection.close()
        await net.shutdown()
    }

    @Test func strictSignWithPeerSeqnoIDs() async throws {
        var p = LoopbackNet.parameters()
        p.messageIDFunction = .fromAndSeqno
        // Replaced per node by its own identity's policy.
        var rng = SeededRandom(state: 99)
        p.signaturePolicy = HostIdentity.ed25519(using: &rng).strictSignPolicy
        let net = try await LoopbackNet(count: 3, parameters: p)
        let subs = await net.hosts.asyncMap { Recorder(await $0.subscribe(Self.topic)) }
        try await net.link(0, 1)
        try await net.link(1, 2)
        #expect(try await net.waitForMesh(Self.topic, minimum: 1))
        #expect(try await net.waitForMesh(Self.topic, minimum: 2, indices: [1]))
        let data = Self.payload(5)
        try await net.hosts[0].publish(topic: Self.topic, data: data)
        try await net.hosts[0].publish(topic: Self.topic, data: data)  // new seqno: a new message
        let atC = await subs[2].wait(count: 2, timeout: .seconds(10))
        #expect(atC.count == 2)
        #expect(atC.allSatisfy { $0.message.raw.from == net.hosts[0].peerID.multihashBytes && $0.message.raw.signature != nil })
        #expect(await subs[1].wait(count: 2, timeout: .seconds(5)).count == 2)
        await net.shutdown()
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
