import NIOCore
import NIOEmbedded
import NIOTestUtils
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
        let small = Self.frame([1, 2, 3])
        let empty = Self.frame([])
        let larger = Self.frame([UInt8](repeating: 0x5A, count: 1_000))
        var two = small.0
        var second = empty.0
        two.writeBuffer(&second)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [small, empty, larger, (two, small.1 + empty.1)]
        ) { NoiseFrameDecoder() }
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
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(NoiseFrameDecoder()))
        try channel.writeInbound(ByteBuffer(bytes: [0, 5, 1, 2]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        let error = #expect(throws: ByteToMessageDecoderError.self) { try channel.finish() }
        guard case .leftoverDataWhenDone(let rest) = error else {
            Issue.record("expected the left-over bytes, got \(String(describing: error))")
            return
        }
        #expect(rest.readableBytes == 4)
    }
}
