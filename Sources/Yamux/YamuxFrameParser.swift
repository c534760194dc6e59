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

/// An incremental yamux frame parser: received buffers in, frames out, by a ``YamuxFrameDecoder``.
///
/// Bytes go in with ``append(_:)``; ``nextFrame()`` returns a frame once all of it is buffered.
/// Between calls at most one partial frame (12 + `maxDataLength` bytes) stays buffered. Payloads
/// are slices of the received buffers; only a payload split across buffers is copied, to join it.
public struct YamuxFrameParser: Sendable {
    /// The longest data payload accepted.
    public var maxDataLength: UInt32 { decoder.maxDataLength }
    private var buffer = ByteBuffer()
    private var decoder: YamuxFrameDecoder

    /// Creates a parser accepting data payloads of at most `maxDataLength` bytes.
    public init(maxDataLength: UInt32) {
        decoder = YamuxFrameDecoder(maxDataLength: maxDataLength)
    }

    /// Bytes buffered and not yet returned as frames.
    public var bufferedByteCount: Int { buffer.readableBytes + decoder.pendingHeaderByteCount }

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
        try decoder.decode(buffer: &buffer)
    }
}
