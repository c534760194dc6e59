import ConformanceSupport
import DiscV5
import ENR
import Foundation
import P2PCrypto
import RLP
import Testing
import TestSupport

@Suite("discv5 messages")
struct MessageVectorTests {
    @Test(.enabled(if: ConformanceVectors.shouldRun("discv5")))
    func officialMessageVectors() throws {
        let vectors = try DiscV5Vectors.messages()
        #expect(!vectors.isEmpty)
        var valid = 0
        var invalid = 0
        for vector in vectors {
            let name = vector["name"] as? String ?? "?"
            let encoded = try DiscV5Vectors.hex(vector, "encoded")
            guard vector["valid"] as? Bool == true else {
                #expect(throws: DiscV5Error.self, "\(name)") { try MessageCodec.decode(encoded) }
                invalid += 1
                continue
            }
            let expected = try DiscV5Vectors.object(vector, "expected")
            let message = try MessageCodec.decode(encoded)
            #expect(message.requestID.bytes == (try DiscV5Vectors.hex(expected, "request_id")), "\(name)")
            switch (expected["type"] as? String, message) {
            case ("PING", .ping(let ping)):
                #expect(ping.enrSeq == (try DiscV5Vectors.int(expected, "enr_seq")))
            case ("PONG", .pong(let pong)):
                #expect(pong.enrSeq == (try DiscV5Vectors.int(expected, "enr_seq")))
                #expect(pong.recipientIP == (try DiscV5Vectors.hex(expected, "recipient_ip")))
                #expect(UInt64(pong.recipientPort) == (try DiscV5Vectors.int(expected, "recipient_port")))
            case ("FINDNODE", .findNode(let findNode)):
                let distances = try #require(expected["distances"] as? [NSNumber])
                #expect(findNode.distances.map { UInt64($0) } == distances.map(\.uint64Value))
            case ("NODES", .nodes(let nodes)):
                #expect(nodes.total == (try DiscV5Vectors.int(expected, "total")))
                let records = try #require(expected["enrs"] as? [String])
                #expect(nodes.records.map(\.textEncoding) == records)
            case ("TALKRESP", .talkResponse(let response)):
                #expect(response.response == (try DiscV5Vectors.hex(expected, "response")))
            default:
                Issue.record("\(name): unexpected decoding \(message)")
            }
            // Canonical: re-encoding gives the same bytes.
            #expect(MessageCodec.encode(message) == encoded, "\(name)")
            valid += 1
        }
        ConformanceVectors.report("discv5/messages", checked: valid + invalid, detail: "\(valid) valid, \(invalid) invalid")
        #expect(valid > 0 && invalid > 0)
    }

    @Test func roundTripsEveryType() throws {
        var generator = SeededRandom(seed: 5)
        let key = Secp256k1.PrivateKey.generate(using: &generator)
        var builder = NodeRecordBuilder(sequenceNumber: 3)
        try builder.setIP([192, 168, 1, 2])
        builder.setUDP(30303)
        let record = try builder.signed(with: key)
        let id = RequestID(0x0102_0304_0506_0708)
        let messages: [Message] = [
            .ping(Ping(requestID: id, enrSeq: 0)),
            .ping(Ping(requestID: try RequestID([UInt8]()), enrSeq: .max)),
            .pong(Pong(requestID: id, enrSeq: 7, recipientIP: [1, 2, 3, 4], recipientPort: 0)),
            .pong(Pong(requestID: id, enrSeq: 7, recipientIP: [UInt8](repeating: 0xFE, count: 16), recipientPort: 65535)),
            .findNode(FindNode(requestID: id, distances: [])),
            .findNode(FindNode(requestID: id, distances: [0, 1, 255, 256])),
            .nodes(Nodes(requestID: id, total: 2, records: [record, record])),
            .talkRequest(TalkRequest(requestID: id, protocolName: Array("portal".utf8), request: [0, 1, 2])),
            .talkResponse(TalkResponse(requestID: id, response: [])),
        ]
        for message in messages {
            #expect(try MessageCodec.decode(MessageCodec.encode(message)) == message)
        }
    }

    /// type byte ‖ RLP list of `items`.
    func plaintext(_ type: UInt8, _ items: [RLPItem]) -> [UInt8] { [type] + RLPItem.list(items).encoded }

    @Test func rejectsEachMalformedClass() throws {
        let id = RLPItem.bytes([1])
        #expect(throws: DiscV5Error.emptyMessage) { try MessageCodec.decode([UInt8]()) }
        #expect(throws: DiscV5Error.unknownMessageType(0)) { try MessageCodec.decode(plaintext(0, [id])) }
        #expect(throws: DiscV5Error.unknownMessageType(0x0B)) { try MessageCodec.decode(plaintext(0x0B, [id])) }
        #expect(throws: DiscV5Error.requestIDTooLong(9)) {
            try MessageCodec.decode(plaintext(1, [.bytes([UInt8](repeating: 1, count: 9)), .uint(1)]))
        }
        // Missing field, extra field, trailing bytes, body not a list, non-canonical integer.
        #expect(throws: DiscV5Error.malformedMessage(RLPError(.endOfList, at: 3))) {
            try MessageCodec.decode(plaintext(1, [id]))
        }
        #expect(throws: DiscV5Error.self) { try MessageCodec.decode(plaintext(1, [id, .uint(1), .uint(2)])) }
        #expect(throws: DiscV5Error.self) { try MessageCodec.decode(plaintext(1, [id, .uint(1)]) + [0]) }
        #expect(throws: DiscV5Error.self) { try MessageCodec.decode([1, 0x81, 0x81]) }
        #expect(throws: DiscV5Error.self) { try MessageCodec.decode(plaintext(1, [id, .bytes([0, 1])])) }
        #expect(throws: DiscV5Error.self) { try MessageCodec.decode(plaintext(1, [id, .list([])])) }
        // PONG fields.
        #expect(throws: DiscV5Error.invalidIPLength(5)) {
            try MessageCodec.decode(plaintext(2, [id, .uint(1), .bytes([1, 2, 3, 4, 5]), .uint(1)]))
        }
        #expect(throws: DiscV5Error.portOutOfRange(65536)) {
            try MessageCodec.decode(plaintext(2, [id, .uint(1), .bytes([1, 2, 3, 4]), .uint(65536)]))
        }
        // FINDNODE distances.
        #expect(throws: DiscV5Error.distanceOutOfRange(257)) {
            try MessageCodec.decode(plaintext(3, [id, .list([.uint(256), .uint(257)])]))
        }
        #expect(throws: DiscV5Error.self) { try MessageCodec.decode(plaintext(3, [id, .uint(256)])) }
        // NODES with an invalid record (signature of garbage).
        let bogusRecord = RLPItem.list([.bytes([UInt8](repeating: 1, count: 64)), .uint(1), .bytes(Array("id".utf8)), .bytes(Array("v4".utf8))])
        #expect(throws: DiscV5Error.self) { try MessageCodec.decode(plaintext(4, [id, .uint(1), .list([bogusRecord])])) }
        // TALKREQ missing the request.
        #expect(throws: DiscV5Error.self) { try MessageCodec.decode(plaintext(5, [id, .bytes([1])])) }
    }

    @Test func randomPlaintextsNeverTrap() {
        var generator = SeededRandom(seed: 17)
        for _ in 0..<5_000 {
            let length = Int(generator.next() % 64)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if !bytes.isEmpty { bytes[0] = UInt8(generator.next() % 8) }
            _ = try? MessageCodec.decode(bytes)
        }
    }
}
