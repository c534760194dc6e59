import Testing
@testable import GossipSub

/// Lazy mesh push (IANNOUNCE / INEED, the gossipsub v2.0 draft as a v1.3 extension): ids instead
/// of some forwards, only between peers that both advertised it; one INEED per message at a time,
/// the next announcer asked when the first does not answer.
@Suite struct AnnounceTests {
    static let raw = RawMessage(data: bytes(20_000), topic: topic)
    static let id = contentID.id(of: raw)

    /// A router whose `count` v1.3 peers advertised lazy push (and `plain` more that did not).
    static func router(peers count: Int = 8, plain: Int = 0, advertise: Bool = true,
                       _ edit: (inout GossipSubConfig.Parameters) -> Void = { _ in }) throws -> Router {
        try makeExtensionRouter(peers: count, plain: plain, extensions: ControlExtensions(announce: true),
                                advertised: ControlExtensions(announce: advertise), edit)
    }

    static func announcement(_ id: MessageID = id) -> RPC {
        RPC(announceExtension: AnnounceExtension(announcements: [IAnnounce(topic: topic, messageID: id)]))
    }

    static func announced(_ actions: [Action]) -> [TestPeer] {
        actions.sends.filter { !($0.1.announceExtension?.announcements.isEmpty ?? true) }.map(\.0)
    }

    /// With dAnnounce 4 of D 8, each mesh peer that uses the extension gets the id instead with
    /// probability 1/2; every other mesh peer the message. Each gets exactly one of the two.
    @Test func aForwardGoesAsAnIDToAShareOfTheMesh() throws {
        var router = try Self.router(peers: 8, plain: 4)
        let mesh = router.meshPeers(topic)
        let source = mesh[0]
        var (lazyCount, eagerToUsers) = (0, 0)
        for n in 0..<10 {
            let raw = RawMessage(data: bytes(20_000, seed: UInt8(n + 10)), topic: topic)
            let id = contentID.id(of: raw)
            _ = router.rpcReceived(RPC(publish: [raw]), from: source, now: .zero)
            let out = router.validationResult(id, .accept, now: .milliseconds(30))
            let whole = out.messagesSent.map(\.0)
            let ids = Self.announced(out)
            #expect(Set(whole).isDisjoint(with: ids))
            #expect(Set(whole + ids) == Set(mesh).subtracting([source]))
            #expect(ids.allSatisfy { router.usesAnnounce(with: $0) })
            lazyCount += ids.count
            eagerToUsers += whole.filter { router.usesAnnounce(with: $0) }.count
        }
        // About half of the extension's users' copies each way (binomial, n ≈ 50).
        #expect(lazyCount > 10 && eagerToUsers > 10, "\(lazyCount) announced, \(eagerToUsers) sent whole")
    }

    /// With `.nearest` the ids go to the nearest recipients by round-trip time, as many as
    /// the coin tosses give on average (here 7 recipients × 4 / 8 = 3.5: three or four); a peer
    /// whose round trip is unknown counts as farthest.
    @Test func theNearestMeshPeersGetTheIDs() throws {
        var router = try Self.router(peers: 8) { $0.announce.choice = .nearest }
        let mesh = router.meshPeers(topic)
        #expect(mesh.count == 8)
        let source = mesh[0], unknown = mesh[1]
        // Round trips 10, 20, … ms in reverse peer order, so nearness is not the peers' order.
        let measured = mesh.dropFirst(2).reversed()
        for (rank, peer) in measured.enumerated() { router.roundTripMeasured(.milliseconds(10 * (rank + 1)), to: peer) }
        let nearestFirst = Array(measured)
        var counts = Set<Int>()
        for n in 0..<20 {
            let raw = RawMessage(data: bytes(20_000, seed: UInt8(n + 10)), topic: topic)
            _ = router.rpcReceived(RPC(publish: [raw]), from: source, now: .zero)
            let out = router.validationResult(contentID.id(of: raw), .accept, now: .milliseconds(30))
            let ids = Self.announced(out)
            #expect(Set(ids) == Set(nearestFirst.prefix(ids.count)), "\(ids) are not the nearest")
            #expect(Set(out.messagesSent.map(\.0) + ids) == Set(mesh).subtracting([source]))
            #expect(!ids.contains(unknown))
            counts.insert(ids.count)
        }
        #expect(counts == [3, 4])
    }

