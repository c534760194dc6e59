import DecoderTestSupport
import GossipSub
import GossipSubHost
import NIOCore
import NIOEmbedded
import Testing

/// The pubsub stream's framing as a SwiftNIO decoder: checked by NIO's own verifier (whole, byte
/// by byte, many at once) and in a pipeline for its limits and its end.
@Suite struct RPCFrameDecoderTests {
    /// A frame's bytes and what it decodes to.
    static func frame(_ rpc: RPC) -> (ByteBuffer, [RPCFrame]) {
        let bytes = rpc.framed()
        return (ByteBuffer(bytes: bytes), [RPCFrame(rpc: rpc, size: bytes.count)])
    }

    @Test func decodesFramesHoweverTheBytesArrive() throws {
        try verifyFrameDecoder([
            Self.frame(RPC(subscriptions: [SubOpts(subscribe: true, topic: "t")])),
            Self.frame(RPC(publish: [RawMessage(data: [UInt8](repeating: 7, count: 500), topic: "t")])),
            Self.frame(RPC()),
        ]) { RPCFrameDecoder(limits: RPCLimits()) }
    }

    @Test func anOversizedLengthFailsBeforeItsBody() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RPCFrameDecoder(limits: RPCLimits(maxRPCSize: 1000))))
        #expect(throws: RPCDecodingError.rpcTooLarge(size: 1001, limit: 1000)) {
            try channel.writeInbound(ByteBuffer(bytes: [0xE9, 0x07]))
        }
    }

    @Test func aFrameCutShortByTheEndIsReportedNotDropped() throws {
        try expectFrameCutShortIsReported(RPCFrameDecoder(limits: RPCLimits()), partial: [10, 1, 2])
    }
}
