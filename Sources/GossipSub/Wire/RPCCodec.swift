// Encoding and decoding of the pubsub `RPC` protobuf (pubsub spec + gossipsub v1.0 to v1.3), on
// Multiformats' protobuf reader (generic over its input) and writer. Unknown fields are skipped; every count and length is
// bounded by ``RPCLimits``.

import Multiformats

extension RPC {
    /// Decodes one RPC (without its stream length prefix), enforcing `limits`.
    public static func decode(_ bytes: [UInt8], limits: RPCLimits = RPCLimits()) throws(RPCDecodingError) -> RPC {
        try decode(bytes[...], limits: limits)
    }

    /// Decodes one RPC from a slice (no copy of the input), enforcing `limits`.
    public static func decode(_ bytes: ArraySlice<UInt8>, limits: RPCLimits = RPCLimits()) throws(RPCDecodingError) -> RPC {
        try decode(input: bytes, limits: limits)
    }

    /// Decodes one RPC from raw memory, such as the readable bytes of a received buffer, without
    /// copying the input: only the fields the RPC keeps (a message's data among them) are copied
    /// out of it, so `bytes` need only live for the call.
    public static func decode(_ bytes: UnsafeRawBufferPointer, limits: RPCLimits = RPCLimits()) throws(RPCDecodingError) -> RPC {
        try decode(input: bytes[...], limits: limits)
    }

    private static func decode<Input: ProtobufInput>(input: Input, limits: RPCLimits) throws(RPCDecodingError) -> RPC {
        guard input.count <= limits.maxRPCSize else {
            throw .rpcTooLarge(size: input.count, limit: limits.maxRPCSize)
        }
        var decoder = RPCDecoder<Input>(limits: limits)
        return try decoder.decodeRPC(protobuf { () throws(ProtobufError) in
            try ProtobufInputReader(input, limits: limits.protobuf)
        })
    }

    /// The protobuf encoding of this RPC (without a length prefix).
    public func encoded() -> [UInt8] {
        var w = ProtobufWriter()
        encode(into: &w)
        return w.bytes
    }

    /// The encoding prefixed with its unsigned-varint length, as written on a pubsub stream.
    ///
    /// The published messages' sizes are computed first, so every length prefix is written
    /// before what it measures and a message's data is copied once, into the frame.
    public func framed() -> [UInt8] {
        var head = ProtobufWriter()
        encodeSubscriptions(into: &head)
        var tail = ProtobufWriter()
        encodeControlAndExtensions(into: &tail)
        let sizes = publish.map { $0.encodedSize(includeSignature: true) }
        let bodySize = head.bytes.count + tail.bytes.count
            + sizes.reduce(0) { $0 + ProtobufWriter.lengthDelimitedSize($1, field: 2) }
        var w = ProtobufWriter(capacity: UVarint.encodedLength(UInt64(bodySize)) + bodySize)
        w.writeRawVarint(UInt64(bodySize))
        w.writeRaw(head.bytes)
        for (message, size) in zip(publish, sizes) {
            w.writeMessage(field: 2, length: size) { m in message.encode(into: &m, includeSignature: true) }
        }
        w.writeRaw(tail.bytes)
        return w.bytes
    }

    private func encode(into w: inout ProtobufWriter) {
        encodeSubscriptions(into: &w)
        for message in publish {
            w.writeMessage(field: 2) { m in message.encode(into: &m, includeSignature: true) }
        }
        encodeControlAndExtensions(into: &w)
    }

    private func encodeSubscriptions(into w: inout ProtobufWriter) {
        for sub in subscriptions {
            w.writeMessage(field: 1) { m in
                m.writeBool(sub.subscribe, field: 1)
                m.writeString(sub.topic, field: 2)
            }
        }
    }

    private func encodeControlAndExtensions(into w: inout ProtobufWriter) {
        if let control, !control.isEmpty {
            w.writeMessage(field: 3) { c in control.encode(into: &c) }
        }
        if testExtension { w.writeMessage(field: ExtensionField.testExtension) { _ in } }
        if let preambleExtension, !preambleExtension.isEmpty {
            w.writeMessage(field: ExtensionField.preamble) { e in
                for preamble in preambleExtension.preambles {
                    e.writeMessage(field: 1) { m in
                        m.writeString(preamble.topic, field: 1)
                        m.writeBytes(preamble.messageID.bytes, field: 2)
                        m.writeVarint(UInt64(preamble.messageLength), field: 3)
                    }
                }
                for receiving in preambleExtension.imReceiving {
                    e.writeMessage(field: 2) { m in
                        m.writeBytes(receiving.messageID.bytes, field: 1)
                        m.writeVarint(UInt64(receiving.messageLength), field: 2)
                    }
                }
            }
        }
        if let announceExtension, !announceExtension.isEmpty {
            w.writeMessage(field: ExtensionField.announce) { e in
                for announcement in announceExtension.announcements {
                    e.writeMessage(field: 1) { m in
                        m.writeString(announcement.topic, field: 1)
                        m.writeBytes(announcement.messageID.bytes, field: 2)
                    }
                }
                for need in announceExtension.needs {
                    e.writeMessage(field: 2) { m in m.writeBytes(need.messageID.bytes, field: 1) }
                }
            }
        }
    }

