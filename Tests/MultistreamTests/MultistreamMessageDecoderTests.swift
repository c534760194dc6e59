import DecoderTestSupport
import Multistream
import NIOCore
import NIOEmbedded
import Testing

/// Multistream-select's framing as a SwiftNIO decoder: checked by NIO's own verifier (whole, byte
/// by byte, many at once) and in a pipeline for its limits and its end.
@Suite struct MultistreamMessageDecoderTests {
    /// A message's bytes and the text it decodes to.
    static func message(_ text: String) -> (ByteBuffer, [String]) {
        let body = Array((text + "\n").utf8)
        return (ByteBuffer(bytes: [UInt8(body.count)] + body), [text])
    }

    @Test func decodesMessagesHoweverTheBytesArrive() throws {
        try verifyFrameDecoder([Self.message("/multistream/1.0.0"), Self.message("/yamux/1.0.0"), Self.message("na")]) {
            MultistreamMessageDecoder(maxMessageLength: 1024)
        }
    }

    @Test func anOversizedLengthFailsBeforeItsBody() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MultistreamMessageDecoder(maxMessageLength: 100)))
        #expect(throws: MultistreamError.messageTooLong(length: 101, limit: 100)) {
            try channel.writeInbound(ByteBuffer(bytes: [101]))
        }
    }

    @Test func aMessageWithoutItsNewlineIsRefused() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MultistreamMessageDecoder(maxMessageLength: 100)))
        #expect(throws: MultistreamError.missingNewline) {
            try channel.writeInbound(ByteBuffer(bytes: [2] + Array("na".utf8)))
        }
    }

    @Test func aMessageCutShortByTheEndIsReportedNotDropped() throws {
        try expectFrameCutShortIsReported(MultistreamMessageDecoder(maxMessageLength: 100), partial: [3] + Array("na".utf8))
    }
}
