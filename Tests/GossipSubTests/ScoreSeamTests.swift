import Testing
@testable import GossipSub

@Suite struct ScoreSeamTests {
    func calls(_ router: Router) -> [String] { (router.scoring as? RecordingScore)?.calls ?? [] }

    @Test func routerReportsWhatScoringNeeds() throws {
        var router = Router(config: try makeConfig(), seed: 1, scoring: RecordingScore())
        for i in 1...2 {
            _ = router.peerConnected(TestPeer(UInt32(i)), protocol: .meshsub12, outbound: false, now: .zero)
            _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: TestPeer(UInt32(i)), now: .zero)
        }
        _ = router.subscribe(topic, now: .zero)
        let raw = RawMessage(data: [1], topic: topic)
        let id = contentID.id(of: raw)
        _ = router.rpcReceived(RPC(publish: [raw]), from: TestPeer(1), now: .zero)
        _ = router.rpcReceived(RPC(publish: [raw]), from: TestPeer(2), now: .zero)
        _ = router.validationResult(id, .reject, now: .zero)
        _ = router.heartbeat(now: .seconds(1))
        _ = router.peerDisconnected(TestPeer(2), now: .seconds(1))
        #expect(calls(router) == [
            "connected p1", "connected p2", "grafted p1", "grafted p2",
            "first p1", "duplicate p2", "validated p1 reject", "penalize p1 invalidMessage 1",
            "refresh", "disconnected p2", "pruned p2",
        ])
    }

    @Test func opportunisticGraftingAddsBetterPeersWhenMedianIsLow() throws {
        var scores = FixedScores()
        var router = try makeRouter(peers: 12, scoring: scores) { $0.opportunisticGraftTicks = 3 }
        let mesh = router.meshPeers(topic)
        let outsiders = router.subscribers(topic).filter { !mesh.contains($0) }
        for peer in outsiders { scores.scores[peer] = 5 }
        router.scoring = scores
        let first = router.heartbeat(now: .seconds(1))
        let second = router.heartbeat(now: .seconds(2))
        #expect(first.grafts.isEmpty && second.grafts.isEmpty)
        let third = router.heartbeat(now: .seconds(3))
        #expect(third.grafts.count == 2)
        #expect(third.grafts.allSatisfy { outsiders.contains($0.0) })
        #expect(router.meshPeers(topic).count == 8)
    }

    @Test func noOpportunisticGraftWhenMedianIsHealthy() throws {
        var scores = FixedScores()
        for i in 1...12 { scores.scores[TestPeer(UInt32(i))] = 5 }
        var router = try makeRouter(peers: 12, scoring: scores) { $0.opportunisticGraftTicks = 1 }
        let actions = router.heartbeat(now: .seconds(1))
        #expect(actions.grafts.isEmpty)
    }

    /// P6 through the router: twelve peers from one address, two past the threshold of 10, each
    /// lose 2² × the weight; moved to addresses of their own, they lose nothing.
    @Test func peersSharingAnAddressLoseScoreThroughTheRouter() throws {
        var parameters = PeerScoreParameters()
        parameters.ipColocationFactorWeight = -1
        parameters.ipColocationFactorThreshold = 10
        var router = Router(config: try makeConfig(), seed: 1, scoring: try PeerScore<TestPeer>(parameters: parameters))
        let peers = (1...12).map { TestPeer(UInt32($0)) }
        for peer in peers {
            _ = router.peerConnected(peer, protocol: .meshsub12, outbound: false, now: .zero)
            router.setPeerIPs(peer, ["198.51.100.7"])
        }
        #expect(peers.allSatisfy { router.peerScore($0, now: .zero) == -4 })
        for (index, peer) in peers.enumerated() { router.setPeerIPs(peer, ["198.51.100.\(index + 10)"]) }
        #expect(peers.allSatisfy { router.peerScore($0, now: .zero) == 0 })
    }

    /// A peer that sends an invalid message and leaves before the verdict keeps the penalty on
    /// its retained counters, and the router names it among the disconnected peers below a
    /// threshold (for a ban policy); a peer that left clean, or a connected one, is not named.
    @Test func aPeerThatLeftBeforeTheVerdictIsNamedBelowTheThreshold() throws {
        var topicParameters = TopicScoreParameters()
        topicParameters.invalidMessageDeliveriesWeight = -250
        var parameters = PeerScoreParameters()
        parameters.topics[topic] = topicParameters
        var router = Router(config: try makeConfig(), seed: 1, scoring: try PeerScore<TestPeer>(parameters: parameters))
        let (sender, bystander, stayer) = (TestPeer(1), TestPeer(2), TestPeer(3))
        for peer in [sender, bystander, stayer] {
            _ = router.peerConnected(peer, protocol: .meshsub12, outbound: false, now: .zero)
            _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: peer, now: .zero)
        }
        _ = router.subscribe(topic, now: .zero)
        let raw = RawMessage(data: [7], topic: topic)
        _ = router.rpcReceived(RPC(publish: [raw]), from: sender, now: .zero)
        _ = router.peerDisconnected(sender, now: .milliseconds(10))
        _ = router.peerDisconnected(bystander, now: .milliseconds(10))
        #expect(router.disconnectedPeers(scoredBelow: -80, now: .milliseconds(20)).isEmpty)
        _ = router.validationResult(contentID.id(of: raw), .reject, now: .milliseconds(30))
        #expect(router.disconnectedPeers(scoredBelow: -80, now: .milliseconds(40)) == [sender])
        #expect(router.peerScore(sender, now: .milliseconds(40)) < -80)
    }
}
