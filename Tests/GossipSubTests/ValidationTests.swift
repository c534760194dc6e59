import Testing
@testable import GossipSub

/// A toy signer: the "signature" is a checksum over payload and author, good enough to tell
/// signed from tampered messages in router tests.
struct ToySigner: GossipMessageSigner, GossipMessageVerifier {
    var authorID: [UInt8] = [0xA, 0xB]
    var publicKey: [UInt8]? { nil }
    static func mac(_ payload: [UInt8], _ from: [UInt8]) -> [UInt8] {
        var h: UInt32 = 2166136261
        for b in from + payload { h = (h ^ UInt32(b)) &* 16777619 }
        return withUnsafeBytes(of: h) { Array($0) }
    }
    func sign(_ payload: [UInt8]) throws -> [UInt8] { Self.mac(payload, authorID) }
    func verify(payload: [UInt8], signature: [UInt8], from: [UInt8], key: [UInt8]?) -> Bool {
        Self.mac(payload, from) == signature
    }
}

@Suite struct ValidationTests {
    @Test func nothingIsForwardedBeforeAcceptance() throws {
        var router = try makeRouter(peers: 10)
        let raw = RawMessage(data: [1, 2, 3], topic: topic)
        let received = router.rpcReceived(RPC(publish: [raw]), from: TestPeer(1), now: .zero)
        #expect(received.messagesSent.isEmpty)
        let (message, source) = try #require(received.deliveries.first)
        #expect(source == TestPeer(1))
        #expect(message.data == [1, 2, 3])
        #expect(router.pendingValidations == 1)
        let accepted = router.validationResult(message.id, .accept, now: .zero)
        let expected = router.meshPeers(topic).filter { $0 != TestPeer(1) }
        #expect(accepted.messagesSent.map(\.0) == expected)
        #expect(router.pendingValidations == 0)
        // A second verdict for the same id does nothing.
        let again = router.validationResult(message.id, .accept, now: .zero)
        #expect(again.isEmpty)
    }

    @Test func rejectPenalisesSourceAndDoesNotForwardOrCache() throws {
        var router = try makeRouter(peers: 10)
        let raw = RawMessage(data: [9], topic: topic)
        let id = try #require(router.rpcReceived(RPC(publish: [raw]), from: TestPeer(2), now: .zero).deliveries.first?.0.id)
        let rejected = router.validationResult(id, .reject, now: .zero)
        #expect(rejected.messagesSent.isEmpty)
        #expect(rejected.penalties.map(\.0) == [TestPeer(2)])
        #expect(rejected.penalties.map(\.1) == [.invalidMessage])
        #expect(router.mcache.get(id) == nil)
        // Still seen: a resend is not delivered again.
        let resend = router.rpcReceived(RPC(publish: [raw]), from: TestPeer(3), now: .zero)
        #expect(resend.deliveries.isEmpty)
    }

    @Test func ignoreDropsSilently() throws {
        var router = try makeRouter(peers: 10)
        let id = try #require(router.rpcReceived(RPC(publish: [RawMessage(data: [9], topic: topic)]), from: TestPeer(2), now: .zero).deliveries.first?.0.id)
        let ignored = router.validationResult(id, .ignore, now: .zero)
        #expect(ignored.isEmpty)
    }

    @Test func duplicatesAreDeliveredOnce() throws {
        var router = try makeRouter(peers: 10)
        let raw = RawMessage(data: [5], topic: topic)
        let a = router.rpcReceived(RPC(publish: [raw, raw]), from: TestPeer(1), now: .zero)
        let b = router.rpcReceived(RPC(publish: [raw]), from: TestPeer(2), now: .zero)
        #expect(a.deliveries.count + b.deliveries.count == 1)
    }

    @Test func messagesForUnsubscribedTopicsAreDropped() throws {
        var router = try makeRouter(peers: 3)
        let actions = router.rpcReceived(RPC(publish: [RawMessage(data: [1], topic: "other")]), from: TestPeer(1), now: .zero)
        #expect(actions.isEmpty)
    }

    @Test(arguments: [
        RawMessage(from: [1], data: [1], topic: topic),
        RawMessage(data: [1], seqno: [1], topic: topic),
        RawMessage(data: [1], topic: topic, signature: [1]),
        RawMessage(data: [1], topic: topic, key: [1]),
    ])
    func strictNoSignRejectsAuthorFields(_ raw: RawMessage) throws {
        var router = try makeRouter(peers: 3)
        let actions = router.rpcReceived(RPC(publish: [raw]), from: TestPeer(1), now: .zero)
        #expect(actions.deliveries.isEmpty)
        #expect(actions.penalties.map(\.1) == [.malformedMessage])
    }

