import LibP2PCore

/// An incremental mplex frame parser.
///
/// Bytes go in with ``append(_:)``; ``nextFrame()`` returns a frame once all of it is buffered
/// and consumes nothing before that. The header varint, its flag and the length are checked as
/// soon as they are complete, so an oversized length is rejected before its payload arrives.
public struct MplexFrameParser: Sendable {
    /// The longest payload accepted (the spec allows 1 MiB).
    public let maxPayloadLength: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0

    /// Creates a parser accepting payloads of at most `maxPayloadLength` bytes.
    public init(maxPayloadLength: Int) {
        self.maxPayloadLength = maxPayloadLength
    }

    /// Bytes buffered and not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if readIndex > 0, readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, or `nil` when more bytes are needed.
    ///
    /// - Throws: ``MplexProtocolError`` for a malformed varint, flag 7, or a payload longer than
    ///   ``maxPayloadLength``. The parser must not be used after an error.
    public mutating func nextFrame() throws(MplexProtocolError) -> MplexFrame? {
        guard let headerVarint = try Self.varint(buffer[readIndex...]) else { return nil }
        let (header, headerLength) = headerVarint
        guard let flag = MplexFlag(rawValue: UInt8(header & 7)) else { throw .unknownFlag(UInt8(header & 7)) }
        let lengthStart = readIndex + headerLength
        guard let lengthVarint = try Self.varint(buffer[lengthStart...]) else { return nil }
        let (length, lengthLength) = lengthVarint
        guard length <= UInt64(maxPayloadLength) else {
            throw .frameTooLarge(length: length, limit: maxPayloadLength)
        }
        let payloadStart = lengthStart + lengthLength
        let payloadEnd = payloadStart + Int(length)
        guard buffer.count >= payloadEnd else { return nil }
        let frame = MplexFrame(streamNumber: header >> 3, flag: flag, payload: Array(buffer[payloadStart..<payloadEnd]))
        readIndex = payloadEnd
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex >= 4096, readIndex * 2 >= buffer.count {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        return frame
    }

    /// A multiformats varint at the start of `bytes`, or `nil` if it is not complete yet.
    private static func varint(_ bytes: ArraySlice<UInt8>) throws(MplexProtocolError) -> (UInt64, Int)? {
        do throws(VarintError) {
            let decoded = try UVarint.decode(bytes, rules: .multiformats)
            return (decoded.value, decoded.length)
        } catch {
            switch error {
            case .truncated: return nil
            case .notMinimal: throw .nonMinimalVarint
            case .tooLong, .overflow, .trailingBytes: throw .varintTooLong
            }
        }
    }
}
