import Testing
@testable import GossipSub

@Suite struct PeerScoreTests {
    let p1 = TestPeer(1), p2 = TestPeer(2), p3 = TestPeer(3)

    /// One topic; every weight zero unless the test sets it, so each P can be checked alone.
    func scoring(_ edit: (inout TopicScoreParameters, inout PeerScoreParameters) -> Void) throws -> PeerScore<TestPeer> {
        var t = TopicScoreParameters()
        t.timeInMeshWeight = 0
        t.firstMessageDeliveriesWeight = 0
        t.meshMessageDeliveriesWeight = 0
        t.meshFailurePenaltyWeight = 0
        t.invalidMessageDeliveriesWeight = 0
        var p = PeerScoreParameters()
        p.appSpecificWeight = 0
        p.ipColocationFactorWeight = 0
        p.behaviourPenaltyWeight = 0
        edit(&t, &p)
        p.topics[topic] = t
        var score = try PeerScore<TestPeer>(parameters: p)
        score.peerConnected(p1, now: .zero)
        score.peerConnected(p2, now: .zero)
        score.refresh(now: .zero)
        return score
    }

    func accept(_ s: inout PeerScore<TestPeer>, _ n: UInt8, from peer: TestPeer, now: Duration) {
        s.firstReceived(MessageID([n]), topic: topic, from: peer, now: now)
        s.validated(MessageID([n]), topic: topic, source: peer, result: .accept, now: now)
    }

    @Test func p1TimeInMeshGrowsByQuantumAndIsCapped() throws {
        var s = try scoring { t, _ in t.timeInMeshWeight = 2; t.timeInMeshQuantum = .seconds(1); t.timeInMeshCap = 10 }
        s.grafted(p1, topic: topic, now: .zero)
        #expect(s.score(p1, now: .seconds(3)) == 6)
        #expect(s.score(p1, now: .seconds(30)) == 20)
        s.pruned(p1, topic: topic, now: .seconds(30))
        #expect(s.score(p1, now: .seconds(31)) == 0)
    }

    @Test func p2FirstDeliveriesCountCapAndDecay() throws {
        var s = try scoring { t, _ in t.firstMessageDeliveriesWeight = 1; t.firstMessageDeliveriesCap = 3; t.firstMessageDeliveriesDecay = 0.5 }
        for n in 0..<5 { accept(&s, UInt8(n), from: p1, now: .zero) }
        #expect(s.score(p1, now: .zero) == 3)
        s.refresh(now: .seconds(1))
        #expect(s.score(p1, now: .seconds(1)) == 1.5)
        s.refresh(now: .seconds(3))
        #expect(s.score(p1, now: .seconds(3)) == 0.375)
        // Rejected and ignored messages earn nothing.
        s.firstReceived(MessageID([99]), topic: topic, from: p2, now: .seconds(3))
        s.validated(MessageID([99]), topic: topic, source: p2, result: .ignore, now: .seconds(3))
        #expect(s.score(p2, now: .seconds(3)) == 0)
    }

    @Test func p3DeficitAfterActivationAndP3bStickyOnPrune() throws {
        var s = try scoring { t, _ in
            t.meshMessageDeliveriesWeight = -1
            t.meshMessageDeliveriesThreshold = 4
            t.meshMessageDeliveriesActivation = .seconds(5)
            t.meshFailurePenaltyWeight = -1
        }
        s.grafted(p1, topic: topic, now: .zero)
        accept(&s, 1, from: p1, now: .seconds(1))
        #expect(s.score(p1, now: .seconds(5)) == 0)        // not active yet
        #expect(s.score(p1, now: .seconds(6)) == -9)       // deficit 3, squared
        accept(&s, 2, from: p1, now: .seconds(6))
        accept(&s, 3, from: p1, now: .seconds(6))
        accept(&s, 4, from: p1, now: .seconds(6))
        #expect(s.score(p1, now: .seconds(6)) == 0)
        // Pruned with a deficit of 2: P3b remembers 4 after leaving the mesh.
        s.grafted(p2, topic: topic, now: .zero)
        accept(&s, 5, from: p2, now: .seconds(1))
        accept(&s, 6, from: p2, now: .seconds(1))
        s.pruned(p2, topic: topic, now: .seconds(7))
        #expect(s.score(p2, now: .seconds(7)) == -4)
    }

