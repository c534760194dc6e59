import ENR
import RLP

/// Encoding and strict decoding of message plaintexts: message-type ‖ RLP list body.
///
/// Decoding rejects non-canonical RLP, missing or extra list elements, trailing bytes, request
/// ids over 8 bytes, IPs that are not 4 or 16 bytes, ports over 65535, distances over 256 and
/// invalid records.
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
                list.appendList { distances in
                    for distance in findNode.distances { distances.appendUInt(UInt64(distance)) }
                }
            case .nodes(let nodes):
                list.appendBytes(nodes.requestID.bytes)
                list.appendUInt(nodes.total)
                list.appendList { records in
                    for record in nodes.records { records.appendEncoded(record.rlpEncoding) }
                }
            case .talkRequest(let request):
                list.appendBytes(request.requestID.bytes)
                list.appendBytes(request.protocolName)
                list.appendBytes(request.request)
            case .talkResponse(let response):
                list.appendBytes(response.requestID.bytes)
                list.appendBytes(response.response)
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
        guard !type.isTopicAdvertisement else { throw .unsupportedMessageType(type) }
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
            var list = try body.list()
            var distances = [UInt16]()
            while !list.isAtEnd {
                let distance = try list.uint()
                guard distance <= UInt64(FindNode.maximumDistance) else { throw .distanceOutOfRange(distance) }
                distances.append(UInt16(distance))
            }
            return .findNode(FindNode(requestID: requestID, distances: distances))
        case .nodes:
            let total = try body.uint()
            var list = try body.list()
            var records = [NodeRecord]()
            while !list.isAtEnd {
                let encoded = try list.encodedItem()
                do throws(ENRError) {
                    records.append(try recordCache.record(rlp: encoded))
                } catch {
                    throw .invalidRecord(error)
                }
            }
            return .nodes(Nodes(requestID: requestID, total: total, records: records))
        case .talkRequest:
            let protocolName = try body.bytes()
            let request = try body.bytes()
            return .talkRequest(TalkRequest(requestID: requestID, protocolName: Array(protocolName), request: Array(request)))
        case .talkResponse:
            return .talkResponse(TalkResponse(requestID: requestID, response: Array(try body.bytes())))
        case .regTopic, .ticket, .regConfirmation, .topicQuery:
            throw .unsupportedMessageType(type)
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
}
