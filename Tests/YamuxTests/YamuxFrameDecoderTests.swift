import DecoderTestSupport
import NIOCore
import NIOEmbedded
import Testing
import Yamux

/// The yamux framing as a SwiftNIO decoder: checked by NIO's own verifier (whole, byte by byte,
/// many at once) and in a pipeline for its limits and its end.
@Suite struct YamuxFrameDecoderTests {
    /// A frame's bytes and the frame it decodes to.
    static func frame(_ type: YamuxFrameType, _ flags: YamuxFlags, stream: UInt32, length: UInt32,
                      payload: [UInt8] = []) -> (ByteBuffer, [YamuxFrame]) {
        let header = YamuxFrameHeader(type: type, flags: flags, streamID: stream, length: length)
        return (ByteBuffer(bytes: header.encoded + payload), [YamuxFrame(header: header, payload: payload)])
    }

    @Test func decodesEveryFrameTypeHoweverTheBytesArrive() throws {
        try verifyFrameDecoder([
            Self.frame(.data, .syn, stream: 1, length: 5, payload: [1, 2, 3, 4, 5]),
            Self.frame(.windowUpdate, [], stream: 1, length: 256 * 1024),
            Self.frame(.ping, .syn, stream: 0, length: 7),
            Self.frame(.data, .fin, stream: 3, length: 0),
            Self.frame(.goAway, [], stream: 0, length: 2),
        ]) { YamuxFrameDecoder(maxDataLength: 1 << 20) }
    }

    @Test func anOversizedDataFrameFailsOnItsHeader() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(YamuxFrameDecoder(maxDataLength: 16)))
        let header = YamuxFrameHeader(type: .data, flags: [], streamID: 1, length: 17).encoded
        #expect(throws: YamuxProtocolError.frameTooLarge(length: 17, limit: 16)) {
            try channel.writeInbound(ByteBuffer(bytes: header))
        }
    }

    @Test func aFrameCutShortByTheEndIsReportedNotDropped() throws {
        // A header whose payload never completes: the decoder has consumed the header already.
        let header = YamuxFrameHeader(type: .data, flags: [], streamID: 1, length: 8).encoded
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(YamuxFrameDecoder(maxDataLength: 16)))
        try channel.writeInbound(ByteBuffer(bytes: header + [1, 2, 3]))
        #expect(try channel.readInbound(as: YamuxFrame.self) == nil)
        #expect(throws: ByteToMessageDecoderError.self) { try channel.finish() }
        try expectFrameCutShortIsReported(YamuxFrameDecoder(maxDataLength: 16), partial: Array(header.prefix(7)))
    }
}
