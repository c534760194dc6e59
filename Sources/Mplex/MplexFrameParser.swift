import NIOCore

/// An incremental mplex frame parser: received bytes in, frames out, by an ``MplexFrameDecoder``.
///
/// Bytes go in with ``append(_:)``; ``nextFrame()`` returns a frame once all of it is buffered
/// and consumes nothing before that. Between calls at most one partial frame stays buffered.
public struct MplexFrameParser: Sendable {
    /// The longest payload accepted (the spec allows 1 MiB).
    public var maxPayloadLength: Int { decoder.maxPayloadLength }
    private let decoder: MplexFrameDecoder
    private var buffer = ByteBuffer()

    /// Creates a parser accepting payloads of at most `maxPayloadLength` bytes.
    public init(maxPayloadLength: Int) {
        decoder = MplexFrameDecoder(maxPayloadLength: maxPayloadLength)
    }

    /// Bytes buffered and not yet returned as frames.
    public var bufferedByteCount: Int { buffer.readableBytes }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.discardReadBytes()
        buffer.writeBytes(bytes)
    }

    /// The next complete frame, or `nil` when more bytes are needed.
    ///
    /// - Throws: ``MplexProtocolError`` for a malformed varint, flag 7, or a payload longer than
    ///   ``maxPayloadLength``. The parser must not be used after an error.
    public mutating func nextFrame() throws(MplexProtocolError) -> MplexFrame? {
        try decoder.decode(buffer: &buffer)
    }
}
