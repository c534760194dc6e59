import Testing
@testable import GossipSub

/// The PREAMBLE / IMRECEIVING extension in the router: announcements only between peers that
/// both advertised it, IMRECEIVING to the other mesh peers once, no IWANT for a body on its way,
/// no copies to a peer that is receiving one, and the fallbacks when a body does not come.
@Suite struct PreambleTests {
    static let data = bytes(20_000)
    static let raw = RawMessage(data: data, topic: topic)
    static let id = contentID.id(of: raw)

    /// A router with `count` v1.3 peers that advertised the extension (and `plain` more that did
    /// not), all subscribed to `topic`, the router's mesh built.
    static func router(peers count: Int = 8, plain: Int = 0, advertise: Bool = true,
                       scoring: any PeerScoreProvider<TestPeer> = NoPeerScore<TestPeer>(),
                       _ edit: (inout GossipSubConfig.Parameters) -> Void = { _ in }) throws -> Router {
        try makeExtensionRouter(peers: count, plain: plain, extensions: ControlExtensions(preamble: true),
                                advertised: ControlExtensions(preamble: advertise), scoring: scoring, edit)
    }

    static func preamble(_ length: Int = data.count, id: MessageID = id) -> RPC {
        RPC(preambleExtension: PreambleExtension(preambles: [Preamble(topic: topic, messageID: id, messageLength: UInt32(length))]))
    }

    @Test func aLargeMessageIsAnnouncedOnlyToPeersThatUseTheExtension() throws {
        let router = try Self.router(peers: 2, plain: 1)
        let announce = try #require(router.preamble(for: Self.raw, id: Self.id, to: TestPeer(1)))
        #expect(announce.preambleExtension?.preambles == [Preamble(topic: topic, messageID: Self.id, messageLength: 20_000)])
        #expect(announce.publish.isEmpty && announce.control == nil)
        #expect(router.preamble(for: Self.raw, id: Self.id, to: TestPeer(3)) == nil, "it advertised nothing")
        let small = RawMessage(data: bytes(1000), topic: topic)
        #expect(router.preamble(for: small, id: contentID.id(of: small), to: TestPeer(1)) == nil)
        #expect(try Self.router(advertise: false).preamble(for: Self.raw, id: Self.id, to: TestPeer(1)) == nil)
        var older = try Self.router(peers: 0)
        _ = older.peerConnected(TestPeer(9), protocol: .meshsub12, outbound: true, now: .zero)
        #expect(older.preamble(for: Self.raw, id: Self.id, to: TestPeer(9)) == nil)
    }

    @Test func aPreambleFromAMeshPeerBringsIMReceivingToTheOtherMeshPeersOnce() throws {
        var router = try Self.router(peers: 8, plain: 2)
        let mesh = router.meshPeers(topic)
        let announcer = mesh[0]
        let out = router.rpcReceived(Self.preamble(), from: announcer, now: .zero)
        let told = out.sends.filter { $0.1.preambleExtension?.imReceiving == [IMReceiving(messageID: Self.id, messageLength: 20_000)] }.map(\.0)
        #expect(told == mesh.filter { $0 != announcer && router.usesPreamble(with: $0) })
        #expect(!told.isEmpty)
        #expect(router.announcedBodiesAwaited == 1)
        // A second announcer of the same body changes nothing.
        #expect(router.rpcReceived(Self.preamble(), from: mesh[1], now: .zero).isEmpty)
        #expect(router.announcedBodiesAwaited == 1)
    }

    @Test func preamblesFromOutsideTheMeshOrForKnownMessagesAreIgnored() throws {
        var router = try Self.router(peers: 14)
        let outsider = try #require(router.connectedPeers.first { !router.meshPeers(topic).contains($0) })
        #expect(router.rpcReceived(Self.preamble(), from: outsider, now: .zero).isEmpty)
        let source = router.meshPeers(topic)[0]
        _ = router.rpcReceived(RPC(publish: [Self.raw]), from: source, now: .zero)
        #expect(router.rpcReceived(Self.preamble(), from: router.meshPeers(topic)[1], now: .zero).isEmpty)
        #expect(router.announcedBodiesAwaited == 0)
    }

