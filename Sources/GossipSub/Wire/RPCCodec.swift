// Encoding and decoding of the pubsub `RPC` protobuf (pubsub spec + gossipsub v1.0 to v1.3).
// Unknown fields are skipped; every count and length is bounded by ``RPCLimits``.

extension RPC {
    /// Decodes one RPC (without its stream length prefix), enforcing `limits`.
    public static func decode(_ bytes: [UInt8], limits: RPCLimits = RPCLimits()) throws(RPCDecodingError) -> RPC {
        guard bytes.count <= limits.maxRPCSize else {
            throw .rpcTooLarge(size: bytes.count, limit: limits.maxRPCSize)
        }
        var decoder = RPCDecoder(limits: limits)
        return try decoder.decodeRPC(ProtoReader(bytes, range: 0..<bytes.count))
    }

    /// The protobuf encoding of this RPC (without a length prefix).
    public func encoded() -> [UInt8] {
        var w = ProtoWriter()
        for sub in subscriptions {
            w.writeMessage(1) { m in
                m.writeVarintField(1, sub.subscribe ? 1 : 0)
                m.writeString(2, sub.topic)
            }
        }
        for message in publish {
            w.writeMessage(2) { m in message.encode(into: &m, includeSignature: true) }
        }
        if let control, !control.isEmpty {
            w.writeMessage(3) { c in control.encode(into: &c) }
        }
        if testExtension { w.writeMessage(ExtensionField.testExtension) { _ in } }
        return w.bytes
    }

    /// The encoding prefixed with its unsigned-varint length, as written on a pubsub stream.
    public func framed() -> [UInt8] {
        let body = encoded()
        var w = ProtoWriter()
        w.writeVarint(UInt64(body.count))
        w.bytes.append(contentsOf: body)
        return w.bytes
    }

    /// Splits one length-prefixed RPC off the front of `buffer`.
    ///
    /// Returns `nil` when the frame is not complete yet (nothing is consumed then), otherwise the
    /// decoded RPC and the number of bytes consumed.
    public static func decodeFrame(_ buffer: [UInt8], limits: RPCLimits = RPCLimits())
        throws(RPCDecodingError) -> (rpc: RPC, consumed: Int)? {
        var reader = ProtoReader(buffer, range: 0..<buffer.count)
        let length: UInt64
        do {
            length = try reader.readVarint()
        } catch .truncated {
            return nil
        }
        guard length <= UInt64(limits.maxRPCSize) else {
            throw .rpcTooLarge(size: Int(clamping: length), limit: limits.maxRPCSize)
        }
        let start = reader.position
        guard buffer.count - start >= Int(length) else { return nil }
        let range = start..<(start + Int(length))
        var decoder = RPCDecoder(limits: limits)
        let rpc = try decoder.decodeRPC(reader.subReader(range))
        return (rpc, range.upperBound)
    }
}

extension RawMessage {
    /// The bytes a StrictSign author signs: `"libp2p-pubsub:"` followed by the message encoding
    /// without its `signature` and `key` fields.
    public var signingPayload: [UInt8] {
        var w = ProtoWriter()
        w.bytes.append(contentsOf: Array("libp2p-pubsub:".utf8))
        encode(into: &w, includeSignature: false)
        return w.bytes
    }

    func encode(into m: inout ProtoWriter, includeSignature: Bool) {
        if let from { m.writeBytes(1, from) }
        if let data { m.writeBytes(2, data) }
        if let seqno { m.writeBytes(3, seqno) }
        m.writeString(4, topic)
        if includeSignature {
            if let signature { m.writeBytes(5, signature) }
            if let key { m.writeBytes(6, key) }
        }
    }
}

extension ControlMessage {
    func encode(into c: inout ProtoWriter) {
        for ihave in ihave {
            c.writeMessage(1) { m in
                m.writeString(1, ihave.topic)
                for id in ihave.messageIDs { m.writeBytes(2, id.bytes) }
            }
        }
        for iwant in iwant {
            c.writeMessage(2) { m in
                for id in iwant.messageIDs { m.writeBytes(1, id.bytes) }
            }
        }
        for graft in graft {
            c.writeMessage(3) { m in m.writeString(1, graft.topic) }
        }
        for prune in prune {
            c.writeMessage(4) { m in
                m.writeString(1, prune.topic)
                for peer in prune.peers {
                    m.writeMessage(2) { p in
                        if let id = peer.peerID { p.writeBytes(1, id) }
                        if let record = peer.signedPeerRecord { p.writeBytes(2, record) }
                    }
                }
                if let backoff = prune.backoffSeconds { m.writeVarintField(3, backoff) }
            }
        }
        for idontwant in idontwant {
            c.writeMessage(5) { m in
                for id in idontwant.messageIDs { m.writeBytes(1, id.bytes) }
            }
        }
        if let extensions {
            c.writeMessage(ExtensionField.control) { m in
                if extensions.testExtension { m.writeVarintField(ExtensionField.testExtension, 1) }
            }
        }
    }
}

