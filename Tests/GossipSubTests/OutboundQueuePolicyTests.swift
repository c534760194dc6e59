import GossipSub
import Testing

@Suite struct OutboundQueuePolicyTests {
    static let topic = "t"
    static let id = MessageID([7])

    @Test func aMixedRPCIsSplitIntoItsClassesInServingOrder() {
        let control = ControlMessage(
            ihave: [ControlIHave(topic: Self.topic, messageIDs: [Self.id])], iwant: [ControlIWant(messageIDs: [Self.id])],
            graft: [ControlGraft(topic: Self.topic)], prune: [ControlPrune(topic: "u")],
            idontwant: [ControlIDontWant(messageIDs: [Self.id])], extensions: ControlExtensions(testExtension: true))
        let message = RawMessage(data: [1, 2, 3], topic: Self.topic)
        let rpc = RPC(subscriptions: [SubOpts(subscribe: true, topic: Self.topic)], publish: [message], control: control,
                      testExtension: true)
        let parts = OutboundQueuePolicy().placements(of: rpc, lane: .forward, now: .seconds(5))
        #expect(parts.map(\.lane) == [.subscription, .control, .gossip, .forward])
        // The Extensions message and the Test Extension's stay with the subscriptions, which go first.
        #expect(parts[0].rpc == RPC(subscriptions: rpc.subscriptions,
                                    control: ControlMessage(extensions: ControlExtensions(testExtension: true)),
                                    testExtension: true))
        #expect(parts[1].rpc == RPC(control: ControlMessage(graft: control.graft, prune: control.prune,
                                                            idontwant: control.idontwant)))
        #expect(parts[2].rpc == RPC(control: ControlMessage(ihave: control.ihave, iwant: control.iwant)))
        #expect(parts[3].rpc == RPC(publish: [message]))
        #expect(parts.map(\.deadline) == [nil, nil, nil, .seconds(6)])
    }

    @Test func anRPCOfOneClassIsItself() {
        let policy = OutboundQueuePolicy()
        let graft = RPC(control: ControlMessage(graft: [ControlGraft(topic: Self.topic)]))
        #expect(policy.placements(of: graft, lane: .forward, now: .zero) == [OutboundPlacement(rpc: graft, lane: .control)])
        let reply = RPC(publish: [RawMessage(data: [1], topic: Self.topic)])
        #expect(policy.placements(of: reply, lane: .reply, now: .zero) == [OutboundPlacement(rpc: reply, lane: .reply)])
    }

    @Test func withoutLanesEveryMessageIsAForwardButOnlyForwardsExpire() {
        let reply = RPC(publish: [RawMessage(data: [1], topic: Self.topic)])
        let policy = OutboundQueuePolicy(lanes: false, forwardExpiry: .seconds(1))
        #expect(policy.placements(of: reply, lane: .reply, now: .zero) == [OutboundPlacement(rpc: reply, lane: .forward)])
        #expect(policy.placements(of: reply, lane: .forward, now: .zero).first?.deadline == .seconds(1))
    }
}
