import ByteBufferCumulation
import GossipSub
import NIOCore

/// Splits a pubsub stream into RPCs with an ``RPCFrameDecoder``: each is an unsigned-varint
/// length followed by that many bytes of protobuf. Bytes are consumed only once a whole frame is
/// present; a length above `RPCLimits.maxRPCSize` is an error before anything is buffered for it.
///
/// The stream's buffers are kept as they arrive (joined only when a frame spans two of them) and
/// each RPC is decoded from the buffer's memory, so a message's data is copied once, out of the
/// received bytes into the decoded message.
///
/// Sans-IO: the host appends what its stream delivers and takes RPCs out until `nil`.
public struct RPCFrameReader {
    /// The limits every RPC is decoded under.
    public var limits: RPCLimits { decoder.limits }
    private let decoder: RPCFrameDecoder
    private var buffer = ByteBuffer()

    /// An empty reader that decodes every frame under `limits`.
    public init(limits: RPCLimits) { decoder = RPCFrameDecoder(limits: limits) }

    /// Bytes held but not yet returned as RPCs (at most one frame's worth once ``next()`` returned `nil`).
    public var bufferedBytes: Int { buffer.readableBytes }

    /// Appends bytes read from the stream.
    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        buffer.discardReadBytes()
        buffer.writeBytes(bytes)
    }

    /// Appends a buffer read from the stream, kept without a copy when nothing is pending.
    public mutating func append(_ bytes: ByteBuffer) { buffer.cumulate(bytes) }

    /// The next complete RPC and its frame size, or `nil` when more bytes are needed.
    public mutating func next() throws(RPCDecodingError) -> (rpc: RPC, size: Int)? {
        guard let frame = try decoder.decode(buffer: &buffer) else { return nil }
        return (frame.rpc, frame.size)
    }
}
