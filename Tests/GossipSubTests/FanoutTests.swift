import Testing
@testable import GossipSub

@Suite struct FanoutTests {
    @Test func publishToUnsubscribedTopicUsesFanoutOfD() throws {
        var router = try makeRouter(peers: 20, subscribe: false) { $0.floodPublish = false }
        let first = try router.publish(topic: topic, data: [1], now: .zero)
        let fanout = router.fanoutPeers(topic)
        #expect(fanout.count == 6)
        #expect(first.actions.messagesSent.map(\.0) == fanout)
        // The same fanout is reused.
        let second = try router.publish(topic: topic, data: [2], now: .seconds(1))
        #expect(second.actions.messagesSent.map(\.0) == fanout)
    }

    @Test func fanoutExpiresAfterTTL() throws {
        var router = try makeRouter(peers: 20, subscribe: false) { $0.floodPublish = false; $0.fanoutTTL = .seconds(5) }
        _ = try router.publish(topic: topic, data: [1], now: .zero)
        _ = router.heartbeat(now: .seconds(4))
        #expect(router.fanoutPeers(topic).count == 6)
        _ = router.heartbeat(now: .seconds(5))
        #expect(router.fanoutPeers(topic).isEmpty)
    }

    @Test func fanoutIsRefilledWhenPeersLeave() throws {
        var router = try makeRouter(peers: 20, subscribe: false) { $0.floodPublish = false }
        _ = try router.publish(topic: topic, data: [1], now: .zero)
        for peer in router.fanoutPeers(topic).prefix(3) { _ = router.peerDisconnected(peer, now: .zero) }
        #expect(router.fanoutPeers(topic).count == 3)
        _ = router.heartbeat(now: .seconds(1))
        #expect(router.fanoutPeers(topic).count == 6)
    }

    @Test func subscribingTurnsFanoutIntoMesh() throws {
        var router = try makeRouter(peers: 20, subscribe: false) { $0.floodPublish = false }
        _ = try router.publish(topic: topic, data: [1], now: .zero)
        let fanout = router.fanoutPeers(topic)
        let actions = router.subscribe(topic, now: .seconds(1))
        #expect(router.meshPeers(topic) == fanout)
        #expect(actions.grafts.map(\.0) == fanout)
        #expect(router.fanoutPeers(topic).isEmpty)
    }

    @Test func floodPublishReachesEverySubscriber() throws {
        var router = try makeRouter(peers: 20)
        let result = try router.publish(topic: topic, data: [1], now: .zero)
        #expect(result.actions.messagesSent.map(\.0) == router.subscribers(topic))
        #expect(router.fanoutPeers(topic).isEmpty)
    }

    @Test func floodPublishSkipsPeersBelowPublishThreshold() throws {
        var scores = FixedScores()
        scores.scores[TestPeer(3)] = -60
        var router = try makeRouter(peers: 5, scoring: scores)
        let result = try router.publish(topic: topic, data: [1], now: .zero)
        #expect(result.actions.messagesSent.map(\.0.n) == [1, 2, 4, 5])
    }

    @Test func meshPublishAlsoReachesDirectAndFloodsubPeers() throws {
        var router = try makeRouter(peers: 20) { $0.floodPublish = false }
        _ = router.peerConnected(TestPeer(100), protocol: .meshsub11, outbound: false, direct: true, now: .zero)
        _ = router.peerConnected(TestPeer(101), protocol: .floodsub, outbound: false, now: .zero)
        for p in [TestPeer(100), TestPeer(101)] {
            _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: p, now: .zero)
        }
        let targets = try router.publish(topic: topic, data: [1], now: .zero).actions.messagesSent.map(\.0)
        #expect(Set(targets) == Set(router.meshPeers(topic) + [TestPeer(100), TestPeer(101)]))
    }

    @Test func publishRejectsOversizeAndDuplicates() throws {
        var router = try makeRouter(peers: 3) { $0.topicMaxMessageSize[topic] = 100 }
        #expect(throws: PublishError.messageTooLarge(size: 101, limit: 100)) {
            try router.publish(topic: topic, data: bytes(101), now: .zero)
        }
        let id = try router.publish(topic: topic, data: [1], now: .zero).id
        #expect(throws: PublishError.duplicate(id)) { try router.publish(topic: topic, data: [1], now: .seconds(1)) }
        // After the seen TTL the same content may be published again.
        _ = router.heartbeat(now: .seconds(121))
        let republished = try router.publish(topic: topic, data: [1], now: .seconds(121))
        #expect(republished.id == id)
    }
}
