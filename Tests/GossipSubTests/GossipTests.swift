import Testing
@testable import GossipSub

@Suite struct GossipTests {
    /// Publishes `n` messages from the local node (flood publish off, so only the mesh gets them).
    func routerWithCachedMessages(peers: Int, messages n: Int, seed: UInt64 = 1,
                                  _ edit: (inout GossipSubConfig.Parameters) -> Void = { _ in }) throws -> (Router, [MessageID]) {
        var router = try makeRouter(peers: peers, seed: seed) { $0.floodPublish = false; edit(&$0) }
        var ids: [MessageID] = []
        for i in 0..<n { ids.append(try router.publish(topic: topic, data: bytes(10, seed: UInt8(i)), now: .zero).id) }
        return (router, ids)
    }

    @Test func heartbeatSendsIHaveToNonMeshPeersOnly() throws {
        var (router, ids) = try routerWithCachedMessages(peers: 30, messages: 3)
        let actions = router.heartbeat(now: .seconds(1))
        let mesh = Set(router.meshPeers(topic))
        let targets = actions.ihaves.map(\.0)
        // Adaptive gossip: max(dLazy = 6, 0.25 × 24 eligible) = 6.
        #expect(targets.count == 6)
        #expect(Set(targets).isDisjoint(with: mesh))
        #expect(actions.ihaves.allSatisfy { $0.1.topic == topic && $0.1.messageIDs == ids })
    }

    @Test func gossipFactorScalesWithEligiblePeers() throws {
        var (router, _) = try routerWithCachedMessages(peers: 106, messages: 1)
        let actions = router.heartbeat(now: .seconds(1))
        #expect(actions.ihaves.count == 25)   // 0.25 × (106 − 6)
    }

    @Test func gossipStopsAfterMcacheGossipWindows() throws {
        var (router, _) = try routerWithCachedMessages(peers: 20, messages: 1)
        for beat in 1...3 {
            let actions = router.heartbeat(now: .seconds(Int64(beat)))
            #expect(!actions.ihaves.isEmpty)
        }
        let fourthBeat = router.heartbeat(now: .seconds(4))
        #expect(fourthBeat.ihaves.isEmpty)
    }

    @Test func ihaveLengthIsCappedPerPeer() throws {
        var (router, _) = try routerWithCachedMessages(peers: 10, messages: 30) { $0.maxIHaveLength = 7 }
        let actions = router.heartbeat(now: .seconds(1))
        #expect(!actions.ihaves.isEmpty)
        #expect(actions.ihaves.allSatisfy { $0.1.messageIDs.count == 7 })
    }

    @Test func ihaveIsAnsweredWithIWantForUnseenIDsOnly() throws {
        var (router, ids) = try routerWithCachedMessages(peers: 10, messages: 1)
        let unseen = [MessageID([1]), MessageID([2])]
        let ihave = RPC(control: ControlMessage(ihave: [ControlIHave(topic: topic, messageIDs: ids + unseen + unseen),
                                                       ControlIHave(topic: "unsubscribed", messageIDs: [MessageID([3])])]))
        let actions = router.rpcReceived(ihave, from: TestPeer(1), now: .zero)
        #expect(actions.iwants.count == 1)
        #expect(Set(actions.iwants[0].1) == Set(unseen))
        #expect(actions.iwants[0].1.count == 2)
    }

    @Test func ihaveFloodIsLimitedPerHeartbeat() throws {
        var router = try makeRouter(peers: 3) { $0.maxIHaveMessages = 2; $0.maxIHaveLength = 5 }
        var asked = 0
        for i in 0..<10 {
            let ids = (0..<3).map { MessageID([UInt8(i), UInt8($0)]) }
            asked += router.rpcReceived(RPC(control: ControlMessage(ihave: [ControlIHave(topic: topic, messageIDs: ids)])),
                                        from: TestPeer(1), now: .zero).iwants.flatMap(\.1).count
        }
        #expect(asked == 5)   // 2 IHAVEs handled, 3 + 2 ids within maxIHaveLength
        _ = router.heartbeat(now: .seconds(1))
        let after = router.rpcReceived(RPC(control: ControlMessage(ihave: [ControlIHave(topic: topic, messageIDs: [MessageID([99])])])),
                                       from: TestPeer(1), now: .seconds(1))
        #expect(after.iwants.count == 1)
    }

