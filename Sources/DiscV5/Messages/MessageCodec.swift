import ENR
import RLP

/// Encoding and strict decoding of message plaintexts: message-type ‖ RLP list body.
///
/// Decoding rejects non-canonical RLP, missing or extra list elements, trailing bytes, request
/// ids over 8 bytes, IPs that are not 4 or 16 bytes, ports over 65535, distances over 256,
/// topics that are not 32 bytes, tickets over ``RegisterTopic/maximumTicketLength`` and invalid
/// records.
public enum MessageCodec {
    /// RLP limits for message bodies (a message never exceeds one packet).
    public static let limits = RLPLimits(maximumDepth: 4, maximumItemCount: 2_048, maximumInputLength: PacketCodec.maximumPacketByteCount)

    /// The plaintext encoding of `message`.
    public static func encode(_ message: Message) -> [UInt8] {
        var body = RLPEncoder(capacity: 64)
        body.appendList { list in
            switch message {
            case .ping(let ping):
                list.appendBytes(ping.requestID.bytes)
                list.appendUInt(ping.enrSeq)
            case .pong(let pong):
                list.appendBytes(pong.requestID.bytes)
                list.appendUInt(pong.enrSeq)
                list.appendBytes(pong.recipientIP)
                list.appendUInt(UInt64(pong.recipientPort))
            case .findNode(let findNode):
                list.appendBytes(findNode.requestID.bytes)
                list.appendDistances(findNode.distances)
            case .nodes(let nodes):
                list.appendBytes(nodes.requestID.bytes)
                list.appendUInt(nodes.total)
                list.appendRecords(nodes.records)
            case .talkRequest(let request):
                list.appendBytes(request.requestID.bytes)
                list.appendBytes(request.protocolName)
                list.appendBytes(request.request)
            case .talkResponse(let response):
                list.appendBytes(response.requestID.bytes)
                list.appendBytes(response.response)
            case .regTopic(let register):
                list.appendBytes(register.requestID.bytes)
                list.appendBytes(register.topic.bytes)
                list.appendEncoded(register.record.rlpEncoding)
                list.appendBytes(register.ticket)
                list.appendDistances(register.topicDistances)
            case .regConfirmation(let confirmation):
                list.appendBytes(confirmation.requestID.bytes)
                list.appendUInt(confirmation.total)
                list.appendBytes(confirmation.ticket)
                list.appendUInt(confirmation.waitTime)
            case .topicQuery(let query):
                list.appendBytes(query.requestID.bytes)
                list.appendBytes(query.topic.bytes)
                list.appendDistances(query.topicDistances)
            case .topicNodes(let nodes):
                list.appendBytes(nodes.requestID.bytes)
                list.appendUInt(nodes.total)
                list.appendRecords(nodes.records)
            }
        }
        return [message.type.rawValue] + body.bytes
    }

    /// Decodes a message plaintext.
    public static func decode(_ plaintext: some Collection<UInt8>) throws(DiscV5Error) -> Message {
        var cache = RecordCache(capacity: 0)
        return try decode(plaintext, recordCache: &cache)
    }

    /// Decodes a message plaintext, taking NODES records already verified from `recordCache`
    /// (and adding the new ones).
    public static func decode(
        _ plaintext: some Collection<UInt8>, recordCache: inout RecordCache
    ) throws(DiscV5Error) -> Message {
        let bytes = Array(plaintext)
        guard let typeByte = bytes.first else { throw .emptyMessage }
        guard let type = MessageType(rawValue: typeByte) else { throw .unknownMessageType(typeByte) }
        let list: RLPReader
        do throws(RLPError) {
            list = try RLPReader(list: bytes[1...], limits: limits)
        } catch {
            throw .malformedMessage(error)
        }
        var body = BodyReader(reader: list)
        let message = try decodeBody(type, &body, &recordCache)
        try body.expectEnd()
        return message
    }