    /// Splits one length-prefixed RPC off the front of `buffer`.
    ///
    /// Returns `nil` when the frame is not complete yet (nothing is consumed then), otherwise the
    /// decoded RPC and the number of bytes consumed.
    public static func decodeFrame(_ buffer: [UInt8], limits: RPCLimits = RPCLimits())
        throws(RPCDecodingError) -> (rpc: RPC, consumed: Int)? {
        let length: UInt64
        let prefix: Int
        do throws(VarintError) {
            (length, prefix) = try UVarint.decode(buffer[...], rules: .protobuf)
        } catch .truncated {
            return nil
        } catch {
            throw .malformedVarint
        }
        guard length <= UInt64(limits.maxRPCSize) else {
            throw .rpcTooLarge(size: Int(clamping: length), limit: limits.maxRPCSize)
        }
        guard buffer.count - prefix >= Int(length) else { return nil }
        let end = prefix + Int(length)
        return (try decode(buffer[prefix..<end], limits: limits), end)
    }
}

extension RawMessage {
    /// The bytes a StrictSign author signs: `"libp2p-pubsub:"` followed by the message encoding
    /// without its `signature` and `key` fields.
    public var signingPayload: [UInt8] {
        var w = ProtobufWriter()
        w.writeRaw("libp2p-pubsub:".utf8)
        encode(into: &w, includeSignature: false)
        return w.bytes
    }

    /// The size of what ``encode(into:includeSignature:)`` writes.
    func encodedSize(includeSignature: Bool) -> Int {
        var size = ProtobufWriter.lengthDelimitedSize(topic.utf8.count, field: 4)
        if let from { size += ProtobufWriter.lengthDelimitedSize(from.count, field: 1) }
        if let data { size += ProtobufWriter.lengthDelimitedSize(data.count, field: 2) }
        if let seqno { size += ProtobufWriter.lengthDelimitedSize(seqno.count, field: 3) }
        if includeSignature {
            if let signature { size += ProtobufWriter.lengthDelimitedSize(signature.count, field: 5) }
            if let key { size += ProtobufWriter.lengthDelimitedSize(key.count, field: 6) }
        }
        return size
    }

    func encode(into m: inout ProtobufWriter, includeSignature: Bool) {
        if let from { m.writeBytes(from, field: 1) }
        if let data { m.writeBytes(data, field: 2) }
        if let seqno { m.writeBytes(seqno, field: 3) }
        m.writeString(topic, field: 4)
        if includeSignature {
            if let signature { m.writeBytes(signature, field: 5) }
            if let key { m.writeBytes(key, field: 6) }
        }
    }
}

extension ControlMessage {
    func encode(into c: inout ProtobufWriter) {
        for ihave in ihave {
            c.writeMessage(field: 1) { m in
                m.writeString(ihave.topic, field: 1)
                for id in ihave.messageIDs { m.writeBytes(id.bytes, field: 2) }
            }
        }
        for iwant in iwant {
            c.writeMessage(field: 2) { m in
                for id in iwant.messageIDs { m.writeBytes(id.bytes, field: 1) }
            }
        }
        for graft in graft {
            c.writeMessage(field: 3) { m in m.writeString(graft.topic, field: 1) }
        }
        for prune in prune {
            c.writeMessage(field: 4) { m in
                m.writeString(prune.topic, field: 1)
                for peer in prune.peers {
                    m.writeMessage(field: 2) { p in
                        if let id = peer.peerID { p.writeBytes(id, field: 1) }
                        if let record = peer.signedPeerRecord { p.writeBytes(record, field: 2) }
                    }
                }
                if let backoff = prune.backoffSeconds { m.writeVarint(backoff, field: 3) }
            }
        }
        for idontwant in idontwant {
            c.writeMessage(field: 5) { m in
                for id in idontwant.messageIDs { m.writeBytes(id.bytes, field: 1) }
            }
        }
        if let extensions {
            c.writeMessage(field: ExtensionField.control) { m in
                if extensions.testExtension { m.writeBool(true, field: ExtensionField.testExtension) }
                if extensions.preamble { m.writeBool(true, field: ExtensionField.preamble) }
                if extensions.announce { m.writeBool(true, field: ExtensionField.announce) }
            }
        }
    }
}