    /// With `bodiesBeyondRoundTrip` mesh peers that far away get every forward whole, however
    /// far the message has spread; nearer ones and those whose round trip is unknown still get ids.
    @Test func farMeshPeersAlwaysGetBodies() throws {
        var router = try Self.router(peers: 8) {
            $0.announce.spreadSlope = 100
            $0.announce.bodiesBeyondRoundTrip = .milliseconds(200)
        }
        #expect(router.wantsRoundTrips)
        let mesh = router.meshPeers(topic)
        let source = mesh[0], far = [mesh[2], mesh[5]], near = [mesh[3], mesh[4]]
        for peer in far { router.roundTripMeasured(.milliseconds(200), to: peer) }
        for peer in near { router.roundTripMeasured(.milliseconds(199), to: peer) }
        var announced = Set<TestPeer>()
        for n in 0..<10 {
            // One mesh peer had it already: with slope 100 every other eligible peer gets the id.
            let ids = Self.forward(n, from: source, haveIt: [mesh[1]], in: &router)
            #expect(far.allSatisfy { !ids.contains($0) }, "\(ids)")
            announced.formUnion(ids)
        }
        #expect(announced == Set(near + [mesh[6], mesh[7]]))
    }

    /// A message forwarded to the mesh: `haveIt` said IDONTWANT first; returns the peers that
    /// got the id.
    static func forward(_ n: Int, from source: TestPeer, haveIt: [TestPeer] = [], in router: inout Router) -> [TestPeer] {
        let raw = RawMessage(data: bytes(20_000, seed: UInt8(truncatingIfNeeded: n + 40)), topic: topic)
        let id = contentID.id(of: raw)
        _ = router.rpcReceived(RPC(publish: [raw]), from: source, now: .zero)
        for peer in haveIt {
            _ = router.rpcReceived(RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [id])])), from: peer, now: .zero)
        }
        return announced(router.validationResult(id, .accept, now: .milliseconds(30)))
    }

    /// With `spreadSlope` 2 the odds of an id are twice the share of the mesh (the source apart)
    /// that had the message: none when only its source had it, all when four of seven others did.
    @Test func theShareOfIDsGrowsWithTheMessagesSpread() throws {
        var router = try Self.router(peers: 8) { $0.announce.spreadSlope = 2 }
        let mesh = router.meshPeers(topic)
        var (early, middle, late) = (0, 0, 0)
        for n in 0..<30 {
            early += Self.forward(3 * n, from: mesh[0], in: &router).count
            middle += Self.forward(3 * n + 1, from: mesh[0], haveIt: Array(mesh[1...2]), in: &router).count
            late += Self.forward(3 * n + 2, from: mesh[0], haveIt: Array(mesh[1...4]), in: &router).count
        }
        // Odds 0 of 7 copies, 4/7 of 5, 7/7 of 3.
        #expect(early == 0 && late == 90)
        #expect(middle > 50 && middle < 120, "\(middle) of 150")
        #expect(throws: GossipSubConfigError.self) { try Self.router { $0.announce.spreadSlope = .nan } }
    }

    /// With `claimsPerCopy` an IDONTWANT counts toward the spread only while its sender holds
    /// credit from copies it delivered: claims from peers that sent nothing change no copy into
    /// an id; after one copy each, two forwards count their claims, the third does not.
    @Test func claimsCountOnlyAsFarAsTheClaimantsDeliver() throws {
        var router = try Self.router(peers: 8) {
            $0.announce.spreadSlope = 7
            $0.announce.claimsPerCopy = 2
        }
        let mesh = router.meshPeers(topic)
        let claimants = Array(mesh[1...4])
        #expect(Self.forward(0, from: mesh[0], haveIt: claimants, in: &router).isEmpty)
        let copy = RawMessage(data: bytes(20_000, seed: 40), topic: topic)
        for peer in claimants { _ = router.rpcReceived(RPC(publish: [copy]), from: peer, now: .milliseconds(40)) }
        // Four counted claims of seven others, slope 7: each of the three left gets the id.
        #expect(Self.forward(1, from: mesh[0], haveIt: claimants, in: &router).count == 3)
        #expect(Self.forward(2, from: mesh[0], haveIt: claimants, in: &router).count == 3)
        #expect(Self.forward(3, from: mesh[0], haveIt: claimants, in: &router).isEmpty)
        // Credit stops at four copies' worth: ten copies buy eight counted claims.
        for _ in 0..<10 { _ = router.rpcReceived(RPC(publish: [copy]), from: mesh[1], now: .milliseconds(50)) }
        let counted = (4..<14).map { Self.forward($0, from: mesh[0], haveIt: [mesh[1]], in: &router).count }
        #expect(counted == Array(repeating: 6, count: 8) + [0, 0], "\(counted)")
        #expect(throws: GossipSubConfigError.self) { try Self.router { $0.announce.claimsPerCopy = -1 } }
    }

    /// With `.earliest` the ids go to the peers that most often had a message already.
    @Test func peersThatUsuallyHaveTheMessageGetTheIDs() throws {
        var router = try Self.router(peers: 8) { $0.announce.choice = .earliest }
        let mesh = router.meshPeers(topic)
        let upstream = Array(mesh[5...7])
        for n in 0..<10 { _ = Self.forward(n, from: mesh[0], haveIt: upstream, in: &router) }
        for n in 10..<20 {
            // 7 recipients × 4 / 8: three or four ids, the three upstream peers first.
            let ids = Self.forward(n, from: mesh[0], in: &router)
            #expect(Set(ids).isSuperset(of: upstream), "\(ids)")
        }
    }

    @Test func ownPublicationsAndPeersWithoutTheExtensionGetWholeMessages() throws {
        var router = try Self.router(peers: 8)
        let (_, published) = try router.publish(topic: topic, data: bytes(20_000, seed: 3), now: .zero)
        #expect(Self.announced(published).isEmpty)
        var plain = try Self.router(peers: 0, plain: 8)
        _ = plain.rpcReceived(RPC(publish: [Self.raw]), from: plain.meshPeers(topic)[0], now: .zero)
        #expect(Self.announced(plain.validationResult(Self.id, .accept, now: .zero)).isEmpty)
        // Nobody announces with dAnnounce 0.
        var eager = try Self.router(peers: 8) { $0.announce.dAnnounce = 0 }
        _ = eager.rpcReceived(RPC(publish: [Self.raw]), from: eager.meshPeers(topic)[0], now: .zero)
        #expect(Self.announced(eager.validationResult(Self.id, .accept, now: .zero)).isEmpty)
    }

    /// The first announcer is asked at once; later ones wait; the message ends the wait; an
    /// announcement of a message we have is ignored.
    @Test func theFirstAnnouncerIsAskedAndTheOthersWait() throws {
        var router = try Self.router()
        let (a, b) = (TestPeer(1), TestPeer(2))
        let first = router.rpcReceived(Self.announcement(), from: a, now: .zero)
        #expect(first.sends.map(\.0) == [a])
        #expect(first.sends.first?.1.announceExtension?.needs == [INeed(messageID: Self.id)])
        #expect(router.rpcReceived(Self.announcement(), from: b, now: .milliseconds(10)).isEmpty)
        #expect(router.announcedMessagesAwaited == 1)
        let got = router.rpcReceived(RPC(publish: [Self.raw]), from: a, now: .milliseconds(100))
        #expect(got.deliveries.count == 1)
        #expect(router.announcedMessagesAwaited == 0)
        #expect(router.rpcReceived(Self.announcement(), from: TestPeer(3), now: .milliseconds(200)).isEmpty)
        // No IWANT while an INEED is outstanding for the id.
        var waiting = try Self.router(peers: 14)
        let outsider = try #require(waiting.connectedPeers.first { !waiting.meshPeers(topic).contains($0) })
        _ = waiting.rpcReceived(Self.announcement(), from: waiting.meshPeers(topic)[0], now: .zero)
        let ihave = RPC(control: ControlMessage(ihave: [ControlIHave(topic: topic, messageIDs: [Self.id])]))
        #expect(waiting.rpcReceived(ihave, from: outsider, now: .milliseconds(10)).iwants.isEmpty)
    }

    static func needs(_ actions: [Action], _ id: MessageID = id) -> [TestPeer] {
        actions.sends.filter { $0.1.announceExtension?.needs.contains(INeed(messageID: id)) == true }.map(\.0)
    }

    static func brokenPromises(_ actions: [Action]) -> [TestPeer] {
        actions.compactMap { if case .event(.penalised(let peer, .unansweredNeed, _)) = $0 { peer } else { nil } }
    }

    /// An INEED unanswered at its deadline (the router's ``GossipSubRouter/nextDeadline``) goes
    /// to the next announcer still connected, and the silent one owes the message. With nobody
    /// left, the id is forgotten; as the message reaches the node from nobody, the debts are
    /// judged `maxDebtWait` (5 s here) after their timeouts. A host that only runs heartbeats
    /// gets the same at the next one.
    @Test func anUnansweredINeedGoesToTheNextAnnouncer() throws {
        var router = try Self.router { $0.announce.maxDebtWait = .seconds(5) }
        let (a, b, c) = (TestPeer(1), TestPeer(2), TestPeer(3))
        #expect(router.nextDeadline == nil)
        _ = router.rpcReceived(Self.announcement(), from: a, now: .zero)
        _ = router.rpcReceived(Self.announcement(), from: b, now: .milliseconds(10))
        _ = router.rpcReceived(Self.announcement(), from: c, now: .milliseconds(20))
        _ = router.peerDisconnected(b, now: .milliseconds(100))
        #expect(router.nextDeadline == .milliseconds(400))
        #expect(router.handleTimeout(now: .milliseconds(399)).isEmpty)
        let retry = router.handleTimeout(now: .milliseconds(400))
        #expect(Self.needs(retry) == [c])
        #expect(Self.brokenPromises(retry).isEmpty)
        #expect(router.nextDeadline == .milliseconds(800))
        let last = router.heartbeat(now: .milliseconds(1000))
        #expect(Self.brokenPromises(last).isEmpty && Self.needs(last).isEmpty)
        #expect(router.announcedMessagesAwaited == 0 && router.nextDeadline == nil)
        // a's debt is first looked at 3.4 s after its 0.4 s timeout, c's (timed out at the 1 s
        // heartbeat) at 4 s; neither message has arrived, so each waits another follow-up time
        // until 5 s have passed since its timeout.
        #expect(Self.brokenPromises(router.heartbeat(now: .milliseconds(3400))).isEmpty)
        #expect(Self.brokenPromises(router.heartbeat(now: .seconds(4))).isEmpty)
        #expect(Self.brokenPromises(router.heartbeat(now: .milliseconds(6399))).isEmpty)
        #expect(Self.brokenPromises(router.heartbeat(now: .milliseconds(6400))) == [a])
        #expect(Self.brokenPromises(router.heartbeat(now: .seconds(7))) == [c])
        #expect(Self.brokenPromises(router.heartbeat(now: .seconds(40))).isEmpty)

        var quiet = try Self.router { $0.announce.penaliseUnansweredNeeds = false }
        _ = quiet.rpcReceived(Self.announcement(), from: a, now: .zero)
        _ = quiet.rpcReceived(Self.announcement(), from: c, now: .zero)
        let heartbeat = quiet.heartbeat(now: .seconds(1))
        #expect(Self.needs(heartbeat) == [c] && Self.brokenPromises(heartbeat).isEmpty)
    }

    /// The message arriving from another peer before the deadline voids the INEED: the asked
    /// peer is not penalised, and nothing more is asked.
    @Test func aMessageFromElsewhereVoidsTheINeed() throws {
        var router = try Self.router()
        let (a, b) = (TestPeer(1), TestPeer(2))
        _ = router.rpcReceived(Self.announcement(), from: a, now: .zero)
        _ = router.rpcReceived(Self.announcement(), from: b, now: .zero)
        _ = router.rpcReceived(RPC(publish: [Self.raw]), from: TestPeer(3), now: .milliseconds(200))
        #expect(router.nextDeadline == nil)
        let later = router.handleTimeout(now: .seconds(1)) + router.heartbeat(now: .seconds(1))
        #expect(Self.needs(later).isEmpty && Self.brokenPromises(later).isEmpty)
    }

    /// A late answer is no offence: the peer that let the INEED time out is sent no IDONTWANT
    /// when the message arrives from the next announcer (that would cancel the copy it owes),
    /// its copy within the follow-up time settles the debt, and it counts as an answer, so the
    /// peer stays first to ask.
    @Test func aLateAnswerSettlesTheDebt() throws {
        var router = try Self.router()
        let (slow, next, silent) = (TestPeer(1), TestPeer(2), TestPeer(3))
        #expect(router.meshPeers(topic).contains(slow) && router.meshPeers(topic).contains(silent))
        _ = router.rpcReceived(Self.announcement(), from: slow, now: .zero)
        _ = router.rpcReceived(Self.announcement(), from: next, now: .milliseconds(5))
        #expect(Self.needs(router.handleTimeout(now: .milliseconds(400))) == [next])
        let arrival = router.rpcReceived(RPC(publish: [Self.raw]), from: next, now: .milliseconds(500))
        let toldNotToSend = arrival.sends.filter { !($0.1.control?.idontwant.isEmpty ?? true) }.map(\.0)
        #expect(!toldNotToSend.isEmpty && !toldNotToSend.contains(slow) && toldNotToSend.contains(silent))
        _ = router.rpcReceived(RPC(publish: [Self.raw]), from: slow, now: .milliseconds(900))
        #expect(Self.brokenPromises(router.heartbeat(now: .seconds(5))).isEmpty)

        // One INEED let time out, then made good: not unreliable, so asked first again.
        let other = RawMessage(data: bytes(20_000, seed: 77), topic: topic)
        let otherID = contentID.id(of: other)
        #expect(Self.needs(router.rpcReceived(Self.announcement(otherID), from: slow, now: .seconds(6)), otherID) == [slow])
    }

    /// A node whose own link is saturated receives every copy late: a debt is judged the
    /// follow-up time (3 s) after the message reached the node from anyone, not before, so the
    /// debtor's copy that comes in right behind the others settles it; a debtor that never sends
    /// it is penalised then.
    @Test func aDebtIsJudgedTheFollowUpTimeAfterTheMessageArrived() throws {
        var router = try Self.router()
        let (slow, silent, next) = (TestPeer(1), TestPeer(2), TestPeer(3))
        let other = RawMessage(data: bytes(20_000, seed: 91), topic: topic)
        let otherID = contentID.id(of: other)
        // Two messages, each announced by one peer and then by `next`; both INEEDs time out.
        _ = router.rpcReceived(Self.announcement(), from: slow, now: .zero)
        _ = router.rpcReceived(Self.announcement(otherID), from: silent, now: .zero)
        _ = router.rpcReceived(Self.announcement(), from: next, now: .milliseconds(5))
        _ = router.rpcReceived(Self.announcement(otherID), from: next, now: .milliseconds(5))
        _ = router.handleTimeout(now: .milliseconds(400))
        // Nothing arrives for a long while (the node's downlink is full): no penalty at 3.4 s.
        #expect(Self.brokenPromises(router.heartbeat(now: .milliseconds(3400))).isEmpty)
        // Both messages come in from `next` at 8 s; the debtors have until 11 s.
        _ = router.rpcReceived(RPC(publish: [Self.raw, other]), from: next, now: .seconds(8))
        #expect(Self.brokenPromises(router.heartbeat(now: .milliseconds(10_999))).isEmpty)
        _ = router.rpcReceived(RPC(publish: [Self.raw]), from: slow, now: .seconds(10))
        #expect(Self.brokenPromises(router.heartbeat(now: .seconds(11))) == [silent])
        #expect(Self.brokenPromises(router.heartbeat(now: .seconds(40))).isEmpty)
    }

    /// A debtor that delivers other messages after its INEED timed out is busy, not silent (its
    /// copy waits behind them in its queue to this node): its unpaid debt goes unpenalised, while
    /// a debtor that delivered nothing is penalised. Both now count as unreliable.
    @Test func aDebtorThatKeepsDeliveringIsBusyNotSilent() throws {
        var router = try Self.router()
        let (busy, silent, next) = (TestPeer(1), TestPeer(2), TestPeer(3))
        let owedByBusy = RawMessage(data: bytes(20_000, seed: 61), topic: topic)
        let owedBySilent = RawMessage(data: bytes(20_000, seed: 62), topic: topic)
        let delivered = RawMessage(data: bytes(20_000, seed: 63), topic: topic)
        _ = router.rpcReceived(Self.announcement(contentID.id(of: owedByBusy)), from: busy, now: .zero)
        _ = router.rpcReceived(Self.announcement(contentID.id(of: owedBySilent)), from: silent, now: .zero)
        _ = router.handleTimeout(now: .milliseconds(400))
        _ = router.rpcReceived(RPC(publish: [delivered]), from: busy, now: .seconds(1))
        _ = router.rpcReceived(RPC(publish: [owedByBusy, owedBySilent]), from: next, now: .seconds(2))
        #expect(Self.brokenPromises(router.heartbeat(now: .seconds(5))) == [silent])
        let laterID = contentID.id(of: RawMessage(data: bytes(20_000, seed: 64), topic: topic))
        _ = router.rpcReceived(Self.announcement(laterID), from: busy, now: .seconds(6))
        #expect(Self.needs(router.rpcReceived(Self.announcement(laterID), from: next, now: .seconds(6)), laterID) == [next])
    }

    /// With PREAMBLE on as well, a preamble from another mesh peer brings IMRECEIVING to every
    /// other mesh peer but the debtor: IMRECEIVING would make it hold back the copy it owes.
    @Test func aDebtorIsSentNoIMReceiving() throws {
        let both = ControlExtensions(preamble: true, announce: true)
        var router = try makeExtensionRouter(peers: 8, plain: 0, extensions: both, advertised: both)
        let mesh = router.meshPeers(topic)
        let (debtor, sender) = (mesh[0], mesh[1])
        _ = router.rpcReceived(Self.announcement(), from: debtor, now: .zero)
        _ = router.handleTimeout(now: .milliseconds(400))   // nobody else announced: the debt stands
        let preamble = RPC(preambleExtension: PreambleExtension(preambles: [
            Preamble(topic: topic, messageID: Self.id, messageLength: UInt32(Self.raw.data?.count ?? 0))]))
        let told = router.rpcReceived(preamble, from: sender, now: .milliseconds(500)).sends
            .filter { $0.1.preambleExtension?.imReceiving.isEmpty == false }.map(\.0)
        #expect(Set(told) == Set(mesh).subtracting([debtor, sender]))
    }

    /// A peer that let more INEEDs time out than it answered is asked only when no other
    /// announcer is left: a reliable announcer after it is asked at once, and when it is the
    /// only one it is asked at the deadline. A peer that answers stays first.
    @Test func aPeerThatLetsINeedsTimeOutIsAskedLast() throws {
        var router = try Self.router()
        let (silent, good, other) = (TestPeer(1), TestPeer(2), TestPeer(3))
        let messages = (0..<4).map { RawMessage(data: bytes(20_000, seed: UInt8(40 + $0)), topic: topic) }
        let ids = messages.map { contentID.id(of: $0) }
        // Message 0: the silent peer is asked first and lets the INEED time out; `good` answers.
        _ = router.rpcReceived(Self.announcement(ids[0]), from: silent, now: .zero)
        _ = router.rpcReceived(Self.announcement(ids[0]), from: good, now: .milliseconds(5))
        #expect(Self.needs(router.handleTimeout(now: .milliseconds(400)), ids[0]) == [good])
        _ = router.rpcReceived(RPC(publish: [messages[0]]), from: good, now: .milliseconds(450))

        // Message 1: the silent peer announces first and is not asked; `good` is, at once.
        #expect(router.rpcReceived(Self.announcement(ids[1]), from: silent, now: .seconds(1)).isEmpty)
        #expect(Self.needs(router.rpcReceived(Self.announcement(ids[1]), from: good, now: .milliseconds(1010)), ids[1]) == [good])
        #expect(Self.needs(router.handleTimeout(now: .milliseconds(1410)), ids[1]) == [silent])
        _ = router.rpcReceived(RPC(publish: [messages[1]]), from: good, now: .milliseconds(1500))

        // Message 2: only the silent peer announces; it is asked when the deadline passes.
        #expect(router.rpcReceived(Self.announcement(ids[2]), from: silent, now: .seconds(2)).isEmpty)
        #expect(router.nextDeadline == .milliseconds(2400))
        let fallback = router.handleTimeout(now: .milliseconds(2400))
        #expect(Self.needs(fallback, ids[2]) == [silent] && Self.brokenPromises(fallback).isEmpty)

        // Message 3: a peer with a record of answers is asked first, even before others announce.
        #expect(Self.needs(router.rpcReceived(Self.announcement(ids[3]), from: good, now: .seconds(3)), ids[3]) == [good])
        #expect(router.rpcReceived(Self.announcement(ids[3]), from: other, now: .milliseconds(3010)).isEmpty)
    }

    /// With a ceiling the INEED timeout follows the answers: twice their median delay, late
    /// answers (which settle a debt) included, between the fixed timeout and the ceiling. Without
    /// one it stays fixed.
    @Test func theTimeoutFollowsHowLongAnswersTake() throws {
        let messages = (0..<4).map { RawMessage(data: bytes(20_000, seed: UInt8(60 + $0)), topic: topic) }
        let ids = messages.map { contentID.id(of: $0) }
        let (asked, other) = (TestPeer(1), TestPeer(2))
        // Three messages each answered `delay` after the INEED, a heartbeat, then how long the
        // fourth's INEED is given.
        func timeout(answersAfter delay: Duration, ceiling: Duration?) throws -> Duration? {
            var router = try Self.router { $0.announce.ineedTimeoutCeiling = ceiling }
            for i in 0..<3 {
                let start = Duration.seconds(2 * i)
                #expect(Self.needs(router.rpcReceived(Self.announcement(ids[i]), from: asked, now: start), ids[i]) == [asked])
                if delay > .milliseconds(400) { _ = router.handleTimeout(now: start + .milliseconds(400)) }
                _ = router.rpcReceived(RPC(publish: [messages[i]]), from: asked, now: start + delay)
            }
            _ = router.heartbeat(now: .seconds(6))
            #expect(Self.needs(router.rpcReceived(Self.announcement(ids[3]), from: asked, now: .seconds(7)), ids[3]) == [asked])
            _ = router.rpcReceived(Self.announcement(ids[3]), from: other, now: .seconds(7))
            return router.nextDeadline.map { $0 - .seconds(7) }
        }
        #expect(try timeout(answersAfter: .milliseconds(1200), ceiling: .seconds(3)) == .milliseconds(2400))
        #expect(try timeout(answersAfter: .seconds(2), ceiling: .seconds(3)) == .seconds(3))
        #expect(try timeout(answersAfter: .milliseconds(50), ceiling: .seconds(3)) == .milliseconds(400))
        #expect(try timeout(answersAfter: .milliseconds(1200), ceiling: nil) == .milliseconds(400))
    }

    /// A timeout that shrank puts the new deadline before the ones already waiting, and the
    /// earliest is handled first.
    @Test func deadlinesStayInOrderWhenTheTimeoutShrinks() {
        var state = AnnounceState<TestPeer>()
        let (early, late) = (MessageID(bytes(20, seed: 1)), MessageID(bytes(20, seed: 2)))
        let askedLate = state.announced(late, by: TestPeer(1), now: .zero, timeout: .seconds(3), limit: 4)
        let askedEarly = state.announced(early, by: TestPeer(2), now: .milliseconds(100), timeout: .milliseconds(400), limit: 4)
        let first = state.nextDeadline()
        #expect(askedLate && askedEarly && first == .milliseconds(500))
        _ = state.timeouts(now: .milliseconds(500), timeout: .milliseconds(400), debtUntil: nil, isConnected: { _ in true })
        let next = state.nextDeadline()
        #expect(state.requests[early] == nil && state.requests[late] != nil && next == .seconds(3))
    }

    /// INEED is answered from the message cache, up to gossipRetransmission times per peer, and
    /// not after the peer's IDONTWANT.
    @Test func anINeedIsAnsweredWithinTheRetransmissionLimit() throws {
        var router = try Self.router()
        let peer = router.meshPeers(topic)[1]
        _ = router.rpcReceived(RPC(publish: [Self.raw]), from: router.meshPeers(topic)[0], now: .zero)
        _ = router.validationResult(Self.id, .accept, now: .zero)
        let need = RPC(announceExtension: AnnounceExtension(needs: [INeed(messageID: Self.id)]))
        var answers = 0
        for _ in 0..<5 { answers += router.rpcReceived(need, from: peer, now: .zero).messagesSent.count }
        #expect(answers == 3)
        let other = router.meshPeers(topic)[2]
        _ = router.rpcReceived(RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [Self.id])])), from: other, now: .zero)
        #expect(router.rpcReceived(need, from: other, now: .zero).messagesSent.isEmpty)
    }

    /// v1.3 peers that advertise nothing see exactly what they saw without the extension.
    @Test func peersWithoutTheExtensionSeeNoDifference() throws {
        func run(_ advertise: Bool) throws -> [Action] {
            var router = try Self.router(peers: 0, plain: 10, advertise: advertise)
            var all = router.rpcReceived(RPC(publish: [Self.raw]), from: router.meshPeers(topic)[0], now: .zero)
            all += router.validationResult(Self.id, .accept, now: .milliseconds(30))
            all += router.rpcReceived(Self.announcement(contentID.id(of: RawMessage(data: bytes(9), topic: topic))),
                                      from: TestPeer(2), now: .milliseconds(40))
            all += router.heartbeat(now: .seconds(1))
            return all
        }
        #expect(try run(true) == run(false))
    }

    @Test func theExtensionRoundTripsAndCountsAgainstTheLimits() throws {
        let rpc = RPC(announceExtension: AnnounceExtension(
            announcements: [IAnnounce(topic: topic, messageID: MessageID(bytes(20)))], needs: [INeed(messageID: MessageID([1, 2]))]))
        #expect(try RPC.decode(rpc.encoded()) == rpc)
        let advert = RPC(control: ControlMessage(extensions: ControlExtensions(announce: true)))
        #expect(try RPC.decode(advert.encoded()) == advert)
        var limits = RPCLimits()
        limits.maxControlEntriesPerRPC = 1
        #expect(throws: RPCDecodingError.tooManyControlEntries(limit: 1)) { try RPC.decode(rpc.encoded(), limits: limits) }
        #expect(Outbox<TestPeer>.split(rpc, limits: limits).count == 2)
        #expect(throws: GossipSubConfigError.self) {
            try makeConfig { $0.extensions.announce = true; $0.announce.dAnnounce = $0.d + 1 }
        }
        // Not advertised: the parameter is not used, and a small mesh keeps the default.
        _ = try makeConfig { $0.d = 3; $0.dLow = 2; $0.dOut = 1; $0.dScore = 2 }
    }
}
