import Testing
@testable import GossipSub

@Suite struct GraftPruneTests {
    let graft = RPC(control: ControlMessage(graft: [ControlGraft(topic: topic)]))

    @Test func graftIsAcceptedBelowDHigh() throws {
        var router = try makeRouter(peers: 10)
        let outsider = try #require(router.subscribers(topic).first { !router.meshPeers(topic).contains($0) })
        let actions = router.rpcReceived(graft, from: outsider, now: .zero)
        #expect(actions.events == [.grafted(outsider, topic: topic)])
        #expect(actions.sends.isEmpty)
        #expect(router.meshPeers(topic).contains(outsider))
    }

    @Test func graftForUnknownTopicIsIgnored() throws {
        var router = try makeRouter(peers: 3)
        let actions = router.rpcReceived(RPC(control: ControlMessage(graft: [ControlGraft(topic: "nope")])), from: TestPeer(1), now: .zero)
        #expect(actions.isEmpty)
    }

    @Test func inboundGraftIntoFullMeshIsPrunedWithPX() throws {
        var router = try makeRouter(peers: 20)
        var n = 0
        for peer in router.subscribers(topic) where !router.meshPeers(topic).contains(peer) {
            let actions = router.rpcReceived(graft, from: peer, now: .zero)
            n += 1
            if router.meshPeers(topic).count == 12 && !router.meshPeers(topic).contains(peer) {
                #expect(actions.prunes.first?.1.peers.isEmpty == false)
            }
        }
        #expect(n == 14)
        #expect(router.meshPeers(topic).count == 12)
        #expect(router.meshChanges.graftsAccepted == 6 && router.meshChanges.graftsRefused == 8)
    }

    @Test func pruneRemovesAndBacksOff() throws {
        var router = try makeRouter(peers: 10)
        let peer = router.meshPeers(topic)[0]
        let actions = router.rpcReceived(RPC(control: ControlMessage(prune: [ControlPrune(topic: topic, backoffSeconds: 30)])), from: peer, now: .zero)
        #expect(actions.events == [.pruned(peer, topic: topic)])
        #expect(router.meshChanges.prunedByPeers == 1)
        #expect(router.isBackedOff(peer, topic: topic, now: .seconds(29)))
        #expect(!router.isBackedOff(peer, topic: topic, now: .seconds(30)))
        // Not re-grafted while backed off, even when the mesh is short.
        for p in router.meshPeers(topic) {
            _ = router.rpcReceived(RPC(control: ControlMessage(prune: [ControlPrune(topic: topic, backoffSeconds: 30)])), from: p, now: .zero)
        }
        let refill = router.heartbeat(now: .seconds(1))
        #expect(!refill.grafts.contains { $0.0 == peer })
        #expect(router.meshPeers(topic).count == 4)   // the 4 never-pruned peers
        // After the backoff the pruned peers are candidates again: drop below dLow and refill.
        let other = router.meshPeers(topic)[0]
        _ = router.rpcReceived(RPC(control: ControlMessage(prune: [ControlPrune(topic: topic, backoffSeconds: 30)])), from: other, now: .seconds(31))
        _ = router.heartbeat(now: .seconds(32))
        #expect(router.meshPeers(topic).count == 6)
        #expect(!router.meshPeers(topic).contains(other))
    }

    /// The subscribers a PRUNE keeps out of the mesh, longest backoff first; none once it ends.
    @Test func backedOffSubscribersListsPrunersLongestWaitFirst() throws {
        var router = try makeRouter(peers: 10)
        let (short, long) = (router.meshPeers(topic)[0], router.meshPeers(topic)[1])
        _ = router.rpcReceived(RPC(control: ControlMessage(prune: [ControlPrune(topic: topic, backoffSeconds: 20)])), from: short, now: .zero)
        _ = router.rpcReceived(RPC(control: ControlMessage(prune: [ControlPrune(topic: topic, backoffSeconds: 60)])), from: long, now: .zero)
        #expect(router.backedOffSubscribers(topic, now: .seconds(1)) == [long, short])
        #expect(router.backedOffSubscribers(topic, now: .seconds(20)) == [long])
        #expect(router.backedOffSubscribers(topic, now: .seconds(60)).isEmpty)
        #expect(router.backedOffSubscribers("other", now: .seconds(1)).isEmpty)
    }

    @Test func absurdPruneBackoffIsCapped() throws {
        var router = try makeRouter(peers: 6)
        let peer = router.meshPeers(topic)[0]
        _ = router.rpcReceived(RPC(control: ControlMessage(prune: [ControlPrune(topic: topic, backoffSeconds: .max)])), from: peer, now: .zero)
        #expect(router.isBackedOff(peer, topic: topic, now: .seconds(24 * 3600 - 1)))
        #expect(!router.isBackedOff(peer, topic: topic, now: .seconds(24 * 3600)))
    }

