import GossipSub
import GossipSubHost
import NIOCore
import NIOEmbedded
import NIOTestUtils
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
        let subscribe = Self.frame(RPC(subscriptions: [SubOpts(subscribe: true, topic: "t")]))
        let message = Self.frame(RPC(publish: [RawMessage(data: [UInt8](repeating: 7, count: 500), topic: "t")]))
        let empty = Self.frame(RPC())
        var two = subscribe.0
        var second = message.0
        two.writeBuffer(&second)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [subscribe, message, empty, (two, subscribe.1 + message.1)]
        ) { RPCFrameDecoder(limits: RPCLimits()) }
    }

    @Test func anOversizedLengthFailsBeforeItsBody() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RPCFrameDecoder(limits: RPCLimits(maxRPCSize: 1000))))
        #expect(throws: RPCDecodingError.rpcTooLarge(size: 1001, limit: 1000)) {
            try channel.writeInbound(ByteBuffer(bytes: [0xE9, 0x07]))
        }
    }

    @Test func aFrameCutShortByTheEndIsReportedNotDropped() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RPCFrameDecoder(limits: RPCLimits())))
        try channel.writeInbound(ByteBuffer(bytes: [10, 1, 2]))
        #expect(try channel.readInbound(as: RPCFrame.self) == nil)
        let error = #expect(throws: ByteToMessageDecoderError.self) { try channel.finish() }
        guard case .leftoverDataWhenDone(let rest) = error else {
            Issue.record("expected the left-over bytes, got \(String(describing: error))")
            return
        }
        #expect(rest.readableBytes == 3)
    }
}
