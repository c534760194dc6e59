import Multistream
import NIOCore
import NIOEmbedded
import NIOTestUtils
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
        let header = Self.message("/multistream/1.0.0")
        let proposal = Self.message("/yamux/1.0.0")
        let refusal = Self.message("na")
        var two = header.0
        var second = proposal.0
        two.writeBuffer(&second)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [header, proposal, refusal, (two, header.1 + proposal.1)]
        ) { MultistreamMessageDecoder(maxMessageLength: 1024) }
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
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MultistreamMessageDecoder(maxMessageLength: 100)))
        try channel.writeInbound(ByteBuffer(bytes: [3] + Array("na".utf8)))
        #expect(try channel.readInbound(as: String.self) == nil)
        let error = #expect(throws: ByteToMessageDecoderError.self) { try channel.finish() }
        guard case .leftoverDataWhenDone(let rest) = error else {
            Issue.record("expected the left-over bytes, got \(String(describing: error))")
            return
        }
        #expect(rest.readableBytes == 3)
    }
}
