import Testing
@testable import GossipSub

@Suite struct OutboxTests {
    /// Entries for several peers, interleaved, come out as one control RPC per peer in peer
    /// order, each peer's entries in the order they were added (IWANT and IDONTWANT ids merged
    /// into one entry), then message RPCs by peer, then local actions in order.
    @Test func groupsByPeerKeepingEachPeersOrder() {
        let (p1, p2, p3) = (TestPeer(1), TestPeer(2), TestPeer(3))
        let (a, b, c) = (MessageID([1]), MessageID([2]), MessageID([3]))
        let raw = RawMessage(data: [7], topic: "t")
        var out = Outbox<TestPeer>()
        out.message(p3, raw)
        out.ihave(p2, ControlIHave(topic: "x", messageIDs: [a]))
        out.subscription(p1, SubOpts(subscribe: true, topic: "t"))
        out.event(.grafted(p2, topic: "t"))
        out.iwant(p2, [a, b])
        out.graft(p1, topic: "t")
        out.ihave(p2, ControlIHave(topic: "y", messageIDs: [b]))
        out.iwant(p2, [c])
        out.idontwant(p1, a)
        out.message(p1, raw)
        out.idontwant(p1, b)
        out.prune(p1, ControlPrune(topic: "u"))
        out.event(.pruned(p1, topic: "u"))

        let expected: [GossipSubAction<TestPeer>] = [
            .send(to: p1, rpc: RPC(subscriptions: [SubOpts(subscribe: true, topic: "t")], control: ControlMessage(
                graft: [ControlGraft(topic: "t")], prune: [ControlPrune(topic: "u")],
                idontwant: [ControlIDontWant(messageIDs: [a, b])]))),
            .send(to: p2, rpc: RPC(control: ControlMessage(
                ihave: [ControlIHave(topic: "x", messageIDs: [a]), ControlIHave(topic: "y", messageIDs: [b])],
                iwant: [ControlIWant(messageIDs: [a, b, c])]))),
            .send(to: p1, rpc: RPC(publish: [raw])),
            .send(to: p3, rpc: RPC(publish: [raw])),
            .event(.grafted(p2, topic: "t")),
            .event(.pruned(p1, topic: "u")),
        ]
        #expect(out.actions(limits: RPCLimits()) == expected)
        #expect(Outbox<TestPeer>().actions(limits: RPCLimits()).isEmpty)
    }
}