    @Test func p3NearFirstDeliveriesCountForMeshPeersWithinWindow() throws {
        var s = try scoring { t, _ in
            t.meshMessageDeliveriesWeight = -1
            t.meshMessageDeliveriesThreshold = 2
            t.meshMessageDeliveriesActivation = .seconds(1)
            t.meshMessageDeliveriesWindow = .milliseconds(10)
        }
        s.grafted(p1, topic: topic, now: .zero)
        s.grafted(p2, topic: topic, now: .zero)
        // p2 sends a copy while validating, and within the window after: both count.
        s.firstReceived(MessageID([1]), topic: topic, from: p1, now: .seconds(2))
        s.duplicateReceived(MessageID([1]), topic: topic, from: p2, now: .seconds(2))
        s.validated(MessageID([1]), topic: topic, source: p1, result: .accept, now: .seconds(2))
        accept(&s, 2, from: p1, now: .seconds(2))
        s.duplicateReceived(MessageID([2]), topic: topic, from: p2, now: .seconds(2) + .milliseconds(5))
        #expect(s.score(p2, now: .seconds(3)) == 0)
        // Too late: does not count, so p3 keeps its full deficit of 2.
        s.peerConnected(p3, now: .zero)
        s.grafted(p3, topic: topic, now: .zero)
        accept(&s, 3, from: p1, now: .seconds(3))
        s.duplicateReceived(MessageID([3]), topic: topic, from: p3, now: .seconds(3) + .milliseconds(50))
        #expect(s.score(p3, now: .seconds(4)) == -4)
    }

    @Test func p4InvalidMessagesSquaredIncludingDuplicatesOfInvalid() throws {
        var s = try scoring { t, _ in t.invalidMessageDeliveriesWeight = -1 }
        s.firstReceived(MessageID([1]), topic: topic, from: p1, now: .zero)
        s.duplicateReceived(MessageID([1]), topic: topic, from: p2, now: .zero)
        s.validated(MessageID([1]), topic: topic, source: p1, result: .reject, now: .zero)
        s.firstReceived(MessageID([2]), topic: topic, from: p1, now: .zero)
        s.validated(MessageID([2]), topic: topic, source: p1, result: .reject, now: .zero)
        s.duplicateReceived(MessageID([2]), topic: topic, from: p2, now: .zero)
        #expect(s.score(p1, now: .zero) == -4)
        #expect(s.score(p2, now: .zero) == -4)
    }

    @Test func p5ApplicationScoreIsWeighted() throws {
        var s = try scoring { _, p in p.appSpecificWeight = 2 }
        s.setApplicationScore(p1, -3)
        #expect(s.score(p1, now: .zero) == -6)
    }

    @Test func p6ColocationPenalisesSurplusSquared() throws {
        var s = try scoring { _, p in p.ipColocationFactorWeight = -1; p.ipColocationFactorThreshold = 2 }
        for i in 1...4 { s.setIPs(TestPeer(UInt32(i)), ["10.0.0.1"]) }
        #expect(s.score(p1, now: .zero) == -4)
        s.peerDisconnected(TestPeer(4), now: .zero)
        #expect(s.score(p1, now: .zero) == -1)
    }

    @Test func p6IgnoresWhitelistedAddresses() throws {
        var s = try scoring { _, p in
            p.ipColocationFactorWeight = -1
            p.ipColocationFactorThreshold = 1
            p.ipColocationFactorWhitelist = ["127.0.0.1"]
        }
        for i in 1...3 { s.setIPs(TestPeer(UInt32(i)), ["127.0.0.1", "10.0.0.9"]) }
        // Only the address outside the whitelist counts: a surplus of 2 on 10.0.0.9.
        #expect(s.score(p1, now: .zero) == -4)
        s.setIPs(p1, ["127.0.0.1"])
        #expect(s.score(p1, now: .zero) == 0)
    }

    /// P₆ is stored per connected peer and updated as peers come and go; after any sequence of
    /// address changes, disconnects and reconnects every score still equals the definition
    /// counted from scratch (a disconnected or re-connected peer is not on its addresses until
    /// they are set again).
    @Test func p6StaysExactThroughAddressChangesAndReconnects() throws {
        var s = try scoring { _, p in p.ipColocationFactorWeight = -1; p.ipColocationFactorThreshold = 1 }
        let addresses = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
        var ips: [UInt32: [String]] = [:]
        var counted = Set<UInt32>()
        var rng = DeterministicRNG(seed: 7)
        for step in 0..<400 {
            let peer = UInt32(rng.next() % 8) + 1
            switch rng.next() % 3 {
            case 0:
                let chosen = addresses.filter { _ in rng.next() % 2 == 0 }
                s.setIPs(TestPeer(peer), chosen)
                ips[peer] = chosen
                counted.insert(peer)
            case 1:
                s.peerDisconnected(TestPeer(peer), now: .zero)
                counted.remove(peer)
            default:
                s.peerConnected(TestPeer(peer), now: .zero)
            }
            for p in 1...UInt32(8) {
                let expected = (ips[p] ?? []).reduce(0.0) { total, ip in
                    let surplus = counted.filter { ips[$0]?.contains(ip) == true }.count - 1
                    return total - Double(max(0, surplus) * max(0, surplus))
                }
                #expect(s.score(TestPeer(p), now: .zero) == expected, "peer \(p) after step \(step)")
            }
        }
    }

