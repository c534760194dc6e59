import LibP2PCore

/// The libp2p `NoiseHandshakePayload` carried (encrypted) in XX messages 2 and 3.
///
/// ```protobuf
/// message NoiseExtensions { repeated bytes webtransport_certhashes = 1; repeated string stream_muxers = 2; }
/// message NoiseHandshakePayload { optional bytes identity_key = 1; optional bytes identity_sig = 2;
///                                 optional NoiseExtensions extensions = 4; }
/// ```
/// Unknown fields are skipped when decoding.
public struct NoiseHandshakePayload: Sendable, Equatable {
    /// The sender's serialized libp2p `PublicKey` protobuf.
    public var identityKey: [UInt8]
    /// The identity key's signature over `"noise-libp2p-static-key:" ‖ static public key`.
    public var identitySignature: [UInt8]
    /// Early data for other libp2p components (only present in messages that guarantee secrecy).
    public var extensions: NoiseExtensions?

    /// Creates a payload.
    public init(identityKey: [UInt8], identitySignature: [UInt8], extensions: NoiseExtensions? = nil) {
        self.identityKey = identityKey
        self.identitySignature = identitySignature
        self.extensions = extensions
    }

    /// The protobuf encoding.
    public func encoded() -> [UInt8] {
        var writer = ProtobufWriter(capacity: identityKey.count + identitySignature.count + 8)
        writer.writeBytes(identityKey, field: 1)
        writer.writeBytes(identitySignature, field: 2)
        if let extensions { writer.writeMessage(field: 4) { extensions.write(to: &$0) } }
        return writer.bytes
    }

    /// Decodes a payload; missing identity fields decode as empty (and then fail verification).
    public init(decoding bytes: ArraySlice<UInt8>) throws(NoiseError) {
        var identityKey: [UInt8] = []
        var identitySignature: [UInt8] = []
        var extensions: NoiseExtensions?
        do throws(ProtobufError) {
            var reader = try ProtobufReader(bytes)
            while let field = try reader.next() {
                switch field.number {
                case 1: identityKey = Array(try field.bytes())
                case 2: identitySignature = Array(try field.bytes())
                case 4:
                    // Protobuf merges repeated occurrences of an embedded message.
                    let more = try NoiseExtensions(reading: try reader.nested(field))
                    if var merged = extensions {
                        merged.webtransportCerthashes += more.webtransportCerthashes
                        merged.streamMuxers += more.streamMuxers
                        extensions = merged
                    } else {
                        extensions = more
                    }
                default: break  // unknown fields are skipped
                }
            }
        } catch {
            throw .invalidPayload(error)
        }
        self.init(identityKey: identityKey, identitySignature: identitySignature, extensions: extensions)
    }
}

/// The libp2p `NoiseExtensions` message.
public struct NoiseExtensions: Sendable, Equatable {
    /// WebTransport certificate hashes (multihashes).
    public var webtransportCerthashes: [[UInt8]]
    /// Supported stream multiplexers, e.g. `/yamux/1.0.0`, in order of preference.
    public var streamMuxers: [String]

    /// Creates extensions.
    public init(webtransportCerthashes: [[UInt8]] = [], streamMuxers: [String] = []) {
        self.webtransportCerthashes = webtransportCerthashes
        self.streamMuxers = streamMuxers
    }

    /// The protobuf encoding.
    public func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        write(to: &writer)
        return writer.bytes
    }

    func write(to writer: inout ProtobufWriter) {
        for hash in webtransportCerthashes { writer.writeBytes(hash, field: 1) }
        for muxer in streamMuxers { writer.writeString(muxer, field: 2) }
    }

    /// Decodes extensions, skipping unknown fields.
    public init(decoding bytes: ArraySlice<UInt8>) throws(NoiseError) {
        do throws(ProtobufError) {
            try self.init(reading: try ProtobufReader(bytes))
        } catch {
            throw .invalidPayload(error)
        }
    }

    init(reading reader: ProtobufReader) throws(ProtobufError) {
        var reader = reader
        var hashes: [[UInt8]] = []
        var muxers: [String] = []
        while let field = try reader.next() {
            switch field.number {
            case 1: hashes.append(Array(try field.bytes()))
            case 2: muxers.append(try field.string())
            default: break  // unknown fields are skipped
            }
        }
        self.init(webtransportCerthashes: hashes, streamMuxers: muxers)
    }
}
