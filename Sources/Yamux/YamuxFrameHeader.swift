/// The 12-byte header that starts every yamux frame.
///
/// Layout (all fields big endian): version (8 bits), type (8 bits), flags (16 bits),
/// stream ID (32 bits), length (32 bits). The meaning of `length` depends on `type`:
/// payload length for data frames, window delta for window updates, the opaque value of a
/// ping and the error code of a go-away.
public struct YamuxFrameHeader: Hashable, Sendable {
    /// The size of an encoded header in bytes.
    public static let byteCount = 12
    /// The only protocol version defined by the spec.
    public static let currentVersion: UInt8 = 0

    /// The protocol version; always 0 on frames this module sends.
    public var version: UInt8
    /// The frame type.
    public var type: YamuxFrameType
    /// The flag bits.
    public var flags: YamuxFlags
    /// The stream the frame addresses; 0 is the session itself.
    public var streamID: UInt32
    /// Payload length, window delta, ping opaque value or go-away code.
    public var length: UInt32

    /// Creates a header.
    @inlinable
    public init(
        version: UInt8 = YamuxFrameHeader.currentVersion, type: YamuxFrameType, flags: YamuxFlags,
        streamID: UInt32, length: UInt32
    ) {
        self.version = version
        self.type = type
        self.flags = flags
        self.streamID = streamID
        self.length = length
    }

    /// Appends the 12 encoded bytes to `buffer`.
    @inlinable
    public func encode(into buffer: inout [UInt8]) {
        buffer.append(version)
        buffer.append(type.rawValue)
        buffer.append(UInt8(truncatingIfNeeded: flags.rawValue >> 8))
        buffer.append(UInt8(truncatingIfNeeded: flags.rawValue))
        Self.appendBigEndian(streamID, to: &buffer)
        Self.appendBigEndian(length, to: &buffer)
    }

    /// The 12 encoded bytes.
    @inlinable
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.byteCount)
        encode(into: &bytes)
        return bytes
    }

    /// Decodes a header from exactly the first 12 bytes of `bytes`.
    ///
    /// - Throws: `.truncatedHeader` with fewer than 12 bytes, `.unsupportedVersion` for a version
    ///   other than 0, `.unknownFrameType` for a type above 3.
    @inlinable
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(YamuxProtocolError) -> YamuxFrameHeader {
        guard bytes.count >= byteCount else { throw .truncatedHeader }
        let version = bytes[0]
        guard version == currentVersion else { throw .unsupportedVersion(version) }
        guard let type = YamuxFrameType(rawValue: bytes[1]) else { throw .unknownFrameType(bytes[1]) }
        let flags = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        return YamuxFrameHeader(
            version: version, type: type, flags: YamuxFlags(rawValue: flags),
            streamID: readBigEndian(bytes, at: 4), length: readBigEndian(bytes, at: 8))
    }

    /// Decodes a header from the first 12 bytes of an array.
    @inlinable
    public static func decode(_ bytes: [UInt8]) throws(YamuxProtocolError) -> YamuxFrameHeader {
        let result: Result<YamuxFrameHeader, YamuxProtocolError> = bytes.withUnsafeBytes { raw in
            do throws(YamuxProtocolError) { return .success(try decode(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    @inlinable
    static func appendBigEndian(_ value: UInt32, to buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: value >> 24))
        buffer.append(UInt8(truncatingIfNeeded: value >> 16))
        buffer.append(UInt8(truncatingIfNeeded: value >> 8))
        buffer.append(UInt8(truncatingIfNeeded: value))
    }

    @inlinable
    static func readBigEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}

/// The yamux frame types.
public enum YamuxFrameType: UInt8, Hashable, Sendable, CaseIterable {
    /// Stream data; `length` payload bytes follow the header.
    case data = 0
    /// A receive-window credit for a stream; `length` is the delta.
    case windowUpdate = 1
    /// A ping request (SYN) or response (ACK); `length` is an opaque value.
    case ping = 2
    /// Session termination; `length` is a ``YamuxGoAwayCode``.
    case goAway = 3
}

/// The yamux flag bits.
public struct YamuxFlags: OptionSet, Hashable, Sendable {
    /// The 16-bit flags field of the frame header; bits other than the four below are kept as sent.
    public var rawValue: UInt16
    /// The flags whose bits are set in `rawValue`.
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Opens a stream (data / window update) or marks a ping request.
    public static let syn = YamuxFlags(rawValue: 0x1)
    /// Acknowledges a stream (data / window update) or marks a ping response.
    public static let ack = YamuxFlags(rawValue: 0x2)
    /// Half-closes the sender's direction of a stream.
    public static let fin = YamuxFlags(rawValue: 0x4)
    /// Resets a stream (or rejects a SYN).
    public static let rst = YamuxFlags(rawValue: 0x8)
}

/// The error code carried by a go-away frame. Unknown codes from a peer are kept as they are.
public struct YamuxGoAwayCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The code as carried in the go-away frame's length field.
    public var rawValue: UInt32
    /// The code `rawValue`, known or not.
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Normal termination.
    public static let normal = YamuxGoAwayCode(rawValue: 0)
    /// The peer violated the protocol.
    public static let protocolError = YamuxGoAwayCode(rawValue: 1)
    /// The sender hit an internal error.
    public static let internalError = YamuxGoAwayCode(rawValue: 2)

    /// `normal`, `protocol error`, `internal error`, or `code <n>` for an unknown code.
    public var description: String {
        switch rawValue {
        case 0: "normal"
        case 1: "protocol error"
        case 2: "internal error"
        default: "code \(rawValue)"
        }
    }
}