    private static func decodeBody(
        _ type: MessageType, _ body: inout BodyReader, _ recordCache: inout RecordCache
    ) throws(DiscV5Error) -> Message {
        let requestID = try RequestID(body.bytes())
        switch type {
        case .ping:
            return .ping(Ping(requestID: requestID, enrSeq: try body.uint()))
        case .pong:
            let enrSeq = try body.uint()
            let ip = try body.bytes()
            guard ip.count == 4 || ip.count == 16 else { throw .invalidIPLength(ip.count) }
            let port = try body.uint()
            guard port <= UInt64(UInt16.max) else { throw .portOutOfRange(port) }
            return .pong(Pong(requestID: requestID, enrSeq: enrSeq, recipientIP: Array(ip), recipientPort: UInt16(port)))
        case .findNode:
            return .findNode(FindNode(requestID: requestID, distances: try body.distances()))
        case .nodes:
            let total = try body.uint()
            return .nodes(Nodes(requestID: requestID, total: total, records: try body.records(&recordCache)))
        case .talkRequest:
            let protocolName = try body.bytes()
            let request = try body.bytes()
            return .talkRequest(TalkRequest(requestID: requestID, protocolName: Array(protocolName), request: Array(request)))
        case .talkResponse:
            return .talkResponse(TalkResponse(requestID: requestID, response: Array(try body.bytes())))
        case .regTopic:
            let topic = try body.topic()
            let record = try body.record(&recordCache)
            let ticket = try body.ticket()
            return .regTopic(RegisterTopic(requestID: requestID, topic: topic, record: record, ticket: ticket,
                                           topicDistances: try body.distances()))
        case .regConfirmation:
            let total = try body.uint()
            let ticket = try body.ticket()
            return .regConfirmation(RegisterConfirmation(requestID: requestID, total: total, ticket: ticket,
                                                         waitTime: try body.uint()))
        case .topicQuery:
            let topic = try body.topic()
            return .topicQuery(TopicQuery(requestID: requestID, topic: topic, topicDistances: try body.distances()))
        case .topicNodes:
            let total = try body.uint()
            return .topicNodes(TopicNodes(requestID: requestID, total: total, records: try body.records(&recordCache)))
        }
    }
}

/// An ``RLPReader`` whose errors come out as ``DiscV5Error/malformedMessage(_:)``.
struct BodyReader {
    var reader: RLPReader

    var isAtEnd: Bool { reader.isAtEnd }

    mutating func bytes() throws(DiscV5Error) -> ArraySlice<UInt8> {
        do throws(RLPError) { return try reader.readBytes() } catch { throw .malformedMessage(error) }
    }

    mutating func uint() throws(DiscV5Error) -> UInt64 {
        do throws(RLPError) { return try reader.readUInt64() } catch { throw .malformedMessage(error) }
    }

    mutating func list() throws(DiscV5Error) -> BodyReader {
        do throws(RLPError) { return BodyReader(reader: try reader.readList()) } catch { throw .malformedMessage(error) }
    }

    mutating func encodedItem() throws(DiscV5Error) -> ArraySlice<UInt8> {
        do throws(RLPError) { return try reader.readEncodedItem() } catch { throw .malformedMessage(error) }
    }

    func expectEnd() throws(DiscV5Error) {
        do throws(RLPError) { try reader.expectEnd() } catch { throw .malformedMessage(error) }
    }

    /// A list of log2 distances, each at most 256.
    mutating func distances() throws(DiscV5Error) -> [UInt16] {
        var list = try list()
        var distances = [UInt16]()
        while !list.isAtEnd {
            let distance = try list.uint()
            guard distance <= UInt64(FindNode.maximumDistance) else { throw .distanceOutOfRange(distance) }
            distances.append(UInt16(distance))
        }
        return distances
    }

    /// A 32-byte topic id.
    mutating func topic() throws(DiscV5Error) -> TopicID {
        let bytes = try bytes()
        guard let topic = TopicID(bytes: bytes) else { throw .invalidTopicLength(bytes.count) }
        return topic
    }

    /// A ticket, at most ``RegisterTopic/maximumTicketLength`` bytes.
    mutating func ticket() throws(DiscV5Error) -> [UInt8] {
        let ticket = try bytes()
        guard ticket.count <= RegisterTopic.maximumTicketLength else { throw .ticketTooLong(ticket.count) }
        return Array(ticket)
    }

    /// One record, verified (or taken from `cache` when it was already).
    mutating func record(_ cache: inout RecordCache) throws(DiscV5Error) -> NodeRecord {
        let encoded = try encodedItem()
        do throws(ENRError) { return try cache.record(rlp: encoded) } catch { throw .invalidRecord(error) }
    }

    /// A list of records, each verified.
    mutating func records(_ cache: inout RecordCache) throws(DiscV5Error) -> [NodeRecord] {
        var list = try list()
        var records = [NodeRecord]()
        while !list.isAtEnd { records.append(try list.record(&cache)) }
        return records
    }
}

extension RLPEncoder {
    mutating func appendRecords(_ records: [NodeRecord]) {
        appendList { list in
            for record in records { list.appendEncoded(record.rlpEncoding) }
        }
    }

    mutating func appendDistances(_ distances: [UInt16]) {
        appendList { list in
            for distance in distances { list.appendUInt(UInt64(distance)) }
        }
    }
}