extension RPCLimits {
    /// The protobuf reader's own bounds: no field or message beyond the RPC size, and the
    /// schema's depth (RPC, control, PRUNE, peer info) with room to skip unknown nesting.
    var protobuf: ProtobufLimits {
        ProtobufLimits(maxMessageLength: maxRPCSize, maxFieldLength: maxRPCSize, maxDepth: 8)
    }
}

/// Decoding state: the running counters that the per-RPC limits apply to. Generic over where
/// the bytes are (an array slice or a received buffer's memory); every field kept is copied out.
struct RPCDecoder<Input: ProtobufInput> {
    let limits: RPCLimits
    var controlEntries = 0
    var messageIDs = 0

    init(limits: RPCLimits) { self.limits = limits }

    mutating func decodeRPC(_ reader: ProtobufInputReader<Input>) throws(RPCDecodingError) -> RPC {
        var r = reader
        var rpc = RPC()
        while let field = try r.nextField() {
            switch field.number {
            case 1:
                let sub = try r.nestedReader(field)
                guard rpc.subscriptions.count < limits.maxSubscriptionsPerRPC else {
                    throw .tooManySubscriptions(limit: limits.maxSubscriptionsPerRPC)
                }
                rpc.subscriptions.append(try decodeSubOpts(sub))
            case 2:
                let sub = try r.nestedReader(field)
                guard rpc.publish.count < limits.maxMessagesPerRPC else {
                    throw .tooManyMessages(limit: limits.maxMessagesPerRPC)
                }
                rpc.publish.append(try decodeMessage(sub))
            case 3:
                // Repeated occurrences of a non-repeated message field merge (protobuf rule).
                var control = rpc.control ?? ControlMessage()
                try decodeControl(r.nestedReader(field), into: &control)
                // An empty control message carries nothing: it decodes as absent, as the encoder
                // writes it, so that every value has one encoding.
                rpc.control = control.isEmpty ? nil : control
            case ExtensionField.testExtension:
                _ = try field.payload()   // an empty message; its content is ignored
                rpc.testExtension = true
            case ExtensionField.preamble:
                // Repeats merge, as for `control`.
                var preamble = rpc.preambleExtension ?? PreambleExtension()
                try decodePreambleExtension(r.nestedReader(field), into: &preamble)
                rpc.preambleExtension = preamble.isEmpty ? nil : preamble
            case ExtensionField.announce:
                var announce = rpc.announceExtension ?? AnnounceExtension()
                try decodeAnnounceExtension(r.nestedReader(field), into: &announce)
                rpc.announceExtension = announce.isEmpty ? nil : announce
            default:
                break
            }
        }
        return rpc
    }

    private func decodeSubOpts(_ reader: ProtobufInputReader<Input>) throws(RPCDecodingError) -> SubOpts {
        var r = reader
        var subscribe = false
        var topic = ""
        while let field = try r.nextField() {
            switch field.number {
            case 1: subscribe = try field.flag()
            case 2: topic = try string(field, "topicid", limit: limits.maxTopicLength)
            default: break
            }
        }
        return SubOpts(subscribe: subscribe, topic: topic)
    }

    private func decodeMessage(_ reader: ProtobufInputReader<Input>) throws(RPCDecodingError) -> RawMessage {
        var r = reader
        var message = RawMessage(topic: "")
        var sawTopic = false
        let small = limits.maxSmallFieldLength
        while let field = try r.nextField() {
            switch field.number {
            case 1: message.from = try bytes(field, "from", limit: small)
            // `data` is bounded by the RPC size; the per-topic limit is the router's check.
            case 2: message.data = try bytes(field, "data", limit: limits.maxRPCSize)
            case 3: message.seqno = try bytes(field, "seqno", limit: small)
            case 4:
                message.topic = try string(field, "topic", limit: limits.maxTopicLength)
                sawTopic = true
            case 5: message.signature = try bytes(field, "signature", limit: small)
            case 6: message.key = try bytes(field, "key", limit: small)
            default: break
            }
        }
        guard sawTopic else { throw .missingTopic }
        return message
    }