    /// While the body is on its way nobody is asked for it; once it is overdue, gossip may bring it.
    @Test func noIWantForAnAnnouncedBodyUntilItIsOverdue() throws {
        var router = try Self.router(peers: 14)
        let announcer = router.meshPeers(topic)[0]
        let gossiper = try #require(router.connectedPeers.first { !router.meshPeers(topic).contains($0) })
        _ = router.rpcReceived(Self.preamble(), from: announcer, now: .zero)
        let ihave = RPC(control: ControlMessage(ihave: [ControlIHave(topic: topic, messageIDs: [Self.id])]))
        #expect(router.rpcReceived(ihave, from: gossiper, now: .milliseconds(100)).iwants.isEmpty)
        // 20,000 bytes at 2.5 MB/s plus 250 ms: overdue after 258 ms; the next heartbeat forgets it.
        _ = router.heartbeat(now: .seconds(1))
        #expect(router.announcedBodiesAwaited == 0)
        #expect(router.rpcReceived(ihave, from: gossiper, now: .seconds(1)).iwants.map(\.1) == [[Self.id]])
    }

    @Test func theBodyEndsTheWait() throws {
        var router = try Self.router()
        let announcer = router.meshPeers(topic)[0]
        _ = router.rpcReceived(Self.preamble(), from: announcer, now: .zero)
        let out = router.rpcReceived(RPC(publish: [Self.raw]), from: announcer, now: .milliseconds(20))
        #expect(out.deliveries.map(\.0.id) == [Self.id])
        #expect(router.announcedBodiesAwaited == 0)
        #expect(out.sends.allSatisfy { $0.1.preambleExtension == nil })
    }

    /// A peer that said IMRECEIVING gets no forward; if it never confirms with IDONTWANT, the
    /// heartbeat after ``PreambleParameters/sendAnywayAfter`` sends the message after all.
    @Test func aPeerThatIsReceivingGetsTheMessageOnlyIfItNeverConfirms() throws {
        for confirms in [false, true] {
            var router = try Self.router()
            let mesh = router.meshPeers(topic)
            let (source, receiving) = (mesh[0], mesh[1])
            let notice = RPC(preambleExtension: PreambleExtension(imReceiving: [IMReceiving(messageID: Self.id, messageLength: 20_000)]))
            #expect(router.rpcReceived(notice, from: receiving, now: .zero).isEmpty)
            #expect(router.peerIsReceiving(receiving, id: Self.id))
            _ = router.rpcReceived(RPC(publish: [Self.raw]), from: source, now: .zero)
            let forwarded = router.validationResult(Self.id, .accept, now: .milliseconds(30))
            #expect(Set(forwarded.messagesSent.map(\.0)) == Set(mesh).subtracting([source, receiving]))
            if confirms {
                let idontwant = RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [Self.id])]))
                _ = router.rpcReceived(idontwant, from: receiving, now: .milliseconds(200))
            }
            #expect(router.heartbeat(now: .milliseconds(900)).messagesSent.isEmpty, "not before sendAnywayAfter")
            let later = router.heartbeat(now: .milliseconds(1900))
            #expect(later.messagesSent.map(\.0) == (confirms ? [] : [receiving]))
            #expect(!router.peerIsReceiving(receiving, id: Self.id))
        }
    }

    @Test func eachAnnouncerHasABudget() throws {
        var router = try Self.router { $0.preamble.maxOngoingPerPeer = 2 }
        let announcer = router.meshPeers(topic)[0]
        var told = 0
        for n in 0..<3 {
            let other = RawMessage(data: bytes(20_000, seed: UInt8(n + 1)), topic: topic)
            told += router.rpcReceived(Self.preamble(id: contentID.id(of: other)), from: announcer, now: .zero).sends.count
        }
        #expect(router.announcedBodiesAwaited == 2)
        #expect(told == 2 * (router.meshPeers(topic).count - 1))
    }

    @Test func aLateBodyIsPenalisedOnlyWhenConfigured() throws {
        for penalise in [false, true] {
            var router = try Self.router(scoring: RecordingScore()) { $0.preamble.penaliseLateBodies = penalise }
            let announcer = router.meshPeers(topic)[0]
            _ = router.rpcReceived(Self.preamble(), from: announcer, now: .zero)
            let beat = router.heartbeat(now: .seconds(1))
            #expect(beat.penalties.map(\.0) == (penalise ? [announcer] : []))
            #expect(beat.penalties.allSatisfy { $0.1 == .brokenPromise })
        }
    }

    /// Peers without the extension see exactly what they saw before: a network of v1.3 peers
    /// that advertise nothing gets the same actions from a router with the extension on and off.
    @Test func peersWithoutTheExtensionSeeNoDifference() throws {
        func run(_ advertise: Bool) throws -> [Action] {
            var router = try Self.router(peers: 0, plain: 10, advertise: advertise)
            var all: [Action] = []
            all += router.rpcReceived(RPC(publish: [Self.raw]), from: router.meshPeers(topic)[0], now: .zero)
            all += router.validationResult(Self.id, .accept, now: .milliseconds(30))
            all += try router.publish(topic: topic, data: bytes(30_000, seed: 9), now: .milliseconds(40)).actions
            all += router.heartbeat(now: .seconds(1))
            return all
        }
        #expect(try run(true) == run(false))
    }
}

