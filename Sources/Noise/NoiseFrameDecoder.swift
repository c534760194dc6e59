import NIOCore

/// The libp2p Noise framing (`u16 big-endian length ‖ message`) as a
/// `NIOSingleStepByteToMessageDecoder`: each frame's message, once all of it is present, as a
/// slice of the buffer it arrived in. A 16-bit length needs no further limit. ``NoiseHandshake``
/// and ``NoiseTransport`` run it; in a SwiftNIO pipeline it runs as
/// `ByteToMessageHandler(NoiseFrameDecoder())`.
public struct NoiseFrameDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    /// What each frame decodes to: its message (ciphertext after the handshake).
    public typealias InboundOut = ByteBuffer

    /// A decoder of Noise frames.
    public init() {}

    /// The next whole frame's message at `buffer`'s reader index, consumed with its length;
    /// `nil` (nothing consumed) when it is not all there yet.
    public func decode(buffer: inout ByteBuffer) -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
              buffer.readableBytes - 2 >= Int(length)
        else { return nil }
        buffer.moveReaderIndex(forwardBy: 2)
        return buffer.readSlice(length: Int(length))
    }

    /// As ``decode(buffer:)``; when the bytes have ended (`seenEOF`) inside a frame, throws
    /// `ByteToMessageDecoderError.leftoverDataWhenDone` with what is left rather than drop it quietly.
    public func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        if let frame = decode(buffer: &buffer) { return frame }
        if seenEOF, buffer.readableBytes > 0 { throw ByteToMessageDecoderError.leftoverDataWhenDone(buffer) }
        return nil
    }
}
