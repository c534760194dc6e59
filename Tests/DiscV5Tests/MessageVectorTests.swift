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
    /// A decoded field as the vector file writes it.
    enum Field: Equatable {
        /// Hex in the file.
        case bytes([UInt8])
        /// A JSON number (or a decimal string).
        case number(UInt64)
        /// A JSON array of numbers.
        case numbers([UInt64])
        /// An `enr:` text.
        case record(String)
        /// A JSON array of `enr:` texts.
        case records([String])

        /// The file's `value` read as this kind of field, or `nil` when it has another shape.
        func parse(_ value: Any) -> Field? {
            func number(_ value: Any) -> UInt64? {
                if let text = value as? String { return UInt64(text) }
                return (value as? NSNumber).flatMap { UInt64(exactly: $0.doubleValue) ?? UInt64($0.stringValue) }
            }
            switch self {
            case .bytes: return (value as? String).flatMap(Hex.decode).map(Field.bytes)
            case .number: return number(value).map(Field.number)
            case .numbers:
                guard let list = value as? [Any] else { return nil }
                let numbers = list.compactMap(number)
                return numbers.count == list.count ? .numbers(numbers) : nil
            case .record: return (value as? String).map(Field.record)
            case .records: return (value as? [String]).map(Field.records)
            }
        }
    }

    /// The name the vector file gives each message type.
    static let typeNames: [MessageType: String] = [
        .ping: "PING", .pong: "PONG", .findNode: "FINDNODE", .nodes: "NODES", .talkRequest: "TALKREQ",
        .talkResponse: "TALKRESP", .regTopic: "REGTOPIC", .regConfirmation: "REGCONFIRMATION",
        .topicQuery: "TOPICQUERY", .topicNodes: "TOPICNODES",
    ]

    /// The fields of `message` under the names a vector may use (some under two spellings).
    static func fields(_ message: Message) -> [String: Field] {
        var fields: [String: Field] = ["request_id": .bytes(message.requestID.bytes)]
        switch message {
        case .ping(let ping):
            fields["enr_seq"] = .number(ping.enrSeq)
        case .pong(let pong):
            fields["enr_seq"] = .number(pong.enrSeq)
            fields["recipient_ip"] = .bytes(pong.recipientIP)
            fields["recipient_port"] = .number(UInt64(pong.recipientPort))
        case .findNode(let findNode):
            fields["distances"] = .numbers(findNode.distances.map(UInt64.init))
        case .nodes(let nodes):
            fields["total"] = .number(nodes.total)
            fields["enrs"] = .records(nodes.records.map(\.textEncoding))
            fields["records"] = fields["enrs"]
        case .talkRequest(let request):
            fields["protocol"] = .bytes(request.protocolName)
            fields["protocol_name"] = fields["protocol"]
            fields["request"] = .bytes(request.request)
        case .talkResponse(let response):
            fields["response"] = .bytes(response.response)
        case .regTopic(let register):
            fields["topic"] = .bytes(register.topic.bytes)
            fields["enr"] = .record(register.record.textEncoding)
            fields["record"] = fields["enr"]
            fields["ticket"] = .bytes(register.ticket)
            fields["topic_distances"] = .numbers(register.topicDistances.map(UInt64.init))
        case .regConfirmation(let confirmation):
            fields["total"] = .number(confirmation.total)
            fields["ticket"] = .bytes(confirmation.ticket)
            fields["wait_time"] = .number(confirmation.waitTime)
        case .topicQuery(let query):
            fields["topic"] = .bytes(query.topic.bytes)
            fields["topic_distances"] = .numbers(query.topicDistances.map(UInt64.init))
        case .topicNodes(let topicNodes):
            fields["total"] = .number(topicNodes.total)
            fields["enrs"] = .records(topicNodes.records.map(\.textEncoding))
            fields["records"] = fields["enrs"]
        }
        return fields
    }

    /// What checking one message vector found.
    enum Outcome: Equatable {
        /// Checked; `unchecked` lists expected fields this test has no name for.
        case checked(valid: Bool, unchecked: [String])
        /// Not checkable here, with the reason.
        case skipped(String)
        /// Differences from the vector.
        case failed([String])
    }

    /// Checks one `{name, encoded, valid, expected}` vector.
    static func check(_ vector: [String: Any]) throws -> Outcome {
        let name = vector["name"] as? String ?? "?"
        let encoded = try DiscV5Vectors.hex(vector, "encoded")
        let knownType = encoded.first.flatMap(MessageType.init(rawValue:))
        guard vector["valid"] as? Bool == true else {
            do {
                let message = try MessageCodec.decode(encoded)
                return .failed(["\(name): invalid encoding accepted as \(message)"])
            } catch {
                return .checked(valid: false, unchecked: [])
            }
        }
        let expected = (vector["expected"] as? [String: Any]) ?? [:]
        let expectedType = expected["type"] as? String
        guard let knownType, expectedType.map({ typeNames.values.contains($0) }) ?? true else {
            let type = expectedType ?? encoded.first.map { "0x" + Hex.encode([$0]) } ?? "(empty)"
            return .skipped("message type \(type) unknown to the codec")
        }
        let message: Message
        do {
            message = try MessageCodec.decode(encoded)
        } catch {
            return .failed(["\(name): rejected: \(error)"])
        }
        var problems: [String] = []
        let actualType = typeNames[knownType] ?? "?"
        if let expectedType, expectedType != actualType { problems.append("\(name): decoded as \(actualType), not \(expectedType)") }
        let fields = fields(message)
        var unchecked: [String] = []
        for (key, value) in expected.sorted(by: { $0.key < $1.key }) where key != "type" {
            guard let actual = fields[key] else {
                unchecked.append("\(actualType).\(key)")
                continue
            }
            if actual.parse(value) != actual { problems.append("\(name): \(key) is \(actual), not \(value)") }
        }
        // Canonical: re-encoding gives the same bytes.
        if MessageCodec.encode(message) != encoded { problems.append("\(name): re-encoding differs") }
        return problems.isEmpty ? .checked(valid: true, unchecked: unchecked) : .failed(problems)
    }

    @Test(.enabled(if: ConformanceVectors.shouldRun("discv5")))
    func officialMessageVectors() throws {
        let vectors = try DiscV5Vectors.messages()
        var tally = ConformanceTally()
        var valid = 0
        var unchecked = Set<String>()
        for vector in vectors {
            switch try Self.check(vector) {
            case .checked(let isValid, let fields):
                tally.check()
                if isValid { valid += 1 }
                unchecked.formUnion(fields)
            case .skipped(let reason):
                tally.skip(reason)
            case .failed(let problems):
                for problem in problems { Issue.record("\(problem)") }
                tally.check()
            }
        }
        let fieldNote = unchecked.isEmpty ? "" : "; fields not compared: \(unchecked.sorted().joined(separator: ", "))"
        ConformanceVectors.report(
            "discv5/messages", tally, detail: "\(valid) valid, \(tally.checked - valid) invalid\(fieldNote)")
        #expect(tally.checked > 0)
    }

    /// Every message type the codec has is read from the vector layout, unknown types are
    /// skipped, and a wrong field or type is found.
    @Test func checkerHandlesEveryType() throws {
        var generator = SeededRandom(seed: 29)
        let key = Secp256k1.PrivateKey.generate(using: &generator)
        let record = try NodeRecordBuilder(sequenceNumber: 2).signed(with: key)
        let id = try RequestID([7])
        let topic = TopicID(hashing: "conformance")
        let messages: [(Message, [String: Any])] = [
            (.talkRequest(TalkRequest(requestID: id, protocolName: Array("portal".utf8), request: [1, 2])),
             ["protocol": "706f7274616c", "request": "0102"]),
            (.regTopic(RegisterTopic(requestID: id, topic: topic, record: record, ticket: [9], topicDistances: [255, 256])),
             ["topic": Hex.encode(topic.bytes), "enr": record.textEncoding, "ticket": "09", "topic_distances": [255, 256]]),
            (.regConfirmation(RegisterConfirmation(requestID: id, total: 1, ticket: [], waitTime: 600_000)),
             ["total": 1, "ticket": "", "wait_time": 600_000]),
            (.topicQuery(TopicQuery(requestID: id, topic: topic)), ["topic": Hex.encode(topic.bytes), "topic_distances": [Int]()]),
            (.topicNodes(TopicNodes(requestID: id, total: 2, records: [record])), ["total": 2, "enrs": [record.textEncoding]]),
        ]
        for (message, fields) in messages {
            let type = try #require(Self.typeNames[message.type])
            var expected = fields
            expected["type"] = type
            expected["request_id"] = "07"
            let vector: [String: Any] = ["name": type, "encoded": Hex.encode(MessageCodec.encode(message)), "valid": true, "expected": expected]
            #expect(try Self.check(vector) == .checked(valid: true, unchecked: []), "\(type)")
            var wrong = vector
            expected["request_id"] = "08"
            wrong["expected"] = expected
            #expect(try Self.check(wrong) != .checked(valid: true, unchecked: []), "\(type)")
        }
        let unknown: [String: Any] = ["name": "future", "encoded": "0bc20101", "valid": true, "expected": ["type": "FUTURE"]]
        #expect(try Self.check(unknown) == .skipped("message type FUTURE unknown to the codec"))
        let unknownRejected: [String: Any] = ["name": "future", "encoded": "0bc20101", "valid": false]
        #expect(try Self.check(unknownRejected) == .checked(valid: false, unchecked: []))
        let mistyped: [String: Any] = [
            "name": "ping as pong", "encoded": "01c20101", "valid": true, "expected": ["type": "PONG", "request_id": "01"],
        ]
        #expect(try Self.check(mistyped) != .checked(valid: true, unchecked: []))
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