    private mutating func countControlEntry() throws(RPCDecodingError) {
        controlEntries += 1
        guard controlEntries <= limits.maxControlEntriesPerRPC else {
            throw .tooManyControlEntries(limit: limits.maxControlEntriesPerRPC)
        }
    }

    private mutating func decodeControl(_ reader: ProtobufInputReader<Input>, into control: inout ControlMessage)
        throws(RPCDecodingError) {
        var r = reader
        while let field = try r.nextField() {
            guard (1...5).contains(field.number) || field.number == ExtensionField.control else { continue }
            let sub = try r.nestedReader(field)
            try countControlEntry()
            switch field.number {
            case 1:
                let (topic, ids) = try decodeTopicAndIDs(sub, topicField: 1, idField: 2)
                control.ihave.append(ControlIHave(topic: topic ?? "", messageIDs: ids))
            case 2:
                control.iwant.append(ControlIWant(messageIDs: try decodeTopicAndIDs(sub, topicField: nil, idField: 1).1))
            case 3:
                control.graft.append(ControlGraft(topic: try decodeTopicAndIDs(sub, topicField: 1, idField: nil).0 ?? ""))
            case 4:
                control.prune.append(try decodePrune(sub))
            case 5:
                control.idontwant.append(ControlIDontWant(messageIDs: try decodeTopicAndIDs(sub, topicField: nil, idField: 1).1))
            default:
                control.merge(ControlMessage(extensions: try decodeExtensions(sub)))
            }
        }
    }

    /// Decodes the extensions we know and skips the rest (the spec: unknown ones are ignored).
    private func decodeExtensions(_ reader: ProtobufInputReader<Input>) throws(RPCDecodingError) -> ControlExtensions {
        var r = reader
        var extensions = ControlExtensions()
        while let field = try r.nextField() {
            switch field.number {
            case ExtensionField.testExtension: extensions.testExtension = try field.flag()
            case ExtensionField.preamble: extensions.preamble = try field.flag()
            case ExtensionField.announce: extensions.announce = try field.flag()
            default: break
            }
        }
        return extensions
    }

    /// Decodes PREAMBLE and IMRECEIVING entries; each counts as a control entry and its id as a
    /// message id, under the same per-RPC limits as IHAVE and IWANT.
    private mutating func decodePreambleExtension(_ reader: ProtobufInputReader<Input>, into preamble: inout PreambleExtension)
        throws(RPCDecodingError) {
        var r = reader
        while let field = try r.nextField() {
            guard field.number == 1 || field.number == 2 else { continue }
            var entry = try r.nestedReader(field)
            try countControlEntry()
            var topic = ""
            var id: MessageID?
            var length: UInt64 = 0
            // Preamble: topic 1, id 2, length 3. IMReceiving: id 1, length 2.
            let (idField, lengthField) = field.number == 1 ? (2, 3) : (1, 2)
            while let part = try entry.nextField() {
                switch part.number {
                case 1 where field.number == 1: topic = try string(part, "topicID", limit: limits.maxTopicLength)
                case idField:
                    messageIDs += 1
                    guard messageIDs <= limits.maxMessageIDsPerRPC else {
                        throw .tooManyMessageIDs(limit: limits.maxMessageIDsPerRPC)
                    }
                    id = MessageID(try bytes(part, "messageID", limit: limits.maxMessageIDLength))
                case lengthField: length = try part.number()
                default: break
                }
            }
            // An entry without an id names nothing; a length beyond 32 bits is not one.
            guard let id, let messageLength = UInt32(exactly: length) else { continue }
            if field.number == 1 {
                preamble.preambles.append(Preamble(topic: topic, messageID: id, messageLength: messageLength))
            } else {
                preamble.imReceiving.append(IMReceiving(messageID: id, messageLength: messageLength))
            }
        }
    }

    /// Decodes IANNOUNCE (topic 1, id 2) and INEED (id 1) entries, counted like IHAVE and IWANT.
    private mutating func decodeAnnounceExtension(_ reader: ProtobufInputReader<Input>, into announce: inout AnnounceExtension)
        throws(RPCDecodingError) {
        var r = reader
        while let field = try r.nextField() {
            guard field.number == 1 || field.number == 2 else { continue }
            try countControlEntry()
            let (topic, ids) = try decodeTopicAndIDs(r.nestedReader(field), topicField: field.number == 1 ? 1 : nil,
                                                     idField: field.number == 1 ? 2 : 1)
            // Exactly one id per entry; an entry with none names nothing.
            guard let id = ids.first else { continue }
            if field.number == 1 {
                announce.announcements.append(IAnnounce(topic: topic ?? "", messageID: id))
            } else {
                announce.needs.append(INeed(messageID: id))
            }
        }
    }