/// Decoding state: the running counters that the per-RPC limits apply to.
struct RPCDecoder {
    let limits: RPCLimits
    var controlEntries = 0
    var messageIDs = 0

    init(limits: RPCLimits) { self.limits = limits }

    mutating func decodeRPC(_ reader: ProtoReader) throws(RPCDecodingError) -> RPC {
        var r = reader
        var rpc = RPC()
        while !r.isAtEnd {
            let (field, type) = try r.readTag()
            switch field {
            case 1:
                let range = try lengthDelimited(&r, type, field)
                guard rpc.subscriptions.count < limits.maxSubscriptionsPerRPC else {
                    throw .tooManySubscriptions(limit: limits.maxSubscriptionsPerRPC)
                }
                rpc.subscriptions.append(try decodeSubOpts(r.subReader(range)))
            case 2:
                let range = try lengthDelimited(&r, type, field)
                guard rpc.publish.count < limits.maxMessagesPerRPC else {
                    throw .tooManyMessages(limit: limits.maxMessagesPerRPC)
                }
                rpc.publish.append(try decodeMessage(r.subReader(range)))
            case 3:
                let range = try lengthDelimited(&r, type, field)
                // Repeated occurrences of a non-repeated message field merge (protobuf rule).
                var control = rpc.control ?? ControlMessage()
                try decodeControl(r.subReader(range), into: &control)
                // An empty control message carries nothing: it decodes as absent, as the encoder
                // writes it, so that every value has one encoding.
                rpc.control = control.isEmpty ? nil : control
            case ExtensionField.testExtension:
                _ = try lengthDelimited(&r, type, field)   // an empty message; its content is ignored
                rpc.testExtension = true
            default:
                try r.skip(type)
            }
        }
        return rpc
    }

    private func lengthDelimited(_ r: inout ProtoReader, _ type: WireType, _ field: UInt64)
        throws(RPCDecodingError) -> Range<Int> {
        guard type == .lengthDelimited else { throw .wrongWireType(field: field) }
        return try r.readLengthDelimited()
    }

    private func decodeSubOpts(_ reader: ProtoReader) throws(RPCDecodingError) -> SubOpts {
        var r = reader
        var subscribe = false
        var topic = ""
        while !r.isAtEnd {
            let (field, type) = try r.readTag()
            switch field {
            case 1:
                guard type == .varint else { throw .wrongWireType(field: field) }
                subscribe = try r.readVarint() != 0
            case 2:
                topic = try r.string(try lengthDelimited(&r, type, field), field: "topicid", limit: limits.maxTopicLength)
            default:
                try r.skip(type)
            }
        }
        return SubOpts(subscribe: subscribe, topic: topic)
    }

