import Testing
@testable import GossipSub

@Suite struct ConfigTests {
    @Test func defaultsAreTheSpecValuesAndValidate() throws {
        let p = try GossipSubConfig.defaults(signaturePolicy: .strictSign(signer: ToySigner(), verifier: ToySigner())).parameters
        #expect((p.d, p.dLow, p.dHigh, p.dOut) == (6, 4, 12, 2))
        #expect(p.heartbeatInterval == .seconds(1))
        #expect((p.mcacheLen, p.mcacheGossip) == (5, 3))
        #expect(!p.signaturePolicy.isStrictNoSign)
        guard case .fromAndSeqno = p.messageIDFunction else {
            Issue.record("the spec's default message id is from ‖ seqno")
            return
        }
    }

    @Test func strictNoSignWithTheDefaultMessageIDIsRefused() {
        #expect(throws: GossipSubConfigError.self) { try GossipSubConfig.defaults(signaturePolicy: .strictNoSign) }
    }

    static func edited(_ edit: (inout GossipSubConfig.Parameters) -> Void) -> GossipSubConfig.Parameters {
        var p = unsignedParameters()
        edit(&p)
        return p
    }

    static let broken: [(String, GossipSubConfig.Parameters)] = [
        ("dLow > d", edited { p in p.dLow = 7 }),
        ("d > dHigh", edited { p in p.dHigh = 5 }),
        ("dOut > dLow", edited { p in p.dOut = 5; p.dLow = 4 }),
        ("dOut >= d/2", edited { p in p.dOut = 3 }),
        ("d = 0", edited { p in p.d = 0; p.dLow = 0; p.dOut = 0 }),
        ("mcacheGossip > mcacheLen", edited { p in p.mcacheGossip = 6 }),
        ("zero heartbeat", edited { p in p.heartbeatInterval = .zero }),
        ("negative fanout TTL", edited { p in p.fanoutTTL = .seconds(-1) }),
        ("zero seen TTL", edited { p in p.seenTTL = .zero }),
        ("gossipFactor > 1", edited { p in p.gossipFactor = 1.5 }),
        ("topic size >= RPC size", edited { p in p.topicMaxMessageSize["t"] = 1 << 30 }),
        ("zero message size", edited { p in p.maxMessageSize = 0 }),
        ("StrictNoSign with from+seqno ids", edited { p in p.messageIDFunction = .fromAndSeqno }),
        ("prunePeers above PRUNE decode limit", edited { p in p.prunePeers = 65 }),
    ]

    @Test(arguments: broken)
    func rejectsBrokenInvariant(_ name: String, _ p: GossipSubConfig.Parameters) {
        #expect(throws: GossipSubConfigError.self, "\(name)") { try GossipSubConfig(validating: p) }
    }

    @Test func perTopicMessageSize() throws {
        let config = try makeConfig { $0.maxMessageSize = 1000; $0.topicMaxMessageSize["big"] = 50_000 }
        #expect(config.maxMessageSize(topic: "big") == 50_000)
        #expect(config.maxMessageSize(topic: "other") == 1000)
    }

    @Test func contentMessageIDIsTruncatedSHA256OfTopicAndData() {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        let id = contentID.id(of: RawMessage(data: Array("c".utf8), topic: "ab"))
        #expect(id.description == "ba7816bf8f01cfea414140de5dae2223b00361a3")
        #expect(id.bytes.count == 20)
    }

    @Test func fromAndSeqnoMessageID() {
        let id = MessageIDFunction.fromAndSeqno.id(of: RawMessage(from: [1, 2], seqno: [3], topic: "t"))
        #expect(id == MessageID([1, 2, 3]))
    }
}