    /// Decodes the shared shape of IHAVE / IWANT / GRAFT / IDONTWANT entries.
    private mutating func decodeTopicAndIDs(_ reader: ProtobufInputReader<Input>, topicField: Int?, idField: Int?)
        throws(RPCDecodingError) -> (String?, [MessageID]) {
        var r = reader
        var topic: String?
        var ids: [MessageID] = []
        while let field = try r.nextField() {
            if field.number == topicField {
                topic = try string(field, "topicID", limit: limits.maxTopicLength)
            } else if field.number == idField {
                _ = try field.payload()
                messageIDs += 1
                guard messageIDs <= limits.maxMessageIDsPerRPC else {
                    throw .tooManyMessageIDs(limit: limits.maxMessageIDsPerRPC)
                }
                ids.append(MessageID(try bytes(field, "messageID", limit: limits.maxMessageIDLength)))
            }
        }
        return (topic, ids)
    }

    private func decodePrune(_ reader: ProtobufInputReader<Input>) throws(RPCDecodingError) -> ControlPrune {
        var r = reader
        var prune = ControlPrune(topic: "")
        let small = limits.maxSmallFieldLength
        while let field = try r.nextField() {
            switch field.number {
            case 1:
                prune.topic = try string(field, "topicID", limit: limits.maxTopicLength)
            case 2:
                var p = try r.nestedReader(field)
                guard prune.peers.count < limits.maxPeersPerPrune else {
                    throw .tooManyPrunePeers(limit: limits.maxPeersPerPrune)
                }
                var info = PeerInfo(peerID: nil)
                while let peerField = try p.nextField() {
                    switch peerField.number {
                    case 1: info.peerID = try bytes(peerField, "peerID", limit: small)
                    case 2: info.signedPeerRecord = try bytes(peerField, "signedPeerRecord", limit: small)
                    default: break
                    }
                }
                prune.peers.append(info)
            case 3:
                prune.backoffSeconds = try field.number()
            default:
                break
            }
        }
        return prune
    }

    /// A `bytes` field copied out, after checking it against `limit`.
    private func bytes(_ field: ProtobufInputField<Input>, _ name: String, limit: Int) throws(RPCDecodingError) -> [UInt8] {
        let raw = try field.payload()
        guard raw.count <= limit else {
            throw .fieldTooLong(field: name, length: raw.count, limit: limit)
        }
        return raw.copiedToArray
    }

    /// A `string` field, checked against `limit` and validated as UTF-8.
    private func string(_ field: ProtobufInputField<Input>, _ name: String, limit: Int) throws(RPCDecodingError) -> String {
        let raw = try field.payload()
        guard raw.count <= limit else {
            throw .fieldTooLong(field: name, length: raw.count, limit: limit)
        }
        guard let text = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8(field: name) }
        return text
    }
}

/// Runs a protobuf step, reporting its failure as the RPC's.
@inlinable
func protobuf<T>(_ body: () throws(ProtobufError) -> T) throws(RPCDecodingError) -> T {
    do { return try body() } catch { throw RPCDecodingError(error) }
}

extension ProtobufInputField {
    /// ``bytes()`` with the RPC's error.
    @inlinable
    func payload() throws(RPCDecodingError) -> Input { try protobuf { () throws(ProtobufError) in try bytes() } }

    /// ``bool()`` with the RPC's error.
    @inlinable
    func flag() throws(RPCDecodingError) -> Bool { try protobuf { () throws(ProtobufError) in try bool() } }

    /// ``uint64()`` with the RPC's error.
    @inlinable
    func number() throws(RPCDecodingError) -> UInt64 { try protobuf { () throws(ProtobufError) in try uint64() } }
}

extension ProtobufInputReader {
    /// ``next()`` with the RPC's error.
    @inlinable
    mutating func nextField() throws(RPCDecodingError) -> ProtobufInputField<Input>? {
        do { return try next() } catch { throw RPCDecodingError(error) }
    }

    /// The reader of the embedded message in `field`, with the RPC's error.
    @inlinable
    func nestedReader(_ field: ProtobufInputField<Input>) throws(RPCDecodingError) -> Self {
        do { return try nested(field) } catch { throw RPCDecodingError(error) }
    }
}
