import GossipSub
import Testing
@testable import AztecP2P

/// A peer key for the wiring tests.
struct WirePeer: GossipPeerID, CustomStringConvertible {
    let n: UInt32
    init(_ n: UInt32) { self.n = n }
    var wireBytes: [UInt8] { withUnsafeBytes(of: n.bigEndian) { Array($0) } }
    static func < (a: WirePeer, b: WirePeer) -> Bool { a.n < b.n }
    var description: String { "p\(n)" }
}

/// The gossip port over the sans-IO GossipSub router, the way the facade wires it: subscribe,
/// unsubscribe and publish become router calls; the actions they return are collected.
actor RouterPort: TxGossipPort {
    var router: GossipSubRouter<WirePeer>
    var actions: [GossipSubAction<WirePeer>] = []
    let now: Duration = .seconds(1)

    init(router: GossipSubRouter<WirePeer>) { self.router = router }

    func subscribe(topic: String) async { actions += router.subscribe(topic, now: now) }
    func unsubscribe(topic: String) async { actions += router.unsubscribe(topic, now: now) }
    func publish(topic: String, data: [UInt8]) async -> Int {
        guard let (_, sent) = try? router.publish(topic: topic, data: data, now: now) else { return 0 }
        actions += sent
        return Set(sent.compactMap { if case .send(let peer, let rpc) = $0, !rpc.publish.isEmpty { peer } else { nil } }).count
    }
    func topicPeerCount(topic: String) async -> Int { router.subscribers(topic).count }

    /// Feeds `rpc` from `peer` into the router, validates each delivered message with the service
    /// and reports the verdict back, as the facade's receive loop does.
    func receive(_ rpc: RPC, from peer: WirePeer, service: AztecTxService) async -> [(MessageID, TxVerdict)] {
        var verdicts: [(MessageID, TxVerdict)] = []
        for action in router.rpcReceived(rpc, from: peer, now: now) {
            guard case .deliver(let message, _) = action else { actions.append(action); continue }
            let verdict = await service.handleGossip(message.data)
            actions += router.validationResult(message.id, verdict.gossipResult, now: now)
            verdicts.append((message.id, verdict))
        }
        return verdicts
    }

    func score(_ peer: WirePeer) -> Double { router.scoring.score(peer, now: now) }
    func forwarded(_ id: MessageID, topic: AztecTopic) -> [WirePeer] {
        actions.compactMap { action -> WirePeer? in
            guard case .send(let peer, let rpc) = action,
                  rpc.publish.contains(where: { topic.messageID(of: $0.data ?? []) == id }) else { return nil }
            return peer
        }
    }
}

@Suite struct GossipSubWiringTests {
    let topic = AztecTopic(aztecChainID: 1, messageVersion: 1)

    func makePort() throws -> RouterPort {
        var parameters = GossipSubConfig.Parameters(signaturePolicy: .strictNoSign)
        parameters.messageIDFunction = AztecTopic.messageIDFunction
        parameters.topicMaxMessageSize[topic.description] = TxLimits.default.maxMessageBytes
        var topicScore = TopicScoreParameters()
        topicScore.invalidMessageDeliveriesWeight = -10
        var scoreParameters = PeerScoreParameters()
        scoreParameters.topics[topic.description] = topicScore
        var router = GossipSubRouter<WirePeer>(config: try GossipSubConfig(validating: parameters), seed: 1,
                                               scoring: try PeerScore<WirePeer>(parameters: scoreParameters))
        for i in 1...6 {
            let peer = WirePeer(UInt32(i))
            _ = router.peerConnected(peer, protocol: .meshsub12, outbound: true, now: .zero)
            _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic.description)]), from: peer, now: .zero)
        }
        return RouterPort(router: router)
    }

    @Test func validTransactionIsForwardedAndInvalidOnePenalisesItsSender() async throws {
        let port = try makePort()
        let service = try AztecTxService(config: AztecTxServiceConfig(topic: topic), state: FixedState(),
                                         proofVerifier: FixedVerifier(), gossip: port, clock: ManualClock().function)
        await service.syncStatusChanged(synced: true)
        #expect(await port.router.isSubscribed(topic.description))

        let good = TestTx.make(nullifiers: [1])
        let goodData = TxWireCodec.encode(good)
        let delivered = await port.receive(RPC(publish: [RawMessage(data: goodData, topic: topic.description)]),
                                           from: WirePeer(1), service: service)
        #expect(delivered.count == 1)
        #expect(delivered.first?.0 == topic.messageID(of: goodData))
        #expect(delivered.first?.1.gossipResult == .accept)
        #expect(await service.transaction(good.hash) != nil)
        #expect(!(await port.forwarded(topic.messageID(of: goodData), topic: topic)).contains(WirePeer(1)))
        #expect(!(await port.forwarded(topic.messageID(of: goodData), topic: topic)).isEmpty)

        let bad = TxWireCodec.encode(TestTx.make(nullifiers: [2, 2]))
        let rejected = await port.receive(RPC(publish: [RawMessage(data: bad, topic: topic.description)]),
                                          from: WirePeer(2), service: service)
        #expect(rejected.first?.1 == .reject(.duplicateNullifier))
        #expect(await port.score(WirePeer(2)) < 0)
        #expect(await port.forwarded(topic.messageID(of: bad), topic: topic).isEmpty)
        #expect(await port.score(WirePeer(1)) >= 0)
    }

    @Test func submissionPublishesThroughTheRouter() async throws {
        let port = try makePort()
        let service = try AztecTxService(config: AztecTxServiceConfig(topic: topic), state: FixedState(),
                                         proofVerifier: FixedVerifier(), gossip: port, clock: ManualClock().function)
        await service.syncStatusChanged(synced: true)
        let tx = TestTx.make(nullifiers: [3])
        #expect(try await service.submit(ssz: tx.sszEncoded()) == tx.hash)
        #expect(await port.forwarded(topic.messageID(of: TxWireCodec.encode(tx)), topic: topic).count >= 4)
    }
}
