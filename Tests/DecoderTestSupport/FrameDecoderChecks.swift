import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

/// Runs NIO's `ByteToMessageDecoderVerifier` (whole inputs, byte by byte, many at once) over
/// `pairs`, plus one input that holds the first two frames back to back, as one read often does.
public func verifyFrameDecoder<Decoder: NIOSingleStepByteToMessageDecoder>(
    _ pairs: [(ByteBuffer, [Decoder.InboundOut])], _ makeDecoder: () -> Decoder
) throws where Decoder.InboundOut: Equatable {
    var inputs = pairs
    if pairs.count >= 2 {
        var joined = pairs[0].0
        var second = pairs[1].0
        joined.writeBuffer(&second)
        inputs.append((joined, pairs[0].1 + pairs[1].1))
    }
    try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: inputs, decoderFactory: makeDecoder)
}

/// Feeds `decoder`, in a pipeline, the start of a frame that the stream then ends inside: nothing
/// comes out, and closing the channel reports every one of those bytes as left over.
public func expectFrameCutShortIsReported<Decoder: NIOSingleStepByteToMessageDecoder>(
    _ decoder: Decoder, partial: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(decoder))
    try channel.writeInbound(ByteBuffer(bytes: partial))
    #expect(try channel.readInbound(as: Decoder.InboundOut.self) == nil, sourceLocation: sourceLocation)
    let error = #expect(throws: ByteToMessageDecoderError.self, sourceLocation: sourceLocation) { try channel.finish() }
    guard case .leftoverDataWhenDone(let rest) = error else {
        Issue.record("expected the left-over bytes, got \(String(describing: error))", sourceLocation: sourceLocation)
        return
    }
    #expect(rest.readableBytes == partial.count, sourceLocation: sourceLocation)
}