/// The extension's wire form (nim-libp2p's field numbers) and its limits.
@Suite struct PreambleCodecTests {
    @Test func theAdvertisementHasItsGoldenBytes() throws {
        let rpc = RPC(control: ControlMessage(extensions: ControlExtensions(preamble: true)))
        // RPC.control (3) { extensions (6) { preambleExtension (4194304, varint) = true } }
        let golden: [UInt8] = [0x1A, 0x07, 0x32, 0x05, 0x80, 0x80, 0x80, 0x10, 0x01]
        #expect(rpc.encoded() == golden)
        #expect(try RPC.decode(golden) == rpc)
    }

    @Test func preamblesAndIMReceivingRoundTrip() throws {
        let id = MessageID(bytes(20))
        let rpc = RPC(publish: [RawMessage(data: bytes(100), topic: topic)], preambleExtension: PreambleExtension(
            preambles: [Preamble(topic: topic, messageID: id, messageLength: 40_000)],
            imReceiving: [IMReceiving(messageID: id, messageLength: 40_000), IMReceiving(messageID: MessageID([1]), messageLength: 0)]))
        #expect(try RPC.decode(rpc.encoded()) == rpc)
        // Two occurrences of the field merge, as protobuf says.
        let parts = RPC(preambleExtension: PreambleExtension(imReceiving: [IMReceiving(messageID: id, messageLength: 1)])).encoded()
            + RPC(preambleExtension: PreambleExtension(preambles: [Preamble(topic: topic, messageID: id, messageLength: 2)])).encoded()
        let merged = try RPC.decode(parts)
        #expect(merged.preambleExtension?.imReceiving.count == 1 && merged.preambleExtension?.preambles.count == 1)
    }

    @Test func entriesCountAgainstTheControlLimits() throws {
        var limits = RPCLimits()
        limits.maxControlEntriesPerRPC = 3
        let entries = (0..<4).map { IMReceiving(messageID: MessageID([UInt8($0)]), messageLength: 1) }
        let rpc = RPC(preambleExtension: PreambleExtension(imReceiving: entries))
        #expect(throws: RPCDecodingError.tooManyControlEntries(limit: 3)) { try RPC.decode(rpc.encoded(), limits: limits) }
        // The outbox splits what it sends to fit the same limits.
        let parts = Outbox<TestPeer>.split(rpc, limits: limits)
        #expect(parts.count == 2)
        #expect(try parts.allSatisfy { try RPC.decode($0.encoded(), limits: limits) == $0 })
        #expect(parts.flatMap { $0.preambleExtension?.imReceiving ?? [] } == entries)
    }

    @Test func anIMReceivingWaitsWithTheControlFrames() {
        let rpc = RPC(preambleExtension: PreambleExtension(imReceiving: [IMReceiving(messageID: MessageID([1]), messageLength: 1)]))
        let places = OutboundQueuePolicy().placements(of: rpc, lane: .reply, now: .zero)
        #expect(places == [OutboundPlacement(rpc: rpc, lane: .control)])
    }
}
