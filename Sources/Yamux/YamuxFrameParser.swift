/// A complete yamux frame: the header and, for data frames, its payload.
public struct YamuxFrame: Hashable, Sendable {
    /// The header.
    public var header: YamuxFrameHeader
    /// The payload; empty for every type but data.
    public var payload: [UInt8]

    /// Creates a frame.
    public init(header: YamuxFrameHeader, payload: [UInt8] = []) {
        self.header = header
        self.payload = payload
    }
}

/// An incremental yamux frame parser.
///
/// Bytes go in with ``append(_:)``; ``nextFrame()`` returns a frame once all of it is buffered
/// and consumes nothing before that. The header is validated (version, type, data length against
/// ``maxDataLength``) as soon as its 12 bytes are there, so an oversized length is rejected
/// before its payload is waited for. Between calls at most one partial frame
/// (12 + `maxDataLength` bytes) stays buffered.
public struct YamuxFrameParser: Sendable {
    /// The longest data payload accepted.
    public let maxDataLength: UInt32
    private var buffer: [UInt8] = []
    private var readIndex = 0

    /// Creates a parser accepting data payloads of at most `maxDataLength` bytes.
    public init(maxDataLength: UInt32) {
        self.maxDataLength = maxDataLength
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
    /// - Throws: ``YamuxProtocolError`` for a bad version, an unknown type or a data frame longer
    ///   than ``maxDataLength``. The parser must not be used after an error.
    public mutating func nextFrame() throws(YamuxProtocolError) -> YamuxFrame? {
        let available = buffer.count - readIndex
        guard available >= YamuxFrameHeader.byteCount else { return nil }
        let start = readIndex
        let decoded: Result<YamuxFrameHeader, YamuxProtocolError> = buffer.withUnsafeBytes { raw in
            do throws(YamuxProtocolError) {
                return .success(try YamuxFrameHeader.decode(UnsafeRawBufferPointer(rebasing: raw[start...])))
            } catch {
                return .failure(error)
            }
        }
        let header = try decoded.get()
        var payloadLength = 0
        if header.type == .data {
            guard header.length <= maxDataLength else {
                throw .frameTooLarge(length: header.length, limit: maxDataLength)
            }
            payloadLength = Int(header.length)
        }
        guard available - YamuxFrameHeader.byteCount >= payloadLength else { return nil }
        let payloadStart = start + YamuxFrameHeader.byteCount
        let payload = payloadLength == 0 ? [] : Array(buffer[payloadStart..<(payloadStart + payloadLength)])
        readIndex = payloadStart + payloadLength
        compactIfWorthwhile()
        return YamuxFrame(header: header, payload: payload)
    }

    private mutating func compactIfWorthwhile() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex >= 4096, readIndex * 2 >= buffer.count {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
}