    @Test func p7BehaviourPenaltyAboveThresholdSquaredAndDecays() throws {
        var s = try scoring { _, p in p.behaviourPenaltyWeight = -1; p.behaviourPenaltyThreshold = 1; p.behaviourPenaltyDecay = 0.5 }
        s.penalize(p1, reason: .brokenPromise, count: 3)
        s.penalize(p1, reason: .invalidMessage, count: 5)   // P4's business, not P7
        #expect(s.score(p1, now: .zero) == -4)
        s.refresh(now: .seconds(1))
        #expect(s.score(p1, now: .seconds(1)) == -0.25)
        s.refresh(now: .seconds(2))
        #expect(s.score(p1, now: .seconds(2)) == 0)
    }

    @Test func topicWeightAndCap() throws {
        var s = try scoring { t, p in t.firstMessageDeliveriesWeight = 1; t.topicWeight = 0.5; p.topicScoreCap = 2 }
        accept(&s, 1, from: p1, now: .zero)
        accept(&s, 2, from: p1, now: .zero)
        #expect(s.score(p1, now: .zero) == 1)
        for n in 3...10 { accept(&s, UInt8(n), from: p1, now: .zero) }
        #expect(s.score(p1, now: .zero) == 2)
    }

    @Test func disconnectedScoreIsRetainedThenForgotten() throws {
        var s = try scoring { _, p in p.behaviourPenaltyWeight = -1; p.retainScore = .seconds(10); p.behaviourPenaltyDecay = 0.999 }
        s.penalize(p1, reason: .graftDuringBackoff, count: 2)
        s.peerDisconnected(p1, now: .zero)
        s.peerConnected(p1, now: .seconds(5))
        #expect(s.score(p1, now: .seconds(5)) < -3.9)
        s.peerDisconnected(p1, now: .seconds(5))
        s.refresh(now: .seconds(16))
        #expect(s.score(p1, now: .seconds(16)) == 0)
    }

    @Test func invalidParametersAreRejected() {
        var t = TopicScoreParameters()
        t.meshMessageDeliveriesWeight = 1
        var p = PeerScoreParameters()
        p.topics["x"] = t
        #expect(throws: GossipSubConfigError.self) { try p.validated() }
        var q = PeerScoreParameters()
        q.behaviourPenaltyDecay = 1
        #expect(throws: GossipSubConfigError.self) { try q.validated() }
        #expect(throws: GossipSubConfigError.self) {
            try PeerScore<TestPeer>(parameters: PeerScoreParameters(), thresholds: PeerScoreThresholds(gossipThreshold: 1))
        }
        #expect(throws: Never.self) { try PeerScoreParameters().validated() }
    }

    @Test func routerPrunesAnInvalidMessageSender() throws {
        var t = TopicScoreParameters()
        t.invalidMessageDeliveriesWeight = -10
        var p = PeerScoreParameters()
        p.topics[topic] = t
        var router = try makeRouter(peers: 8, scoring: try PeerScore<TestPeer>(parameters: p))
        let bad = router.meshPeers(topic)[0]
        let id = try #require(router.rpcReceived(RPC(publish: [RawMessage(data: [6], topic: topic)]), from: bad, now: .zero).deliveries.first?.0.id)
        _ = router.validationResult(id, .reject, now: .zero)
        let actions = router.heartbeat(now: .seconds(1))
        #expect(actions.prunes.map(\.0).contains(bad))
        #expect(!router.meshPeers(topic).contains(bad))
        // And it cannot graft back while its score is negative.
        let graft = router.rpcReceived(RPC(control: ControlMessage(graft: [ControlGraft(topic: topic)])), from: bad, now: .seconds(200))
        #expect(graft.prunes.map(\.0) == [bad])
    }
}
