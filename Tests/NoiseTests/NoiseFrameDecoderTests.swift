import DecoderTestSupport
import NIOCore
import Noise
import Testing

/// The Noise framing as a SwiftNIO decoder: checked by NIO's own verifier (whole, byte by byte,
/// many at once) and in a pipeline for its end.
@Suite struct NoiseFrameDecoderTests {
    /// A frame's bytes and the message it decodes to.
    static func frame(_ message: [UInt8]) -> (ByteBuffer, [ByteBuffer]) {
        let length = [UInt8(message.count >> 8), UInt8(message.count & 0xFF)]
        return (ByteBuffer(bytes: length + message), [ByteBuffer(bytes: message)])
    }

    @Test func decodesFramesHoweverTheBytesArrive() throws {
        try verifyFrameDecoder([Self.frame([1, 2, 3]), Self.frame([]), Self.frame([UInt8](repeating: 0x5A, count: 1_000))]) {
            NoiseFrameDecoder()
        }
    }

    @Test func theLargestFrameIsOneSliceOfItsBuffer() {
        var buffer = Self.frame([UInt8](repeating: 0x5A, count: 65_535)).0
        let decoder = NoiseFrameDecoder()
        var partial = buffer.getSlice(at: 0, length: 65_536)!
        #expect(decoder.decode(buffer: &partial) == nil)
        #expect(partial.readableBytes == 65_536)
        let start = buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let message = decoder.decode(buffer: &buffer)
        #expect(message?.readableBytes == 65_535)
        #expect(message?.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) } == start + 2)
        #expect(buffer.readableBytes == 0)
    }

    @Test func aFrameCutShortByTheEndIsReportedNotDropped() throws {
        try expectFrameCutShortIsReported(NoiseFrameDecoder(), partial: [0, 5, 1, 2])
    }
}
