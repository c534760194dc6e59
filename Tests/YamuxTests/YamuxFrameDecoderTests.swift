import NIOCore
import NIOEmbedded
import NIOTestUtils
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
        let data = Self.frame(.data, .syn, stream: 1, length: 5, payload: [1, 2, 3, 4, 5])
        let windowUpdate = Self.frame(.windowUpdate, [], stream: 1, length: 256 * 1024)
        let ping = Self.frame(.ping, .syn, stream: 0, length: 7)
        let emptyFin = Self.frame(.data, .fin, stream: 3, length: 0)
        let goAway = Self.frame(.goAway, [], stream: 0, length: 2)
        var two = data.0
        var second = windowUpdate.0
        two.writeBuffer(&second)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [data, windowUpdate, ping, emptyFin, goAway, (two, data.1 + windowUpdate.1)]
        ) { YamuxFrameDecoder(maxDataLength: 1 << 20) }
    }

    @Test func anOversizedDataFrameFailsOnItsHeader() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(YamuxFrameDecoder(maxDataLength: 16)))
        let header = YamuxFrameHeader(type: .data, flags: [], streamID: 1, length: 17).encoded
        #expect(throws: YamuxProtocolError.frameTooLarge(length: 17, limit: 16)) {
            try channel.writeInbound(ByteBuffer(bytes: header))
        }
    }

    @Test func aFrameCutShortByTheEndIsReportedNotDropped() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(YamuxFrameDecoder(maxDataLength: 16)))
        let header = YamuxFrameHeader(type: .data, flags: [], streamID: 1, length: 8).encoded
        try channel.writeInbound(ByteBuffer(bytes: header + [1, 2, 3]))
        #expect(try channel.readInbound(as: YamuxFrame.self) == nil)
        let error = #expect(throws: ByteToMessageDecoderError.self) { try channel.finish() }
        guard case .leftoverDataWhenDone(let rest) = error else {
            Issue.record("expected the left-over bytes, got \(String(describing: error))")
            return
        }
        #expect(rest.readableBytes == 3)
    }
}
