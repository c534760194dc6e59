import LibP2PCore

/// The identify protobuf as it travels (`/ipfs/id/1.0.0`, `/ipfs/id/push/1.0.0`): raw bytes
/// and strings, nothing validated beyond the wire format. ``IdentifyInfo`` is the checked model.
///
/// Fields: 1 `publicKey`, 2 `listenAddrs` (repeated), 3 `protocols` (repeated), 4
/// `observedAddr`, 5 `protocolVersion`, 6 `agentVersion`, 8 `signedPeerRecord`. Unknown fields
/// (newer implementations add some) are skipped; a repeated singular field's last value wins.
public struct IdentifyMessage: Sendable, Equatable {
    /// The sender's libp2p `PublicKey` protobuf.
    public var publicKey: [UInt8]?
    /// Binary multiaddrs the sender listens on.
    public var listenAddrs: [[UInt8]] = []
    /// Protocol ids the sender serves.
    public var protocols: [String] = []
    /// The binary multiaddr the sender sees the receiver at.
    public var observedAddr: [UInt8]?
    /// E.g. `ipfs/0.1.0`.
    public var protocolVersion: String?
    /// E.g. `go-libp2p/0.36.0` or `aztec-p2p/0.1.0`.
    public var agentVersion: String?
    /// A signed peer record envelope (kept opaque).
    public var signedPeerRecord: [UInt8]?

    /// An empty message.
    public init() {}

    /// The protobuf encoding (fields in number order).
    public func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        if let publicKey { writer.writeBytes(publicKey, field: 1) }
        for address in listenAddrs { writer.writeBytes(address, field: 2) }
        for id in protocols { writer.writeString(id, field: 3) }
        if let observedAddr { writer.writeBytes(observedAddr, field: 4) }
        if let protocolVersion { writer.writeString(protocolVersion, field: 5) }
        if let agentVersion { writer.writeString(agentVersion, field: 6) }
        if let signedPeerRecord { writer.writeBytes(signedPeerRecord, field: 8) }
        return writer.bytes
    }

    /// Decodes one protobuf message into `self`, merging with what is already there (repeated
    /// fields append), as protobuf merges consecutive messages.
    public mutating func merge(
        protobuf bytes: ArraySlice<UInt8>, limits: IdentifyLimits = .default
    ) throws(IdentifyError) {
        var reader = try Self.wire { () throws(ProtobufError) in try ProtobufReader(bytes) }
        while let field = try Self.wire({ () throws(ProtobufError) in try reader.next() }) {
            switch field.number {
            case 1: publicKey = Array(try Self.wire { () throws(ProtobufError) in try field.bytes() })
            case 2:
                guard listenAddrs.count < limits.maxListenAddrs else { throw .tooManyListenAddrs }
                listenAddrs.append(Array(try Self.wire { () throws(ProtobufError) in try field.bytes() }))
            case 3:
                guard protocols.count < limits.maxProtocols else { throw .tooManyProtocols }
                protocols.append(try Self.wire { () throws(ProtobufError) in try field.string() })
            case 4: observedAddr = Array(try Self.wire { () throws(ProtobufError) in try field.bytes() })
            case 5: protocolVersion = try Self.wire { () throws(ProtobufError) in try field.string() }
            case 6: agentVersion = try Self.wire { () throws(ProtobufError) in try field.string() }
            case 8: signedPeerRecord = Array(try Self.wire { () throws(ProtobufError) in try field.bytes() })
            default: break  // unknown field: skipped
            }
        }
    }

    /// Maps a protobuf failure to ``IdentifyError/protobuf(_:)``.
    private static func wire<T>(_ body: () throws(ProtobufError) -> T) throws(IdentifyError) -> T {
        do throws(ProtobufError) { return try body() } catch { throw .protobuf(error) }
    }

    /// Decodes everything an identify stream carried: one or more varint-length-prefixed
    /// messages, merged (go-libp2p splits large records over several).
    public static func decodeStream(
        _ bytes: [UInt8], limits: IdentifyLimits = .default
    ) throws(IdentifyError) -> IdentifyMessage {
        guard bytes.count <= limits.maxStreamBytes else { throw .tooLong(bytes.count) }
        guard !bytes.isEmpty else { throw .empty }
        var message = IdentifyMessage()
        var offset = 0
        while offset < bytes.count {
            let prefix: (value: UInt64, length: Int)
            do throws(VarintError) { prefix = try UVarint.decode(bytes[offset...]) } catch {
                throw .badLengthPrefix(error)
            }
            let start = offset + prefix.length
            guard prefix.value <= UInt64(bytes.count - start) else { throw .truncated }
            let end = start + Int(prefix.value)
            try message.merge(protobuf: bytes[start..<end], limits: limits)
            offset = end
        }
        return message
    }

    /// The bytes an identify responder writes: the varint length, then the protobuf.
    public func framed() -> [UInt8] {
        let body = encoded()
        return UVarint.encode(UInt64(body.count)) + body
    }
}

/// Why an identify message was rejected.
public enum IdentifyError: Error, Equatable, Sendable {
    /// The stream carried no message.
    case empty
    /// More bytes than ``IdentifyLimits/maxStreamBytes``.
    case tooLong(Int)
    /// A length prefix is malformed.
    case badLengthPrefix(VarintError)
    /// A length prefix points past the end of the stream.
    case truncated
    /// The protobuf is malformed.
    case protobuf(ProtobufError)
    /// More listen addresses than allowed.
    case tooManyListenAddrs
    /// More protocols than allowed.
    case tooManyProtocols
    /// The public key does not decode.
    case badPublicKey(KeyError)
    /// The public key is not the one of the connection's authenticated peer.
    case publicKeyMismatch
}

/// The limits on a received identify message.
public struct IdentifyLimits: Sendable, Equatable {
    /// Bytes read from an identify stream at most.
    public var maxStreamBytes: Int
    /// Listen addresses accepted at most.
    public var maxListenAddrs: Int
    /// Protocol ids accepted at most.
    public var maxProtocols: Int

    /// Creates limits.
    public init(maxStreamBytes: Int, maxListenAddrs: Int, maxProtocols: Int) {
        self.maxStreamBytes = maxStreamBytes
        self.maxListenAddrs = maxListenAddrs
        self.maxProtocols = maxProtocols
    }

    /// 64 KiB, 128 addresses, 1024 protocols (go-libp2p caps a message at 4 KiB per record part).
    public static let `default` = IdentifyLimits(maxStreamBytes: 64 * 1024, maxListenAddrs: 128, maxProtocols: 1024)
}