    @Test func oversizeMessageIsRejectedBeforeValidation() throws {
        var router = try makeRouter(peers: 3) { $0.topicMaxMessageSize[topic] = 50_000 }
        let big = router.rpcReceived(RPC(publish: [RawMessage(data: bytes(50_001), topic: topic)]), from: TestPeer(1), now: .zero)
        #expect(big.deliveries.isEmpty)
        #expect(big.penalties.map(\.1) == [.malformedMessage])
        let fits = router.rpcReceived(RPC(publish: [RawMessage(data: bytes(50_000), topic: topic)]), from: TestPeer(1), now: .zero)
        #expect(fits.deliveries.count == 1)
    }

    @Test func strictSignSignsPublishesAndVerifiesReceipts() throws {
        let signer = ToySigner()
        var router = try makeRouter(peers: 3) {
            $0.signaturePolicy = .strictSign(signer: signer, verifier: signer)
            $0.messageIDFunction = .fromAndSeqno
        }
        let published = try router.publish(topic: topic, data: [7], now: .zero)
        let raw = try #require(published.actions.messagesSent.first?.1)
        #expect(raw.from == signer.authorID)
        #expect(raw.seqno == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(raw.signature == ToySigner.mac(raw.signingPayload, signer.authorID))
        #expect(published.id == MessageID(signer.authorID + [0, 0, 0, 0, 0, 0, 0, 1]))

        var other = raw
        other.seqno = [0, 0, 0, 0, 0, 0, 0, 2]
        other.signature = ToySigner.mac(other.signingPayload, other.from ?? [])
        let good = router.rpcReceived(RPC(publish: [other]), from: TestPeer(1), now: .zero)
        #expect(good.deliveries.count == 1)

        var tampered = other
        tampered.seqno = [0, 0, 0, 0, 0, 0, 0, 3]
        let bad = router.rpcReceived(RPC(publish: [tampered]), from: TestPeer(1), now: .zero)
        #expect(bad.deliveries.isEmpty)
        #expect(bad.penalties.map(\.1) == [.malformedMessage])

        var unsigned = other
        unsigned.signature = nil
        unsigned.seqno = [9]
        let none = router.rpcReceived(RPC(publish: [unsigned]), from: TestPeer(1), now: .zero)
        #expect(none.deliveries.isEmpty)
    }

    @Test func forwardingSkipsTheAuthor() throws {
        let signer = ToySigner()
        var router = try makeRouter(peers: 10) {
            $0.signaturePolicy = .strictSign(signer: signer, verifier: signer)
            $0.messageIDFunction = .fromAndSeqno
        }
        let author = router.meshPeers(topic)[0]
        var raw = RawMessage(from: author.wireBytes, data: [1], seqno: [0, 0, 0, 0, 0, 0, 0, 1], topic: topic)
        raw.signature = ToySigner.mac(raw.signingPayload, author.wireBytes)
        let relay = router.meshPeers(topic)[1]
        let id = try #require(router.rpcReceived(RPC(publish: [raw]), from: relay, now: .zero).deliveries.first?.0.id)
        let forwarded = router.validationResult(id, .accept, now: .zero).messagesSent.map(\.0)
        #expect(!forwarded.contains(author))
        #expect(!forwarded.contains(relay))
        #expect(forwarded.count == router.meshPeers(topic).count - 2)
    }

    @Test func unansweredValidationsExpire() throws {
        var router = try makeRouter(peers: 3)
        _ = router.rpcReceived(RPC(publish: [RawMessage(data: [1], topic: topic)]), from: TestPeer(1), now: .zero)
        _ = router.heartbeat(now: .seconds(119))
        #expect(router.pendingValidations == 1)
        _ = router.heartbeat(now: .seconds(120))
        #expect(router.pendingValidations == 0)
    }
}

@Suite struct DuplicateSenderTests {
    @Test func peersThatSentACopyDuringValidationAreSkipped() throws {
        var router = try makeRouter(peers: 10)
        let mesh = router.meshPeers(topic)
        let raw = RawMessage(data: [4, 2], topic: topic)
        let id = contentID.id(of: raw)
        _ = router.rpcReceived(RPC(publish: [raw]), from: mesh[0], now: .zero)
        _ = router.rpcReceived(RPC(publish: [raw]), from: mesh[1], now: .zero)
        let forwarded = router.validationResult(id, .accept, now: .zero)
        #expect(forwarded.messagesSent.map(\.0) == Array(mesh[2...]))
    }
}
