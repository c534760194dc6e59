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
        var out: [UInt8] = []
        out.reserveCapacity(identityKey.count + identitySignature.count + 8)
        NoiseProtobufWire.appendBytes(1, identityKey, to: &out)
        NoiseProtobufWire.appendBytes(2, identitySignature, to: &out)
        if let extensions { NoiseProtobufWire.appendBytes(4, extensions.encoded(), to: &out) }
        return out
    }

    /// Decodes a payload; missing identity fields decode as empty (and then fail verification).
    public init(decoding bytes: ArraySlice<UInt8>) throws(NoiseError) {
        var identityKey: [UInt8] = []
        var identitySignature: [UInt8] = []
        var extensions: NoiseExtensions?
        try NoiseProtobufWire.forEachField(bytes) { (number, field) throws(NoiseError) in
            switch (number, field) {
            case (1, .lengthDelimited(let value)): identityKey = Array(value)
            case (2, .lengthDelimited(let value)): identitySignature = Array(value)
            case (4, .lengthDelimited(let value)):
                // Protobuf merges repeated occurrences of an embedded message.
                let more = try NoiseExtensions(decoding: value)
                if var merged = extensions {
                    merged.webtransportCerthashes += more.webtransportCerthashes
                    merged.streamMuxers += more.streamMuxers
                    extensions = merged
                } else {
                    extensions = more
                }
            case (1, _), (2, _), (4, _): throw .invalidPayload("field \(number) has the wrong wire type")
            default: break
            }
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
        var out: [UInt8] = []
        for hash in webtransportCerthashes { NoiseProtobufWire.appendBytes(1, hash, to: &out) }
        for muxer in streamMuxers { NoiseProtobufWire.appendBytes(2, muxer.utf8, to: &out) }
        return out
    }

    /// Decodes extensions, skipping unknown fields.
    public init(decoding bytes: ArraySlice<UInt8>) throws(NoiseError) {
        var hashes: [[UInt8]] = []
        var muxers: [String] = []
        try NoiseProtobufWire.forEachField(bytes) { (number, field) throws(NoiseError) in
            switch (number, field) {
            case (1, .lengthDelimited(let value)): hashes.append(Array(value))
            case (2, .lengthDelimited(let value)):
                guard let muxer = String(validating: value, as: UTF8.self) else {
                    throw .invalidPayload("stream muxer is not UTF-8")
                }
                muxers.append(muxer)
            case (1, _), (2, _): throw .invalidPayload("field \(number) has the wrong wire type")
            default: break
            }
        }
        self.init(webtransportCerthashes: hashes, streamMuxers: muxers)
    }
}
