import GossipSub
import LibP2PCore
import NIOCore

/// One RPC read off a pubsub stream, with the bytes its frame took (length prefix included).
public struct RPCFrame: Hashable, Sendable {
    /// The decoded RPC.
    public var rpc: RPC
    /// The frame's size on the stream: the varint length and the protobuf.
    public var size: Int

    /// A frame of `size` bytes that carried `rpc`.
    public init(rpc: RPC, size: Int) {
        self.rpc = rpc
        self.size = size
    }
}

/// The pubsub stream's framing as a `NIOSingleStepByteToMessageDecoder`: an unsigned-varint
/// length, then that many bytes of protobuf, decoded under ``limits``.
///
/// A length above `RPCLimits.maxRPCSize` is an error as soon as the varint is complete, before
/// anything is buffered for it. Bytes are consumed only once a whole frame is present, and the RPC
/// is decoded from the buffer's memory in place. ``RPCFrameReader`` runs it for the host; in a
/// SwiftNIO pipeline it runs as `ByteToMessageHandler(RPCFrameDecoder(limits:))`.
public struct RPCFrameDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    /// What each frame decodes to.
    public typealias InboundOut = RPCFrame

    /// The limits every RPC is decoded under.
    public let limits: RPCLimits

    /// A decoder that decodes every frame under `limits`.
    public init(limits: RPCLimits) { self.limits = limits }

    /// The next whole frame at `buffer`'s reader index, consumed; `nil` (nothing consumed) when
    /// it is not all there yet.
    public func decode(buffer: inout ByteBuffer) throws(RPCDecodingError) -> RPCFrame? {
        let limits = limits
        let decoded: Result<RPCFrame?, RPCDecodingError> = buffer.withUnsafeReadableBytes { raw in
            do throws(RPCDecodingError) {
                let length: UInt64
                let prefix: Int
                do throws(VarintError) {
                    (length, prefix) = try UVarint.decode(raw, rules: .protobuf)
                } catch .truncated {
                    return .success(nil)
                } catch {
                    throw .malformedVarint
                }
                guard length <= UInt64(limits.maxRPCSize) else {
                    throw .rpcTooLarge(size: Int(clamping: length), limit: limits.maxRPCSize)
                }
                let end = prefix + Int(length)
                guard end <= raw.count else { return .success(nil) }
                let rpc = try RPC.decode(UnsafeRawBufferPointer(rebasing: raw[prefix..<end]), limits: limits)
                return .success(RPCFrame(rpc: rpc, size: end))
            } catch {
                return .failure(error)
            }
        }
        guard let frame = try decoded.get() else { return nil }
        buffer.moveReaderIndex(forwardBy: frame.size)
        return frame
    }

    /// As ``decode(buffer:)``; when the bytes have ended (`seenEOF`) inside a frame, throws
    /// `ByteToMessageDecoderError.leftoverDataWhenDone` with what is left rather than drop it quietly.
    public func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RPCFrame? {
        if let frame = try decode(buffer: &buffer) { return frame }
        if seenEOF, buffer.readableBytes > 0 { throw ByteToMessageDecoderError.leftoverDataWhenDone(buffer) }
        return nil
    }
}
