import LibP2PCore

/// The flag in the low three bits of an mplex frame header.
public enum MplexFlag: UInt8, Hashable, Sendable, CaseIterable {
    /// Opens a stream; the payload is the stream's name.
    case newStream = 0
    /// Data from the stream's receiver (the side that did not open it).
    case messageReceiver = 1
    /// Data from the stream's initiator.
    case messageInitiator = 2
    /// Half-close by the receiver.
    case closeReceiver = 3
    /// Half-close by the initiator.
    case closeInitiator = 4
    /// Reset by the receiver.
    case resetReceiver = 5
    /// Reset by the initiator.
    case resetInitiator = 6

    /// Whether the frame's sender opened the stream it names (NewStream counts as sent by the
    /// initiator). The receiving side looks the stream up among those the *other* side opened
    /// when this is true.
    @inlinable public var isFromInitiator: Bool { rawValue & 1 == 0 }
}

/// One mplex frame: `uvarint(streamNumber << 3 | flag)`, `uvarint(length)`, payload.
public struct MplexFrame: Hashable, Sendable {
    /// The largest stream number a 9-byte header varint can carry (2^60 - 1).
    public static let maxStreamNumber: UInt64 = (1 << 60) - 1

    /// The stream number, scoped by the stream's initiator.
    public var streamNumber: UInt64
    /// The frame's flag.
    public var flag: MplexFlag
    /// The payload: data, a stream name, or empty for close and reset.
    public var payload: [UInt8]

    /// Creates a frame. `streamNumber` must not exceed ``maxStreamNumber``.
    public init(streamNumber: UInt64, flag: MplexFlag, payload: [UInt8] = []) {
        self.streamNumber = streamNumber
        self.flag = flag
        self.payload = payload
    }

    /// Appends the encoded frame to `buffer`.
    public func encode(into buffer: inout [UInt8]) {
        Self.encode(streamNumber: streamNumber, flag: flag, payload: payload[...], into: &buffer)
    }

    /// The encoded frame.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        return bytes
    }

    static func encode(streamNumber: UInt64, flag: MplexFlag, payload: ArraySlice<UInt8>, into buffer: inout [UInt8]) {
        encodeHeader(streamNumber: streamNumber, flag: flag, length: payload.count, into: &buffer)
        buffer.append(contentsOf: payload)
    }

    /// Appends the header and length of a frame whose `length` payload bytes the caller appends.
    static func encodeHeader(streamNumber: UInt64, flag: MplexFlag, length: Int, into buffer: inout [UInt8]) {
        UVarint.encode((streamNumber & maxStreamNumber) << 3 | UInt64(flag.rawValue), into: &buffer)
        UVarint.encode(UInt64(length), into: &buffer)
    }
}
