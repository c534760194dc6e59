import Testing
@testable import GossipSub

/// Holding back likely duplicates (`GossipSubConfig.Parameters.forwardHold`): a local choice of
/// the sender with plain v1.2 peers. Late in a message's spread a mesh peer still without it
/// gets its copy after the delay, unless it says IDONTWANT first or leaves.
@Suite struct ForwardHoldTests {
    /// Eight v1.2 mesh peers; copies held 100 ms with slope 2.
    static func router(_ edit: (inout GossipSubConfig.Parameters) -> Void = { _ in }) throws -> Router {
        try makeRouter(peers: 8) {
            $0.d = 8; $0.dLow = 6; $0.dHigh = 12
            $0.forwardHold.delay = .milliseconds(100)
            $0.forwardHold.spreadSlope = 2
            edit(&$0)
        }
    }

    static func dontWant(_ id: MessageID) -> RPC {
        RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [id])]))
    }

    /// Receives message `n` from `source`, `haveIt` saying IDONTWANT first, and validates it at
    /// 30 ms: returns the message's id and the peers its copy went to at once.
    static func forward(_ n: Int, size: Int = 20_000, from source: TestPeer, haveIt: [TestPeer],
                        in router: inout Router) -> (MessageID, [TestPeer]) {
        let raw = RawMessage(data: bytes(size, seed: UInt8(truncatingIfNeeded: n)), topic: topic)
        let id = contentID.id(of: raw)
        _ = router.rpcReceived(RPC(publish: [raw]), from: source, now: .zero)
        for peer in haveIt { _ = router.rpcReceived(dontWant(id), from: peer, now: .zero) }
        return (id, router.validationResult(id, .accept, now: .milliseconds(30)).messagesSent.map(\.0))
    }

    /// Four of the seven others had it (odds 2 × 4/7, at most 1): the three left wait 100 ms.
    /// One of them says IDONTWANT meanwhile and gets nothing; the other two get their copy when due.
    @Test func lateCopiesWaitAndGoUnlessThePeerGotItElsewhere() throws {
        var router = try Self.router()
        let mesh = router.meshPeers(topic)
        #expect(mesh.count == 8)
        let (id, atOnce) = Self.forward(1, from: mesh[0], haveIt: Array(mesh[1...4]), in: &router)
        #expect(atOnce.isEmpty)
        #expect(router.nextDeadline == .milliseconds(130))
        #expect(router.handleTimeout(now: .milliseconds(129)).messagesSent.isEmpty)
        _ = router.rpcReceived(Self.dontWant(id), from: mesh[5], now: .milliseconds(100))
        let due = router.handleTimeout(now: .milliseconds(130))
        #expect(Set(due.messagesSent.map(\.0)) == Set(mesh[6...7]))
        #expect(due.messagesSent.allSatisfy { $0.1.data == bytes(20_000, seed: 1) })
        #expect(router.heldForwardCounts == { var c = HeldForwardCounts(); c.held = 3; c.sent = 2; c.dropped = 1; return c }())
        #expect(router.nextDeadline == nil)
    }

    /// While only its source had it, every copy is a first copy and goes at once.
    @Test func firstCopiesGoAtOnce() throws {
        var router = try Self.router()
        let mesh = router.meshPeers(topic)
        let (_, atOnce) = Self.forward(2, from: mesh[0], haveIt: [], in: &router)
        #expect(Set(atOnce) == Set(mesh.dropFirst()))
        #expect(router.nextDeadline == nil && router.heldForwardCounts.held == 0)
    }

    /// A host that only runs heartbeats still sends held copies (at the next one); a peer that
    /// left meanwhile gets nothing.
    @Test func theHeartbeatSendsDueCopiesAndSkipsPeersThatLeft() throws {
        var router = try Self.router()
        let mesh = router.meshPeers(topic)
        _ = Self.forward(3, from: mesh[0], haveIt: Array(mesh[1...4]), in: &router)
        _ = router.peerDisconnected(mesh[6], now: .milliseconds(50))
        let sent = router.heartbeat(now: .seconds(1)).messagesSent.map(\.0)
        #expect(Set(sent) == [mesh[5], mesh[7]])
        #expect(router.heldForwardCounts.dropped == 1)
    }

    /// Messages below the IDONTWANT size threshold, which no peer would cancel, are never held;
    /// nor is anything with no delay, or beyond `maxHeld`.
    @Test func smallMessagesAndFullHoldsGoAtOnce() throws {
        var router = try Self.router()
        let mesh = router.meshPeers(topic)
        #expect(Self.forward(4, size: 500, from: mesh[0], haveIt: Array(mesh[1...4]), in: &router).1.count == 3)
        var off = try Self.router { $0.forwardHold.delay = .zero }
        #expect(Self.forward(5, from: mesh[0], haveIt: Array(mesh[1...4]), in: &off).1.count == 3)
        var small = try Self.router { $0.forwardHold.maxHeld = 2 }
        #expect(Self.forward(6, from: mesh[0], haveIt: Array(mesh[1...4]), in: &small).1.count == 1)
        #expect(small.heldForwardCounts.held == 2)
    }

    @Test func outOfRangeParametersAreRefused() {
        #expect(throws: GossipSubConfigError.self) { try Self.router { $0.forwardHold.delay = .milliseconds(-1) } }
        #expect(throws: GossipSubConfigError.self) { try Self.router { $0.forwardHold.spreadSlope = .nan } }
        #expect(throws: GossipSubConfigError.self) { try Self.router { $0.forwardHold.maxHeld = -1 } }
    }
}
