import DiscV5
import ENR
import RLP
import Testing
import TestSupport

/// The four topic-discovery messages (discv5-wire.md, REGTOPIC 0x07 to TOPICNODES 0x0A): their
/// layout against an independent RLP encoding, round trips and each rejection.
@Suite("topic discovery messages")
struct TopicMessageCodecTests {
    let topic = TopicID(hashing: "aztec/1/tx")
    let record: NodeRecord

    init() throws {
        var random = SeededRandom(seed: 7)
        record = try TestIdentity(ip: [10, 1, 2, 3], port: 9000, using: &random).record
    }

    func plaintext(_ type: UInt8, _ items: [RLPItem]) -> [UInt8] { [type] + RLPItem.list(items).encoded }

    @Test func eachMessageHasTheSpecsLayout() throws {
        let id = RequestID(0x0102)
        let distances: [UInt16] = [256, 255, 1]
        let distanceItems = RLPItem.list(distances.map { .uint(UInt64($0)) })
        let ticket: [UInt8] = Array(repeating: 0xAB, count: 88)
        let recordItem = try RLP.decode(record.rlpEncoding)
        let cases: [(Message, [UInt8])] = [
            (.regTopic(RegisterTopic(requestID: id, topic: topic, record: record, ticket: ticket, topicDistances: distances)),
             plaintext(0x07, [.bytes(id.bytes), .bytes(topic.bytes), recordItem, .bytes(ticket), distanceItems])),
            (.regConfirmation(RegisterConfirmation(requestID: id, total: 2, ticket: [], waitTime: 900_000)),
             plaintext(0x08, [.bytes(id.bytes), .uint(2), .bytes([]), .uint(900_000)])),
            (.topicQuery(TopicQuery(requestID: id, topic: topic, topicDistances: distances)),
             plaintext(0x09, [.bytes(id.bytes), .bytes(topic.bytes), distanceItems])),
            (.topicNodes(TopicNodes(requestID: id, total: 1, records: [record])),
             plaintext(0x0A, [.bytes(id.bytes), .uint(1), .list([recordItem])])),
        ]
        for (message, expected) in cases {
            #expect(MessageCodec.encode(message) == expected)
            #expect(try MessageCodec.decode(expected) == message)
            #expect(message.isRequest == (message.type == .regTopic || message.type == .topicQuery))
        }
    }

    @Test func anEmptyTicketOnAFirstAttemptIsTheEmptyString() throws {
        let message = Message.regTopic(RegisterTopic(requestID: RequestID(1), topic: topic, record: record))
        let encoded = MessageCodec.encode(message)
        // ... ‖ record ‖ 0x80 (empty ticket) ‖ 0xC0 (no distances)
        #expect(Array(encoded.suffix(2)) == [0x80, 0xC0])
        #expect(try MessageCodec.decode(encoded) == message)
    }

    @Test func malformedTopicMessagesAreRejectedWithTypedErrors() throws {
        let id = RLPItem.bytes([1])
        let recordItem = try RLP.decode(record.rlpEncoding)
        let shortTopic = RLPItem.bytes(Array(topic.bytes.prefix(31)))
        #expect(throws: DiscV5Error.invalidTopicLength(31)) {
            try MessageCodec.decode(plaintext(0x09, [id, shortTopic, .list([])]))
        }
        #expect(throws: DiscV5Error.invalidTopicLength(33)) {
            try MessageCodec.decode(plaintext(0x07, [id, .bytes(topic.bytes + [0]), recordItem, .bytes([]), .list([])]))
        }
        #expect(throws: DiscV5Error.ticketTooLong(257)) {
            try MessageCodec.decode(plaintext(0x07, [id, .bytes(topic.bytes), recordItem,
                                                     .bytes(Array(repeating: 1, count: 257)), .list([])]))
        }
        #expect(throws: DiscV5Error.ticketTooLong(300)) {
            try MessageCodec.decode(plaintext(0x08, [id, .uint(1), .bytes(Array(repeating: 1, count: 300)), .uint(5)]))
        }
        #expect(throws: DiscV5Error.distanceOutOfRange(257)) {
            try MessageCodec.decode(plaintext(0x09, [id, .bytes(topic.bytes), .list([.uint(257)])]))
        }
        // The record must verify: one byte of its signature changed.
        var forged = record.rlpEncoding
        forged[5] ^= 1
        #expect(throws: DiscV5Error.self) {
            try MessageCodec.decode(plaintext(0x0A, [id, .uint(1), .list([try RLP.decode(forged)])]))
        }
        // Missing and extra fields.
        #expect(throws: DiscV5Error.self) { try MessageCodec.decode(plaintext(0x08, [id, .uint(1), .bytes([])])) }
        #expect(throws: DiscV5Error.self) {
            try MessageCodec.decode(plaintext(0x09, [id, .bytes(topic.bytes), .list([]), .uint(0)]))
        }
        for error in [DiscV5Error.invalidTopicLength(31), .ticketTooLong(257)] { #expect(error.isProtocolViolation) }
    }

    @Test func topicIdsMeasureDistanceToNodeIds() throws {
        let node = record.discoveryNodeID
        let sameAsNode = try #require(TopicID(bytes: node.bytes))
        #expect(sameAsNode.logDistance(to: node) == 0)
        #expect(topic.logDistance(to: node) == node.logDistance(to: topic.position))
        #expect(TopicID(bytes: [UInt8](repeating: 0, count: 31)) == nil)
        #expect(TopicID(hashing: "a") != TopicID(hashing: "b"))
    }
}