    @Test func ihaveForAnIDAskedOfAnotherPeerThisHeartbeatIsNotAnswered() throws {
        var router = try makeRouter(peers: 3)
        let ihave = RPC(control: ControlMessage(ihave: [ControlIHave(topic: topic, messageIDs: [MessageID([7]), MessageID([8])])]))
        #expect(router.rpcReceived(ihave, from: TestPeer(1), now: .zero).iwants.flatMap(\.1).count == 2)
        #expect(router.rpcReceived(ihave, from: TestPeer(2), now: .zero).iwants.isEmpty)
        _ = router.heartbeat(now: .seconds(1))
        // Not delivered by the next heartbeat: asked again, of whoever announces it then.
        #expect(router.rpcReceived(ihave, from: TestPeer(2), now: .seconds(1)).iwants.flatMap(\.1).count == 2)
    }

    // MARK: Forwards that expired in a send queue

    /// A mesh peer whose forwards expired gets an IHAVE of those still cached and not declined,
    /// and its IWANT is answered; unknown ids, a gone peer or the switch off send nothing.
    @Test func expiredForwardsAreAnnouncedToTheirPeer() throws {
        for on in [true, false] {
            var (router, ids) = try routerWithCachedMessages(peers: 10, messages: 3) { $0.gossipExpiredForwards = on }
            let peer = try #require(router.meshPeers(topic).first)
            _ = router.rpcReceived(RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [ids[1]])])),
                                   from: peer, now: .zero)
            let actions = router.forwardsExpired(ids + [MessageID([0xEE])], to: peer, now: .milliseconds(1_500))
            guard on else { #expect(actions.isEmpty); continue }
            #expect(actions.ihaves.map(\.0) == [peer])
            #expect(actions.ihaves.first?.1.topic == topic)
            #expect(actions.ihaves.first?.1.messageIDs == [ids[0], ids[2]])
            let iwant = RPC(control: ControlMessage(iwant: [ControlIWant(messageIDs: [ids[0], ids[2]])]))
            #expect(router.rpcReceived(iwant, from: peer, now: .milliseconds(1_600)).messagesSent.count == 2)
            _ = router.peerDisconnected(peer, now: .seconds(2))
            #expect(router.forwardsExpired(ids, to: peer, now: .seconds(2)).isEmpty)
        }
    }

    // MARK: The gossip window on a new mesh link

    /// A router with `messages` cached (published before), and the topic peer outside its mesh.
    func routerWithOutsider(windowOnGraft: Bool = true) throws -> (Router, [MessageID], TestPeer) {
        let (router, ids) = try routerWithCachedMessages(peers: 10, messages: 3) { $0.gossipWindowOnGraft = windowOnGraft }
        let outsider = try #require((1...10).map { TestPeer(UInt32($0)) }.first { !router.meshPeers(topic).contains($0) })
        return (router, ids, outsider)
    }

    @Test func acceptedGraftIsAnsweredWithTheGossipWindow() throws {
        var (router, ids, outsider) = try routerWithOutsider()
        let graft = RPC(control: ControlMessage(graft: [ControlGraft(topic: topic)]))
        let actions = router.rpcReceived(graft, from: outsider, now: .zero)
        #expect(router.meshPeers(topic).contains(outsider))
        #expect(actions.ihaves.map(\.0) == [outsider])
        #expect(Set(actions.ihaves.first?.1.messageIDs ?? []) == Set(ids))
        // The peer asks for what it lacks, as after any IHAVE.
        let iwant = RPC(control: ControlMessage(iwant: [ControlIWant(messageIDs: ids)]))
        #expect(router.rpcReceived(iwant, from: outsider, now: .zero).messagesSent.count == ids.count)
    }

    @Test func windowLeavesOutWhatThePeerSaidItDoesNotWant() throws {
        var (router, ids, outsider) = try routerWithOutsider()
        _ = router.rpcReceived(RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [ids[0]])])),
                               from: outsider, now: .zero)
        let actions = router.rpcReceived(RPC(control: ControlMessage(graft: [ControlGraft(topic: topic)])), from: outsider, now: .zero)
        #expect(Set(actions.ihaves.flatMap(\.1.messageIDs)) == Set(ids.dropFirst()))
    }

    @Test func refusedGraftAndSwitchedOffWindowSendNoIHave() throws {
        var (router, _, outsider) = try routerWithOutsider(windowOnGraft: false)
        let graft = RPC(control: ControlMessage(graft: [ControlGraft(topic: topic)]))
        let accepted = router.rpcReceived(graft, from: outsider, now: .zero)
        #expect(router.meshPeers(topic).contains(outsider))
        #expect(accepted.ihaves.isEmpty)

        var (backedOff, _, other) = try routerWithOutsider()
        _ = backedOff.rpcReceived(RPC(control: ControlMessage(prune: [ControlPrune(topic: topic)])), from: other, now: .zero)
        let refused = backedOff.rpcReceived(graft, from: other, now: .seconds(1))
        #expect(!refused.prunes.isEmpty)
        #expect(refused.ihaves.isEmpty)
    }

    @Test func ownGraftCarriesTheGossipWindow() throws {
        var (router, ids) = try routerWithCachedMessages(peers: 10, messages: 3)
        let before = Set(router.meshPeers(topic))
        for peer in before { _ = router.peerDisconnected(peer, now: .zero) }
        let beat = router.heartbeat(now: .seconds(1))
        let grafted = Set(beat.grafts.map(\.0))
        #expect(!grafted.isEmpty && grafted.isDisjoint(with: before))
        for peer in grafted {
            #expect(Set(beat.ihaves.filter { $0.0 == peer }.flatMap(\.1.messageIDs)) == Set(ids))
        }
    }

    @Test func aPeerRefusedForAFullMeshGetsGossipAtEveryHeartbeat() throws {
        for on in [true, false] {
            var router = try makeRouter(peers: 100) { $0.floodPublish = false; $0.gossipToRefusedPeers = on }
            let graft = RPC(control: ControlMessage(graft: [ControlGraft(topic: topic)]))
            var refused: TestPeer?
            for peer in (1...100).map({ TestPeer(UInt32($0)) }) where refused == nil && !router.meshPeers(topic).contains(peer) {
                if !router.rpcReceived(graft, from: peer, now: .zero).prunes.isEmpty { refused = peer }
            }
            let peer = try #require(refused)
            var beatsWithGossip = 0
            for beat in 1...10 {
                let second = Duration.seconds(Int64(beat))
                _ = try router.publish(topic: topic, data: bytes(10, seed: UInt8(beat)), now: second - .milliseconds(1))
                if router.heartbeat(now: second).ihaves.contains(where: { $0.0 == peer }) { beatsWithGossip += 1 }
            }
            // Otherwise drawn with the other ~90 peers outside the mesh, about a quarter of them a heartbeat.
            #expect(on ? beatsWithGossip == 10 : beatsWithGossip < 10)
            // For the backoff's length (60 s) only.
            _ = router.heartbeat(now: .seconds(61))
            #expect(router.refusedGrafts.isEmpty)
        }
    }

    @Test func iwantIsServedFromCacheWithRetransmissionLimit() throws {
        var (router, ids) = try routerWithCachedMessages(peers: 10, messages: 2)
        let iwant = RPC(control: ControlMessage(iwant: [ControlIWant(messageIDs: ids + [MessageID([0xEE])] + ids)]))
        for _ in 0..<3 {
            let actions = router.rpcReceived(iwant, from: TestPeer(1), now: .zero)
            #expect(actions.messagesSent.count == 2)
        }
        let fourthAsk = router.rpcReceived(iwant, from: TestPeer(1), now: .zero)
        #expect(fourthAsk.messagesSent.isEmpty)
        let otherPeer = router.rpcReceived(iwant, from: TestPeer(2), now: .zero)
        #expect(otherPeer.messagesSent.count == 2)
    }

    @Test func brokenIWantPromiseIsPenalised() throws {
        var router = try makeRouter(peers: 3)
        let ihave = RPC(control: ControlMessage(ihave: [ControlIHave(topic: topic, messageIDs: [MessageID([7])])]))
        let asked = router.rpcReceived(ihave, from: TestPeer(2), now: .zero)
        #expect(asked.iwants.count == 1)
        let inTime = router.heartbeat(now: .seconds(1))
        #expect(inTime.penalties.isEmpty)
        let late = router.heartbeat(now: .seconds(4))
        #expect(late.penalties.map(\.0) == [TestPeer(2)])
        #expect(late.penalties.map(\.1) == [.brokenPromise])
    }

    @Test func keptPromiseIsNotPenalised() throws {
        var router = try makeRouter(peers: 3)
        let raw = RawMessage(data: [1, 2, 3], topic: topic)
        let id = contentID.id(of: raw)
        _ = router.rpcReceived(RPC(control: ControlMessage(ihave: [ControlIHave(topic: topic, messageIDs: [id])])), from: TestPeer(2), now: .zero)
        _ = router.rpcReceived(RPC(publish: [raw]), from: TestPeer(2), now: .seconds(1))
        let kept = router.heartbeat(now: .seconds(5))
        #expect(kept.penalties.isEmpty)
    }

    @Test func lowScorePeersGetNoGossipAndAreNotAsked() throws {
        var scores = FixedScores()
        for i in 1...30 { scores.scores[TestPeer(UInt32(i))] = -20 }  // below gossip, above graylist
        var router = try makeRouter(peers: 30, scoring: scores) { $0.floodPublish = false }
        _ = try router.publish(topic: topic, data: [1], now: .zero)
        let beat = router.heartbeat(now: .seconds(1))
        #expect(beat.ihaves.isEmpty)
        let ihave = RPC(control: ControlMessage(ihave: [ControlIHave(topic: topic, messageIDs: [MessageID([5])])]))
        let answer = router.rpcReceived(ihave, from: TestPeer(1), now: .seconds(1))
        #expect(answer.iwants.isEmpty)
    }
}

