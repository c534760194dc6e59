import Testing
@testable import GossipSub

@Suite struct IDontWantTests {
    @Test func largeMessageTriggersIDontWantToV12MeshPeersBeforeDelivery() throws {
        var router = try makeRouter(peers: 10, protocol: .meshsub12)
        let source = router.meshPeers(topic)[0]
        let raw = RawMessage(data: bytes(1024), topic: topic)
        let actions = router.rpcReceived(RPC(publish: [raw]), from: source, now: .zero)
        let expectedTargets = router.meshPeers(topic).filter { $0 != source }
        #expect(actions.idontwants.map(\.0) == expectedTargets)
        let id = contentID.id(of: raw)
        #expect(actions.idontwants.allSatisfy { $0.1 == [id] })
        // Control goes out before the message reaches the application.
        let firstDeliver = try #require(actions.firstIndex { if case .deliver = $0 { true } else { false } })
        let lastSend = try #require(actions.lastIndex { if case .send = $0 { true } else { false } })
        #expect(lastSend < firstDeliver)
        // Not forwarded yet.
        #expect(actions.messagesSent.isEmpty)
    }

    /// With `idontwantOnPublish`, an own large message is announced with IDONTWANT to every
    /// v1.2 peer it goes to, in the same RPC ahead of it; small messages, v1.1 peers and the
    /// default get none.
    @Test func publishingAnnouncesIDontWantWhenAsked() throws {
        var router = try makeRouter(peers: 10, protocol: .meshsub12) { $0.idontwantOnPublish = true }
        let (id, actions) = try router.publish(topic: topic, data: bytes(2000), now: .zero)
        let targets = actions.messagesSent.map(\.0)
        #expect(!targets.isEmpty)
        #expect(Set(actions.idontwants.map(\.0)) == Set(targets).union(router.meshPeers(topic)))
        #expect(actions.idontwants.allSatisfy { $0.1 == [id] })
        for peer in targets { #expect(actions.rpcs(to: peer).first?.control?.idontwant.isEmpty == false) }
        let (_, small) = try router.publish(topic: topic, data: bytes(500), now: .zero)
        #expect(small.idontwants.isEmpty)
        var old = try makeRouter(peers: 10, protocol: .meshsub11) { $0.idontwantOnPublish = true }
        #expect(try old.publish(topic: topic, data: bytes(2000), now: .zero).actions.idontwants.isEmpty)
        var plain = try makeRouter(peers: 10, protocol: .meshsub12)
        #expect(try plain.publish(topic: topic, data: bytes(2000), now: .zero).actions.idontwants.isEmpty)
    }

    @Test func smallMessagesAndOlderPeersGetNoIDontWant() throws {
        var router = try makeRouter(peers: 10, protocol: .meshsub12)
        let small = router.rpcReceived(RPC(publish: [RawMessage(data: bytes(1023), topic: topic)]), from: TestPeer(1), now: .zero)
        #expect(small.idontwants.isEmpty)
        var old = try makeRouter(peers: 10, protocol: .meshsub11)
        let big = old.rpcReceived(RPC(publish: [RawMessage(data: bytes(5000), topic: topic)]), from: TestPeer(1), now: .zero)
        #expect(big.idontwants.isEmpty)
    }

    @Test func duplicateDoesNotRepeatIDontWant() throws {
        var router = try makeRouter(peers: 10)
        let raw = RawMessage(data: bytes(2000), topic: topic)
        _ = router.rpcReceived(RPC(publish: [raw]), from: TestPeer(1), now: .zero)
        let again = router.rpcReceived(RPC(publish: [raw]), from: TestPeer(2), now: .zero)
        #expect(again.isEmpty)
    }

    @Test func neverForwardsToAPeerThatSaidIDontWant() throws {
        var router = try makeRouter(peers: 10)
        let mesh = router.meshPeers(topic)
        let raw = RawMessage(data: bytes(2000), topic: topic)
        let id = contentID.id(of: raw)
        _ = router.rpcReceived(RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [id])])), from: mesh[1], now: .zero)
        _ = router.rpcReceived(RPC(publish: [raw]), from: mesh[0], now: .zero)
        let forwarded = router.validationResult(id, .accept, now: .zero)
        #expect(forwarded.messagesSent.map(\.0) == Array(mesh[2...]))
        // Nor through IWANT.
        let iwant = router.rpcReceived(RPC(control: ControlMessage(iwant: [ControlIWant(messageIDs: [id])])), from: mesh[1], now: .zero)
        #expect(iwant.messagesSent.isEmpty)
    }

    @Test func ownPublishStillSkipsIDontWantPeersOnIWant() throws {
        var router = try makeRouter(peers: 4)
        let id = try router.publish(topic: topic, data: bytes(3000), now: .zero).id
        _ = router.rpcReceived(RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [id])])), from: TestPeer(1), now: .zero)
        let iwant = router.rpcReceived(RPC(control: ControlMessage(iwant: [ControlIWant(messageIDs: [id])])), from: TestPeer(1), now: .zero)
        #expect(iwant.messagesSent.isEmpty)
    }

    @Test func idontwantExpiresAfterThreeHeartbeats() throws {
        var router = try makeRouter(peers: 4)
        let id = try router.publish(topic: topic, data: bytes(3000), now: .zero).id
        _ = router.rpcReceived(RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [id])])), from: TestPeer(1), now: .zero)
        for beat in 1...3 { _ = router.heartbeat(now: .seconds(Int64(beat))) }
        let iwant = router.rpcReceived(RPC(control: ControlMessage(iwant: [ControlIWant(messageIDs: [id])])), from: TestPeer(1), now: .seconds(3))
        #expect(iwant.messagesSent.count == 1)
    }

    @Test func idontwantFromV11PeerIsIgnoredAndFloodIsCapped() throws {
        var old = try makeRouter(peers: 2, protocol: .meshsub11)
        let id = try old.publish(topic: topic, data: [1], now: .zero).id
        _ = old.rpcReceived(RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [id])])), from: TestPeer(1), now: .zero)
        #expect(!old.dontWant.contains(TestPeer(1), id: id))

        var router = try makeRouter(peers: 2) { $0.maxIDontWantMessages = 5 }
        let ids = (0..<20).map { MessageID([UInt8($0)]) }
        _ = router.rpcReceived(RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: ids)])), from: TestPeer(1), now: .zero)
        #expect(router.dontWant.count(TestPeer(1)) == 5)
    }
}
