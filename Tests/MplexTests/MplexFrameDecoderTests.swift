import DecoderTestSupport
import Mplex
import NIOCore
import NIOEmbedded
import Testing

/// The mplex framing as a SwiftNIO decoder: checked by NIO's own verifier (whole, byte by byte,
/// many at once) and in a pipeline for its limits and its end.
@Suite struct MplexFrameDecoderTests {
    /// A frame's bytes and the frame it decodes to.
    static func frame(_ stream: UInt64, _ flag: MplexFlag, _ payload: [UInt8] = []) -> (ByteBuffer, [MplexFrame]) {
        let frame = MplexFrame(streamNumber: stream, flag: flag, payload: payload)
        var bytes: [UInt8] = []
        frame.encode(into: &bytes)
        return (ByteBuffer(bytes: bytes), [frame])
    }

    @Test func decodesFramesHoweverTheBytesArrive() throws {
        try verifyFrameDecoder([
            Self.frame(0, .newStream, Array("stream".utf8)),
            Self.frame(17, .messageInitiator, [UInt8](repeating: 0xAB, count: 300)),
            Self.frame(1 << 40, .closeReceiver),
        ]) { MplexFrameDecoder(maxPayloadLength: 1024) }
    }

    @Test func anOversizedLengthFailsBeforeItsPayload() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MplexFrameDecoder(maxPayloadLength: 16)))
        #expect(throws: MplexProtocolError.frameTooLarge(length: 17, limit: 16)) {
            try channel.writeInbound(ByteBuffer(bytes: [0x0A, 17]))  // stream 1, message from the initiator
        }
    }

    @Test func aFrameCutShortByTheEndIsReportedNotDropped() throws {
        try expectFrameCutShortIsReported(MplexFrameDecoder(maxPayloadLength: 16), partial: [0x0A, 8, 1, 2])
    }
}