@Suite struct ControlSplittingTests {
    @Test func gossipOverManyTopicsIsSplitToFitDecodeLimits() throws {
        // 3 topics × 4 ids of IHAVE to one peer, with at most 5 ids and 2 entries per RPC.
        let limits = RPCLimits(maxControlEntriesPerRPC: 2, maxMessageIDsPerRPC: 5)
        var router = Router(config: try makeConfig { $0.rpcLimits = limits; $0.maxIHaveLength = 5; $0.floodPublish = false }, seed: 1)
        let topics = ["a", "b", "c"]
        _ = router.peerConnected(TestPeer(1), protocol: .meshsub12, outbound: false, now: .zero)
        _ = router.rpcReceived(RPC(subscriptions: topics.map { SubOpts(subscribe: true, topic: $0) }), from: TestPeer(1), now: .zero)
        for t in topics {
            _ = router.subscribe(t, now: .zero)
            // Keep the only peer out of the mesh so it receives gossip.
            _ = router.rpcReceived(RPC(control: ControlMessage(prune: [ControlPrune(topic: t)])), from: TestPeer(1), now: .zero)
            for i in 0..<4 { _ = try router.publish(topic: t, data: [UInt8(i)] + Array(t.utf8), now: .zero) }
        }
        let actions = router.heartbeat(now: .seconds(1))
        let rpcs = actions.rpcs(to: TestPeer(1))
        #expect(rpcs.count == 3)
        #expect(actions.ihaves.map(\.1.topic) == topics)
        for rpc in rpcs {
            // Each part decodes under the same limits.
            #expect(try RPC.decode(rpc.encoded(), limits: limits) == rpc)
        }
    }

    @Test func smallControlStaysInOneRPC() {
        let rpc = RPC(subscriptions: [SubOpts(subscribe: true, topic: "a")],
                      control: ControlMessage(graft: [ControlGraft(topic: "a")], prune: [ControlPrune(topic: "b")]))
        #expect(Outbox<TestPeer>.split(rpc, limits: RPCLimits()) == [rpc])
    }
}
