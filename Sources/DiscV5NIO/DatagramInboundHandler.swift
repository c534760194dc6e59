import DiscV5
import NIOCore

/// One received datagram.
struct Datagram: Sendable {
    var bytes: [UInt8]
    var source: Endpoint
}

/// Hands received datagrams to an `AsyncStream` (bounded: the newest are kept under a flood).
final class DatagramInboundHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let continuation: AsyncStream<Datagram>.Continuation

    init(continuation: AsyncStream<Datagram>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let source = Endpoint(envelope.remoteAddress) else { return }
        continuation.yield(Datagram(bytes: Array(envelope.data.readableBytesView), source: source))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }
}
