import ByteBufferCumulation
import NIOCore

/// A complete yamux frame: the header and, for data frames, its payload.
public struct YamuxFrame: Hashable, Sendable {
    /// The header.
    public var header: YamuxFrameHeader
    /// The payload, a slice of the received bytes; empty for every type but data.
    public var payload: ByteBuffer

    /// Creates a frame.
    public init(header: YamuxFrameHeader, payload: ByteBuffer = ByteBuffer()) {
        self.header = header
        self.payload = payload
    }

    /// Creates a frame with a copy of `payload`.
    public init(header: YamuxFrameHeader, payload: [UInt8]) {
        self.init(header: header, payload: ByteBuffer(bytes: payload))
    }
}

/// An incremental yamux frame parser.
///
/// Bytes go in with ``append(_:)``; ``nextFrame()`` returns a frame once all of it is buffered.
/// The header is validated (version, type, data length against
/// ``maxDataLength``) as soon as its 12 bytes are there, so an oversized length is rejected
/// before its payload is waited for. Between calls at most one partial frame
/// (12 + `maxDataLength` bytes) stays buffered.
///
/// Payloads are slices of the received buffers, not copies: a header whose payload has not
/// arrived yet is consumed and kept, so a payload that comes in a buffer of its own (as this
/// project's sender puts a large one in a Noise frame of its own) is that buffer. Only a payload
/// split across buffers is copied, to join it.
public struct YamuxFrameParser: Sendable {
    /// The longest data payload accepted.
    public let maxDataLength: UInt32
    private var buffer = ByteBuffer()
    /// A validated header whose payload is still incomplete.
    private var pendingHeader: YamuxFrameHeader?

    /// Creates a parser accepting data payloads of at most `maxDataLength` bytes.
    public init(maxDataLength: UInt32) {
        self.maxDataLength = maxDataLength
    }

    /// Bytes buffered and not yet returned as frames.
    public var bufferedByteCount: Int {
        buffer.readableBytes + (pendingHeader == nil ? 0 : YamuxFrameHeader.byteCount)
    }

    /// Adds a received buffer: kept as it is when nothing is pending, appended otherwise.
    public mutating func append(_ bytes: ByteBuffer) {
        buffer.cumulate(bytes)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.discardReadBytes()
        buffer.writeBytes(bytes)
    }

    /// The next complete frame, or `nil` when more bytes are needed.
    ///
    /// - Throws: ``YamuxProtocolError`` for a bad version, an unknown type or a data frame longer
    ///   than ``maxDataLength``. The parser must not be used after an error.
    public mutating func nextFrame() throws(YamuxProtocolError) -> YamuxFrame? {
        let header: YamuxFrameHeader
        if let pendingHeader {
            header = pendingHeader
        } else {
            guard buffer.readableBytes >= YamuxFrameHeader.byteCount else { return nil }
            let decoded: Result<YamuxFrameHeader, YamuxProtocolError> = buffer.withUnsafeReadableBytes { raw in
                do throws(YamuxProtocolError) {
                    return .success(try YamuxFrameHeader.decode(raw))
                } catch {
                    return .failure(error)
                }
            }
            header = try decoded.get()
            if header.type == .data, header.length > maxDataLength {
                throw .frameTooLarge(length: header.length, limit: maxDataLength)
            }
            buffer.moveReaderIndex(forwardBy: YamuxFrameHeader.byteCount)
        }
        let payloadLength = header.type == .data ? Int(header.length) : 0
        guard buffer.readableBytes >= payloadLength else {
            pendingHeader = header
            return nil
        }
        pendingHeader = nil
        let payload = payloadLength == 0 ? ByteBuffer() : buffer.readSlice(length: payloadLength) ?? ByteBuffer()
        return YamuxFrame(header: header, payload: payload)
    }
}
