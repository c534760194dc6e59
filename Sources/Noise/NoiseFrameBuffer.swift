import ByteBufferCumulation
import NIOCore

/// Incremental reader of libp2p Noise frames: buffers received bytes and hands out a frame
/// (by ``NoiseFrameDecoder``) only once all of it is present.
///
/// A frame that arrived whole inside one received buffer comes out as a slice of that buffer,
/// not a copy; only the bytes of a frame split across reads are copied, to join them.
struct NoiseFrameBuffer: Sendable {
    private var buffer: ByteBuffer

    init(_ initial: ByteBuffer = ByteBuffer()) {
        buffer = initial
    }

    /// Adds a received buffer: kept as it is when nothing is pending, appended otherwise.
    mutating func append(_ bytes: ByteBuffer) {
        buffer.cumulate(bytes)
    }

    mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.discardReadBytes()
        buffer.writeBytes(bytes)
    }

    /// Number of buffered bytes not yet returned as frames.
    var bufferedCount: Int { buffer.readableBytes }

    /// The next complete frame's message, or `nil` when it is not all there yet.
    mutating func nextFrame() -> ByteBuffer? {
        NoiseFrameDecoder().decode(buffer: &buffer)
    }

    /// Takes every unread byte (they belong to whoever reads after the handshake).
    mutating func takeRemaining() -> ByteBuffer {
        defer { buffer = ByteBuffer() }
        return buffer
    }

    /// Appends `message` as one frame; the caller guarantees `message.count <= 65535`.
    static func appendFrameHeader(length: Int, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: length >> 8))
        out.append(UInt8(truncatingIfNeeded: length))
    }
}