    @Test func graftDuringBackoffIsPenalisedAndPruned() throws {
        var router = try makeRouter(peers: 10)
        let peer = router.meshPeers(topic)[0]
        _ = router.rpcReceived(RPC(control: ControlMessage(prune: [ControlPrune(topic: topic)])), from: peer, now: .zero)
        // Within the flood threshold: two penalties.
        let early = router.rpcReceived(graft, from: peer, now: .seconds(1))
        #expect(early.penalties.map(\.1) == [.graftDuringBackoff, .graftDuringBackoff])
        #expect(early.prunes.map(\.0) == [peer])
        #expect(early.prunes.first?.1.peers.isEmpty == true)
        #expect(!router.meshPeers(topic).contains(peer))
        // Our refreshed backoff now runs from t = 1 s; later grafts cost one penalty.
        let late = router.rpcReceived(graft, from: peer, now: .seconds(40))
        #expect(late.penalties.count == 1)
    }

    @Test func unsubscribePrunesWithUnsubscribeBackoff() throws {
        var router = try makeRouter(peers: 8)
        let mesh = router.meshPeers(topic)
        let actions = router.unsubscribe(topic, now: .zero)
        #expect(actions.prunes.map(\.0) == mesh)
        #expect(actions.prunes.allSatisfy { $0.1.backoffSeconds == 10 })
        #expect(router.meshPeers(topic).isEmpty)
        #expect(!router.isSubscribed(topic))
        #expect(router.isBackedOff(mesh[0], topic: topic, now: .seconds(9)))
        // Resubscribing within the backoff does not graft those peers.
        let again = router.subscribe(topic, now: .seconds(1))
        #expect(Set(again.grafts.map(\.0)).isDisjoint(with: mesh))
    }

    @Test func pruneToV10PeerCarriesNoBackoffOrPX() throws {
        var router = try makeRouter(peers: 8, protocol: .meshsub10)
        let actions = router.unsubscribe(topic, now: .zero)
        #expect(!actions.prunes.isEmpty)
        #expect(actions.prunes.allSatisfy { $0.1.backoffSeconds == nil && $0.1.peers.isEmpty })
    }

    @Test func peerExchangeSurfacesOnlyFromTrustedPeers() throws {
        var scores = FixedScores()
        scores.scores[TestPeer(1)] = 20
        var router = try makeRouter(peers: 3, scoring: scores)
        let px = RPC(control: ControlMessage(prune: [ControlPrune(topic: topic, peers: [PeerInfo(peerID: [9, 9])], backoffSeconds: 60)]))
        let trusted = router.rpcReceived(px, from: TestPeer(1), now: .zero)
        #expect(trusted.events.contains(.peerExchange(from: TestPeer(1), topic: topic, peers: [PeerInfo(peerID: [9, 9])])))
        let untrusted = router.rpcReceived(px, from: TestPeer(2), now: .zero)
        #expect(!untrusted.events.contains { if case .peerExchange = $0 { true } else { false } })
    }

    @Test func graylistedPeerIsIgnored() throws {
        var scores = FixedScores()
        scores.scores[TestPeer(1)] = -100
        var router = try makeRouter(peers: 3, scoring: scores)
        let ignored = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: "x")]), from: TestPeer(1), now: .zero)
        #expect(ignored.isEmpty)
        #expect(!router.subscribers("x").contains(TestPeer(1)))
    }
}

@Suite struct PruneHardeningTests {
    @Test func pruneForUnknownTopicLeavesNoState() throws {
        var router = try makeRouter(peers: 3)
        let prunes = (0..<100).map { ControlPrune(topic: "junk\($0)", backoffSeconds: 86_400) }
        let actions = router.rpcReceived(RPC(control: ControlMessage(prune: prunes)), from: TestPeer(1), now: .zero)
        #expect(actions.isEmpty)
        #expect(router.backoff.isEmpty)
    }
}

@Suite struct BackoffSlackTests {
    @Test func regraftWaitsOneHeartbeatPastTheBackoff() throws {
        var router = try makeRouter(peers: 1)
        let peer = TestPeer(1)
        _ = router.rpcReceived(RPC(control: ControlMessage(prune: [ControlPrune(topic: topic, backoffSeconds: 10)])), from: peer, now: .zero)
        let atExpiry = router.heartbeat(now: .seconds(10))
        #expect(atExpiry.grafts.isEmpty)
        let withinSlack = router.heartbeat(now: .milliseconds(10_999))
        #expect(withinSlack.grafts.isEmpty)
        let afterSlack = router.heartbeat(now: .seconds(11))
        #expect(afterSlack.grafts.map(\.0) == [peer])
    }
}
