import Testing
@testable import GossipSub

@Suite struct RPCCodecTests {
    static let full = RPC(
        subscriptions: [SubOpts(subscribe: true, topic: "a"), SubOpts(subscribe: false, topic: "b")],
        publish: [RawMessage(from: [1, 2], data: [9, 9, 9], seqno: [0, 0, 0, 1], topic: "t", signature: [7], key: [8]),
                  RawMessage(data: [], topic: "u")],
        control: ControlMessage(
            ihave: [ControlIHave(topic: "t", messageIDs: [MessageID([1]), MessageID([2, 3])])],
            iwant: [ControlIWant(messageIDs: [MessageID([4])])],
            graft: [ControlGraft(topic: "g")],
            prune: [ControlPrune(topic: "p", peers: [PeerInfo(peerID: [5], signedPeerRecord: [6]), PeerInfo(peerID: [7])], backoffSeconds: 60)],
            idontwant: [ControlIDontWant(messageIDs: [MessageID([0xAA])])]))

    @Test func roundTripsEveryField() throws {
        let decoded = try RPC.decode(Self.full.encoded())
        #expect(decoded == Self.full)
    }

    @Test func encodingMatchesHandAssembledProtobuf() {
        let rpc = RPC(subscriptions: [SubOpts(subscribe: true, topic: "a")],
                      control: ControlMessage(graft: [ControlGraft(topic: "g")]))
        // field 1 (SubOpts){ 1: varint 1, 2: "a" }, field 3 (control){ 3 (graft){ 1: "g" } }
        #expect(rpc.encoded() == [0x0A, 0x05, 0x08, 0x01, 0x12, 0x01, 0x61,
                                  0x1A, 0x05, 0x1A, 0x03, 0x0A, 0x01, 0x67])
    }

    @Test func emptyInputIsEmptyRPC() throws {
        #expect(try RPC.decode([]) == RPC())
    }

    /// Found by FuzzGossipRPC: an empty control message (field 3, length 0) must decode as no
    /// control, which is how the encoder writes it, so that decoded values survive a re-encode.
    @Test func emptyControlDecodesAsAbsent() throws {
        let rpc = try RPC.decode([0x1A, 0x00])
        #expect(rpc.control == nil)
        #expect(try RPC.decode(rpc.encoded()) == rpc)
    }

    @Test func skipsUnknownFieldsOfEveryWireType() throws {
        var bytes = RPC(subscriptions: [SubOpts(subscribe: true, topic: "a")]).encoded()
        bytes += [0x78, 0x05]                     // field 15 varint
        bytes += [0x79] + [UInt8](repeating: 0, count: 8) // field 15 fixed64
        bytes += [0x7A, 0x02, 0x01, 0x02]         // field 15 bytes
        bytes += [0x7D, 1, 2, 3, 4]               // field 15 fixed32
        #expect(try RPC.decode(bytes) == RPC(subscriptions: [SubOpts(subscribe: true, topic: "a")]))
    }

    @Test func repeatedControlFieldsMerge() throws {
        let a = RPC(control: ControlMessage(graft: [ControlGraft(topic: "x")])).encoded()
        let b = RPC(control: ControlMessage(graft: [ControlGraft(topic: "y")])).encoded()
        #expect(try RPC.decode(a + b).control?.graft.map(\.topic) == ["x", "y"])
    }

    @Test func noStrictPrefixDecodesToTheOriginal() {
        let bytes = Self.full.encoded()
        for cut in 1..<bytes.count {
            if let rpc = try? RPC.decode(Array(bytes[..<cut])) { #expect(rpc != Self.full) }
        }
        #expect(throws: RPCDecodingError.truncated) { try RPC.decode([0x0A, 0x05, 0x08]) }
    }

    @Test func rejectsMalformedVarintsAndTags() {
        #expect(throws: RPCDecodingError.malformedVarint) { try RPC.decode([UInt8](repeating: 0xFF, count: 11)) }
        #expect(throws: RPCDecodingError.malformedVarint) { try RPC.decode([UInt8](repeating: 0xFF, count: 9) + [0x02]) }
        #expect(throws: RPCDecodingError.invalidFieldNumber(0)) { try RPC.decode([0x02, 0x00]) }
        #expect(throws: RPCDecodingError.unsupportedWireType(3)) { try RPC.decode([0x0B]) }
        #expect(throws: RPCDecodingError.wrongWireType(field: 1)) { try RPC.decode([0x08, 0x01]) }
    }

    @Test func lengthBeyondInputIsTruncatedNotAllocated() {
        // Claims a 2^40-byte subscription.
        #expect(throws: RPCDecodingError.truncated) { try RPC.decode([0x0A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]) }
    }

    @Test func messageWithoutTopicIsRejected() {
        // publish { data: [1] }
        #expect(throws: RPCDecodingError.missingTopic) { try RPC.decode([0x12, 0x03, 0x12, 0x01, 0x01]) }
    }

    @Test func invalidUTF8TopicIsRejected() {
        #expect(throws: RPCDecodingError.invalidUTF8(field: "topicid")) { try RPC.decode([0x0A, 0x03, 0x12, 0x01, 0xFF]) }
    }

    @Test func enforcesEveryLimit() throws {
        let small = RPCLimits(maxRPCSize: 200, maxMessagesPerRPC: 1, maxSubscriptionsPerRPC: 1, maxControlEntriesPerRPC: 2,
                              maxMessageIDsPerRPC: 2, maxPeersPerPrune: 1, maxTopicLength: 3, maxMessageIDLength: 2,
                              maxSmallFieldLength: 2)
        func fails(_ rpc: RPC, _ error: RPCDecodingError) {
            #expect(throws: error) { try RPC.decode(rpc.encoded(), limits: small) }
        }
        fails(RPC(publish: [RawMessage(data: bytes(300), topic: "t")]), .rpcTooLarge(size: 309, limit: 200))
        fails(RPC(publish: [RawMessage(topic: "t"), RawMessage(topic: "t")]), .tooManyMessages(limit: 1))
        fails(RPC(subscriptions: [SubOpts(subscribe: true, topic: "a"), SubOpts(subscribe: true, topic: "b")]),
              .tooManySubscriptions(limit: 1))
        fails(RPC(control: ControlMessage(graft: [ControlGraft(topic: "a"), ControlGraft(topic: "b"), ControlGraft(topic: "c")])),
              .tooManyControlEntries(limit: 2))
        fails(RPC(control: ControlMessage(ihave: [ControlIHave(topic: "t", messageIDs: [MessageID([1]), MessageID([2])])],
                                          idontwant: [ControlIDontWant(messageIDs: [MessageID([3])])])),
              .tooManyMessageIDs(limit: 2))
        fails(RPC(control: ControlMessage(prune: [ControlPrune(topic: "p", peers: [PeerInfo(peerID: [1]), PeerInfo(peerID: [2])])])),
              .tooManyPrunePeers(limit: 1))
        fails(RPC(subscriptions: [SubOpts(subscribe: true, topic: "long")]),
              .fieldTooLong(field: "topicid", length: 4, limit: 3))
        fails(RPC(control: ControlMessage(iwant: [ControlIWant(messageIDs: [MessageID([1, 2, 3])])])),
              .fieldTooLong(field: "messageID", length: 3, limit: 2))
        fails(RPC(publish: [RawMessage(from: [1, 2, 3], topic: "t")]), .fieldTooLong(field: "from", length: 3, limit: 2))
        // Within limits it decodes.
        let ok = RPC(publish: [RawMessage(from: [1, 2], topic: "t")])
        #expect(try RPC.decode(ok.encoded(), limits: small) == ok)
    }

    @Test func framesDecodeIncrementally() throws {
        let a = RPC(subscriptions: [SubOpts(subscribe: true, topic: "a")])
        let b = Self.full
        let stream = a.framed() + b.framed()
        for cut in 0..<a.framed().count {
            #expect(try RPC.decodeFrame(Array(stream[..<cut])) == nil)
        }
        let first = try #require(try RPC.decodeFrame(stream))
        #expect(first.rpc == a)
        let second = try #require(try RPC.decodeFrame(Array(stream[first.consumed...])))
        #expect(second.rpc == b)
        #expect(first.consumed + second.consumed == stream.count)
        #expect(throws: RPCDecodingError.rpcTooLarge(size: 1000, limit: 10)) {
            try RPC.decodeFrame([0xE8, 0x07], limits: RPCLimits(maxRPCSize: 10))
        }
    }

    @Test func signingPayloadExcludesSignatureAndKey() {
        let m = RawMessage(from: [1], data: [2], seqno: [3], topic: "t", signature: [4], key: [5])
        var unsigned = m
        unsigned.signature = nil
        unsigned.key = nil
        #expect(m.signingPayload == unsigned.signingPayload)
        #expect(m.signingPayload.starts(with: Array("libp2p-pubsub:".utf8)))
    }
}