    private func decodeMessage(_ reader: ProtoReader) throws(RPCDecodingError) -> RawMessage {
        var r = reader
        var message = RawMessage(topic: "")
        var sawTopic = false
        let small = limits.maxSmallFieldLength
        while !r.isAtEnd {
            let (field, type) = try r.readTag()
            switch field {
            case 1: message.from = try r.bytes(try lengthDelimited(&r, type, field), field: "from", limit: small)
            // `data` is bounded by the RPC size; the per-topic limit is the router's check.
            case 2: message.data = try r.bytes(try lengthDelimited(&r, type, field), field: "data", limit: limits.maxRPCSize)
            case 3: message.seqno = try r.bytes(try lengthDelimited(&r, type, field), field: "seqno", limit: small)
            case 4:
                message.topic = try r.string(try lengthDelimited(&r, type, field), field: "topic", limit: limits.maxTopicLength)
                sawTopic = true
            case 5: message.signature = try r.bytes(try lengthDelimited(&r, type, field), field: "signature", limit: small)
            case 6: message.key = try r.bytes(try lengthDelimited(&r, type, field), field: "key", limit: small)
            default: try r.skip(type)
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

    private mutating func decodeControl(_ reader: ProtoReader, into control: inout ControlMessage)
        throws(RPCDecodingError) {
        var r = reader
        while !r.isAtEnd {
            let (field, type) = try r.readTag()
            if field == ExtensionField.control {
                let range = try lengthDelimited(&r, type, field)
                try countControlEntry()
                let theirs = try decodeExtensions(r.subReader(range))
                control.merge(ControlMessage(extensions: theirs))
                continue
            }
            guard (1...5).contains(field) else {
                try r.skip(type)
                continue
            }
            let range = try lengthDelimited(&r, type, field)
            try countControlEntry()
            let sub = r.subReader(range)
            switch field {
            case 1:
                let (topic, ids) = try decodeTopicAndIDs(sub, topicField: 1, idField: 2)
                control.ihave.append(ControlIHave(topic: topic ?? "", messageIDs: ids))
            case 2:
                control.iwant.append(ControlIWant(messageIDs: try decodeTopicAndIDs(sub, topicField: nil, idField: 1).1))
            case 3:
                control.graft.append(ControlGraft(topic: try decodeTopicAndIDs(sub, topicField: 1, idField: nil).0 ?? ""))
            case 4:
                control.prune.append(try decodePrune(sub))
            default:
                control.idontwant.append(ControlIDontWant(messageIDs: try decodeTopicAndIDs(sub, topicField: nil, idField: 1).1))
            }
        }
    }

    /// Decodes the extensions we know and skips the rest (the spec: unknown ones are ignored).
    private func decodeExtensions(_ reader: ProtoReader) throws(RPCDecodingError) -> ControlExtensions {
        var r = reader
        var extensions = ControlExtensions()
        while !r.isAtEnd {
            let (field, type) = try r.readTag()
            if field == ExtensionField.testExtension {
                guard type == .varint else { throw .wrongWireType(field: field) }
                extensions.testExtension = try r.readVarint() != 0
            } else {
                try r.skip(type)
            }
        }
        return extensions
    }

    /// Decodes the shared shape of IHAVE / IWANT / GRAFT / IDONTWANT entries.
    private mutating func decodeTopicAndIDs(_ reader: ProtoReader, topicField: UInt64?, idField: UInt64?)
        throws(RPCDecodingError) -> (String?, [MessageID]) {
        var r = reader
        var topic: String?
        var ids: [MessageID] = []
        while !r.isAtEnd {
            let (field, type) = try r.readTag()
            if field == topicField {
                topic = try r.string(try lengthDelimited(&r, type, field), field: "topicID", limit: limits.maxTopicLength)
            } else if field == idField {
                let range = try lengthDelimited(&r, type, field)
                messageIDs += 1
                guard messageIDs <= limits.maxMessageIDsPerRPC else {
                    throw .tooManyMessageIDs(limit: limits.maxMessageIDsPerRPC)
                }
                ids.append(MessageID(try r.bytes(range, field: "messageID", limit: limits.maxMessageIDLength)))
            } else {
                try r.skip(type)
            }
        }
        return (topic, ids)
    }

    private func decodePrune(_ reader: ProtoReader) throws(RPCDecodingError) -> ControlPrune {
        var r = reader
        var prune = ControlPrune(topic: "")
        let small = limits.maxSmallFieldLength
        while !r.isAtEnd {
            let (field, type) = try r.readTag()
            switch field {
            case 1:
                prune.topic = try r.string(try lengthDelimited(&r, type, field), field: "topicID", limit: limits.maxTopicLength)
            case 2:
                let range = try lengthDelimited(&r, type, field)
                guard prune.peers.count < limits.maxPeersPerPrune else {
                    throw .tooManyPrunePeers(limit: limits.maxPeersPerPrune)
                }
                var p = r.subReader(range)
                var info = PeerInfo(peerID: nil)
                while !p.isAtEnd {
                    let (pf, pt) = try p.readTag()
                    switch pf {
                    case 1: info.peerID = try p.bytes(try lengthDelimited(&p, pt, pf), field: "peerID", limit: small)
                    case 2: info.signedPeerRecord = try p.bytes(try lengthDelimited(&p, pt, pf), field: "signedPeerRecord", limit: small)
                    default: try p.skip(pt)
                    }
                }
                prune.peers.append(info)
            case 3:
                guard type == .varint else { throw .wrongWireType(field: field) }
                prune.backoffSeconds = try r.readVarint()
            default:
                try r.skip(type)
            }
        }
        return prune
    }
}
