import Testing
@testable import GossipSub

@Suite struct MeshTests {
    @Test func subscribeGraftsDPeersAndAnnounces() throws {
        var router = try makeRouter(peers: 20, subscribe: false)
        let actions = router.subscribe(topic, now: .zero)
        #expect(router.meshPeers(topic).count == 6)
        #expect(Set(actions.grafts.map(\.0)) == Set(router.meshPeers(topic)))
        // Every peer hears the subscription.
        let announced = actions.sends.filter { $0.1.subscriptions == [SubOpts(subscribe: true, topic: topic)] }
        #expect(announced.count == 20)
        let again = router.subscribe(topic, now: .zero)
        #expect(again.isEmpty)
    }

    @Test func newPeerLearnsOurSubscriptions() throws {
        var router = try makeRouter(peers: 1)
        let actions = router.peerConnected(TestPeer(99), protocol: .meshsub11, outbound: true, now: .zero)
        #expect(actions.rpcs(to: TestPeer(99)).first?.subscriptions == [SubOpts(subscribe: true, topic: topic)])
    }

    @Test func heartbeatFillsUndersubscribedMesh() throws {
        var router = try makeRouter(peers: 2)
        #expect(router.meshPeers(topic).count == 2)
        for i in 3...10 {
            _ = router.peerConnected(TestPeer(UInt32(i)), protocol: .meshsub11, outbound: false, now: .zero)
            _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: TestPeer(UInt32(i)), now: .zero)
        }
        let actions = router.heartbeat(now: .seconds(1))
        #expect(router.meshPeers(topic).count == 6)
        #expect(actions.grafts.count == 4)
        #expect(router.meshChanges.graftsForShortMesh == 6, "2 on subscribing, 4 at the heartbeat")
    }

    @Test func meshBetweenDLowAndDHighIsLeftAlone() throws {
        var router = try makeRouter(peers: 20)
        // Graft 4 more from the remote side: mesh 10, within [4, 12].
        for i in 7...20 where router.meshPeers(topic).count < 10 {
            _ = router.rpcReceived(RPC(control: ControlMessage(graft: [ControlGraft(topic: topic)])), from: TestPeer(UInt32(i)), now: .zero)
        }
        let before = router.meshPeers(topic)
        #expect(before.count == 10)
        let actions = router.heartbeat(now: .seconds(1))
        #expect(router.meshPeers(topic) == before)
        #expect(actions.grafts.isEmpty && actions.prunes.isEmpty)
    }

    @Test(arguments: UInt64(1)...20)
    func oversubscribedMeshIsPrunedToDKeepingOutboundQuota(seed: UInt64) throws {
        var router = Router(config: try makeConfig(), seed: seed)
        _ = router.subscribe(topic, now: .zero)
        for i in 1...20 {
            let peer = TestPeer(UInt32(i))
            _ = router.peerConnected(peer, protocol: .meshsub11, outbound: (13...16).contains(i), now: .zero)
            _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)],
                                       control: ControlMessage(graft: [ControlGraft(topic: topic)])), from: peer, now: .zero)
        }
        // Outbound peers are always accepted; inbound only below dHigh.
        #expect(router.meshPeers(topic).count == 16)
        let actions = router.heartbeat(now: .seconds(1))
        let mesh = router.meshPeers(topic)
        #expect(mesh.count == 6)
        // 4 of 16 are outbound: a plain random 6 would often hold fewer than dOut = 2.
        #expect(mesh.filter { (13...16).contains($0.n) }.count >= 2)
        #expect(actions.prunes.count == 10)
        let counted = router.meshChanges
        #expect(counted.graftsAccepted == 16 && counted.graftsRefused == 4 && counted.prunedOverfull == 10)
        #expect(counted.since(counted) == MeshChangeCounts() && (counted + counted).prunedOverfull == 20)
        // Pruned v1.1 peers get a backoff and peer exchange.
        for (peer, prune) in actions.prunes {
            #expect(prune.backoffSeconds == 60)
            #expect(!prune.peers.isEmpty)
            #expect(!prune.peers.contains(PeerInfo(peerID: peer.wireBytes)))
            #expect(router.isBackedOff(peer, topic: topic, now: .seconds(2)))
        }
    }

    /// A router with D 6 (4–8) whose 14 inbound peers each send GRAFT; returns it and the peers
    /// it refused.
    func graftedByFourteenInboundPeers(inboundGraftLimit: Int?) throws -> (Router, refused: [TestPeer]) {
        var router = Router(config: try makeConfig { $0.d = 6; $0.dLow = 4; $0.dHigh = 8; $0.inboundGraftLimit = inboundGraftLimit }, seed: 1)
        _ = router.subscribe(topic, now: .zero)
        var refused: [TestPeer] = []
        for i in 1...14 {
            let peer = TestPeer(UInt32(i))
            _ = router.peerConnected(peer, protocol: .meshsub11, outbound: false, now: .zero)
            let actions = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)],
                                                 control: ControlMessage(graft: [ControlGraft(topic: topic)])), from: peer, now: .zero)
            refused += actions.prunes.map(\.0)
        }
        return (router, refused)
    }

    @Test func anInboundGraftLimitAboveDHighAdmitsNewcomersAndTheHeartbeatPrunesToD() throws {
        var (router, refused) = try graftedByFourteenInboundPeers(inboundGraftLimit: 12)
        // Inbound GRAFTs are taken up to the limit, past dHigh; the two beyond it are refused.
        #expect(router.meshPeers(topic).count == 12)
        #expect(refused == [TestPeer(13), TestPeer(14)])
        _ = router.heartbeat(now: .seconds(1))
        #expect(router.meshPeers(topic).count == 6)

        // Without the limit, dHigh is where inbound GRAFTs stop, as in the reference routers.
        (router, _) = try graftedByFourteenInboundPeers(inboundGraftLimit: nil)
        #expect(router.meshPeers(topic).count == 8)
        #expect(throws: GossipSubConfigError.self) { try makeConfig { $0.dHigh = 8; $0.inboundGraftLimit = 7 } }
    }

    /// A mesh of D_high (6) whose peers have been in it a while takes one more GRAFT (inbound ones
    /// are taken up to 12, as an Aztec node does): the
    /// heartbeat prunes back to D (5). With `keepsFreshGrafts` the newcomer, which grafted because
    /// its own mesh was short, stays and two established peers go; without it the newcomer is one
    /// of the random rest and is pruned in some seeds.
    @Test func anOverfullMeshKeepsTheFreshGraftWhenAsked() throws {
        func prunedNewcomer(keeps: Bool, seed: UInt64) throws -> Bool {
            var router = Router(config: try makeConfig { $0.d = 5; $0.dLow = 4; $0.dHigh = 6; $0.dScore = 2; $0.inboundGraftLimit = 12; $0.keepsFreshGrafts = keeps }, seed: seed)
            _ = router.subscribe(topic, now: .zero)
            for i in 1...7 {
                _ = router.peerConnected(TestPeer(UInt32(i)), protocol: .meshsub11, outbound: false, now: .zero)
                _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: TestPeer(UInt32(i)), now: .zero)
            }
            for i in 1...6 {
                _ = router.rpcReceived(RPC(control: ControlMessage(graft: [ControlGraft(topic: topic)])), from: TestPeer(UInt32(i)), now: .zero)
            }
            _ = router.heartbeat(now: .seconds(1))
            #expect(router.meshPeers(topic).count == 6, "at D_high nothing is pruned")
            _ = router.rpcReceived(RPC(control: ControlMessage(graft: [ControlGraft(topic: topic)])), from: TestPeer(7), now: .seconds(1.5))
            let actions = router.heartbeat(now: .seconds(2))
            #expect(router.meshPeers(topic).count == 5 && actions.prunes.count == 2)
            #expect(router.freshGrafts.isEmpty, "each heartbeat forgets the grafts it has seen")
            return !router.meshPeers(topic).contains(TestPeer(7))
        }
        let seeds = UInt64(1)...20
        #expect(try seeds.allSatisfy { try !prunedNewcomer(keeps: true, seed: $0) }, "kept in every seed")
        #expect(try seeds.filter { try prunedNewcomer(keeps: false, seed: $0) }.count >= 2, "random: pruned in some seeds (2 in 7 on average)")
    }

    @Test func outboundQuotaGraftsOutboundPeers() throws {
        var router = try makeRouter(peers: 8)   // all inbound, mesh 6
        for i in 9...12 {
            _ = router.peerConnected(TestPeer(UInt32(i)), protocol: .meshsub11, outbound: true, now: .zero)
            _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: TestPeer(UInt32(i)), now: .zero)
        }
        let actions = router.heartbeat(now: .seconds(1))
        #expect(actions.grafts.count == 2)
        #expect(router.meshChanges.graftsForOutboundQuota == 2)
        #expect(actions.grafts.allSatisfy { $0.0.n >= 9 })
        #expect(router.meshPeers(topic).count == 8)
    }

    @Test func negativeScorePeersAreRemovedWithoutPX() throws {
        var scores = FixedScores()
        var router = try makeRouter(peers: 10, scoring: scores)
        let victim = router.meshPeers(topic)[0]
        scores.scores[victim] = -1
        router.scoring = scores
        let actions = router.heartbeat(now: .seconds(1))
        #expect(!router.meshPeers(topic).contains(victim))
        #expect(router.meshChanges.prunedNegativeScore == 1)
        let prune = try #require(actions.prunes.first { $0.0 == victim }?.1)
        #expect(prune.peers.isEmpty)
        #expect(router.meshPeers(topic).count >= 4)
    }

    @Test func directPeersAreNeverInTheMesh() throws {
        var router = Router(config: try makeConfig(), seed: 1)
        for i in 1...3 {
            _ = router.peerConnected(TestPeer(UInt32(i)), protocol: .meshsub11, outbound: false, direct: true, now: .zero)
            _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: TestPeer(UInt32(i)), now: .zero)
        }
        _ = router.subscribe(topic, now: .zero)
        _ = router.heartbeat(now: .seconds(1))
        #expect(router.meshPeers(topic).isEmpty)
        // A GRAFT from a direct peer is answered with PRUNE.
        let actions = router.rpcReceived(RPC(control: ControlMessage(graft: [ControlGraft(topic: topic)])), from: TestPeer(1), now: .seconds(1))
        #expect(actions.prunes.map(\.0) == [TestPeer(1)])
        #expect(router.meshPeers(topic).isEmpty)
    }

    @Test func disconnectRemovesPeerEverywhere() throws {
        var router = try makeRouter(peers: 6)
        let gone = router.meshPeers(topic)[0]
        let actions = router.peerDisconnected(gone, now: .zero)
        #expect(actions.events.contains(.pruned(gone, topic: topic)))
        #expect(!router.meshPeers(topic).contains(gone))
        #expect(!router.subscribers(topic).contains(gone))
        let afterDisconnect = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: "x")]), from: gone, now: .zero)
        #expect(afterDisconnect.isEmpty)
    }

    @Test func remoteUnsubscribeLeavesMesh() throws {
        var router = try makeRouter(peers: 6)
        let peer = router.meshPeers(topic)[0]
        let actions = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: false, topic: topic)]), from: peer, now: .zero)
        #expect(actions.events == [.pruned(peer, topic: topic), .peerUnsubscribed(peer, topic: topic)])
        #expect(!router.meshPeers(topic).contains(peer))
    }

    /// Only each topic's last entry in an RPC counts: the final state, with one event per change.
    @Test func aTopicToggledWithinOneRPCChangesOnce() throws {
        var router = try makeRouter(peers: 6)
        let peer = router.meshPeers(topic)[0]
        var subs = (0..<1_000).map { SubOpts(subscribe: $0 % 2 == 1, topic: topic) }
        subs.append(SubOpts(subscribe: true, topic: "other"))
        subs.append(SubOpts(subscribe: false, topic: topic))
        let actions = router.rpcReceived(RPC(subscriptions: subs), from: peer, now: .zero)
        #expect(actions.events == [.peerSubscribed(peer, topic: "other"), .pruned(peer, topic: topic),
                                   .peerUnsubscribed(peer, topic: topic)])
        #expect(!router.subscribers(topic).contains(peer))
        #expect(router.subscribers("other") == [peer])

        let back = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: false, topic: topic),
                                                          SubOpts(subscribe: true, topic: topic)]), from: peer, now: .zero)
        #expect(back.events == [.peerSubscribed(peer, topic: topic)])
        #expect(router.subscribers(topic).contains(peer))
    }

    @Test func floodsubPeersAreNotMeshed() throws {
        var router = try makeRouter(peers: 5, protocol: .floodsub)
        #expect(router.meshPeers(topic).isEmpty)
        _ = router.heartbeat(now: .seconds(1))
        #expect(router.meshPeers(topic).isEmpty)
    }
}
