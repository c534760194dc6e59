import Testing
@testable import GossipSub

/// Own messages announced to peers that arrive after publishing (`announcePublishedFor`).
@Suite struct PublishedAnnouncementTests {
    let late = TestPeer(9)

    /// Two subscribed peers, one message published at 0 (flood publish reaches both). The
    /// gossip window sent to a newly grafted peer is off: a late peer joins the mesh here, and
    /// these tests count the announcements alone (the window has its own, in `GossipTests`).
    func published(window: Duration = .seconds(60), _ edit: (inout GossipSubConfig.Parameters) -> Void = { _ in })
        throws -> (Router, MessageID) {
        var router = try makeRouter(peers: 2) { $0.announcePublishedFor = window; $0.gossipWindowOnGraft = false; edit(&$0) }
        let (id, actions) = try router.publish(topic: topic, data: bytes(100), now: .zero)
        #expect(actions.messagesSent.map(\.0) == [TestPeer(1), TestPeer(2)])
        return (router, id)
    }

    func join(_ peer: TestPeer, _ router: inout Router, at now: Duration) {
        _ = router.peerConnected(peer, protocol: .meshsub12, outbound: false, now: now)
        _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: peer, now: now)
    }

    func heartbeats(_ router: inout Router, from first: Int, through last: Int) -> [Action] {
        (first...last).flatMap { router.heartbeat(now: .seconds(Int64($0))) }
    }

    @Test func aPeerSubscribingLaterIsToldOnceAndServedAfterTheCacheDropsTheMessage() throws {
        var (router, id) = try published()
        join(late, &router, at: .milliseconds(500))
        let announced = heartbeats(&router, from: 1, through: 4)
        #expect(announced.ihaves.map(\.0) == [late])
        #expect(announced.ihaves.first?.1 == ControlIHave(topic: topic, messageIDs: [id]))

        _ = heartbeats(&router, from: 5, through: 8)   // out of the message cache (5 windows)
        let iwant = RPC(control: ControlMessage(iwant: [ControlIWant(messageIDs: [id])]))
        let served = router.rpcReceived(iwant, from: late, now: .seconds(8))
        #expect(served.messagesSent.map(\.0) == [late])
        #expect(served.messagesSent.first?.1.data == bytes(100))
    }

    @Test func withoutTheWindowALaterPeerNeverHearsOfIt() throws {
        var (router, id) = try published(window: .zero)
        join(late, &router, at: .milliseconds(500))
        let beats = heartbeats(&router, from: 1, through: 10)
        #expect(!beats.ihaves.contains { $0.0 == late })
        let iwant = RPC(control: ControlMessage(iwant: [ControlIWant(messageIDs: [id])]))
        #expect(router.rpcReceived(iwant, from: late, now: .seconds(10)).messagesSent.isEmpty)
    }

    @Test func everyTopicPeerIsToldOnceMoreWhenTheMessageLeavesTheCache() throws {
        var (router, id) = try published()
        join(late, &router, at: .milliseconds(500))
        _ = heartbeats(&router, from: 1, through: 4)
        let again = router.heartbeat(now: .seconds(5))
        #expect(again.ihaves.map(\.0) == [TestPeer(1), TestPeer(2), late])
        #expect(again.ihaves.allSatisfy { $0.1.messageIDs == [id] })
        #expect(heartbeats(&router, from: 6, through: 30).ihaves.isEmpty)
    }

    @Test func aReconnectedPeerIsToldAgain() throws {
        var (router, id) = try published()
        _ = router.peerDisconnected(TestPeer(1), now: .milliseconds(200))
        join(TestPeer(1), &router, at: .milliseconds(500))
        let beats = heartbeats(&router, from: 1, through: 3)
        #expect(beats.ihaves.map(\.0) == [TestPeer(1)])
        #expect(beats.ihaves.first?.1.messageIDs == [id])
    }

    @Test func nothingIsAnnouncedOrServedAfterTheWindow() throws {
        var (router, id) = try published(window: .seconds(10))
        _ = heartbeats(&router, from: 1, through: 10)
        join(late, &router, at: .seconds(11))
        #expect(!router.heartbeat(now: .seconds(11)).ihaves.contains { $0.0 == late })
        let iwant = RPC(control: ControlMessage(iwant: [ControlIWant(messageIDs: [id])]))
        #expect(router.rpcReceived(iwant, from: late, now: .seconds(11)).messagesSent.isEmpty)
    }

    @Test func theOldestIsForgottenPastCapacity() throws {
        var (router, first) = try published { $0.maxAnnouncedPublished = 2 }
        let second = try router.publish(topic: topic, data: bytes(100, seed: 1), now: .zero).id
        let third = try router.publish(topic: topic, data: bytes(100, seed: 2), now: .zero).id
        join(late, &router, at: .milliseconds(500))
        let beats = heartbeats(&router, from: 1, through: 3)
        #expect(beats.ihaves.filter { $0.0 == late }.map(\.1.messageIDs) == [[second, third]])
        #expect(!beats.ihaves.contains { $0.1.messageIDs.contains(first) })
    }

    @Test func aNegativeWindowIsRefused() {
        #expect(throws: GossipSubConfigError.self) { try makeConfig { $0.announcePublishedFor = .seconds(-1) } }
        #expect(throws: GossipSubConfigError.self) { try makeConfig { $0.maxAnnouncedPublished = -1 } }
    }
}
