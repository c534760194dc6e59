import GossipSub
import LibP2PCore
import NIOCore

/// Splits a pubsub stream into RPCs: each is an unsigned-varint length followed by that many
/// bytes of protobuf. Bytes are consumed only once a whole frame is present; a length above
/// `RPCLimits.maxRPCSize` is an error before anything is buffered for it.
///
/// Sans-IO: the host appends what its stream delivers and takes RPCs out until `nil`.
public struct RPCFrameReader {
    /// The limits every RPC is decoded under.
    public let limits: RPCLimits
    private var buffer: [UInt8] = []
    private var start = 0

    /// An empty reader that decodes every frame under `limits`.
    public init(limits: RPCLimits) { self.limits = limits }

    /// Bytes held but not yet returned as RPCs (at most one frame's worth once ``next()`` returned `nil`).
    public var bufferedBytes: Int { buffer.count - start }

    /// Appends bytes read from the stream.
    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: ByteBuffer) { append(contentsOf: bytes.readableBytesView) }

    /// The next complete RPC and its frame size, or `nil` when more bytes are needed.
    public mutating func next() throws(RPCDecodingError) -> (rpc: RPC, size: Int)? {
        let length: UInt64
        let index: Int
        do throws(VarintError) {
            let (value, prefix) = try UVarint.decode(buffer[start...], rules: .protobuf)
            (length, index) = (value, start + prefix)
        } catch .truncated {
            return nil
        } catch {
            throw .malformedVarint
        }
        guard length <= UInt64(limits.maxRPCSize) else {
            throw .rpcTooLarge(size: Int(clamping: length), limit: limits.maxRPCSize)
        }
        let end = index + Int(length)
        guard end <= buffer.count else { return nil }
        let rpc = try RPC.decode(buffer[index..<end], limits: limits)
        let size = end - start
        start = end
        if start > 1 << 20 {
            buffer.removeFirst(start)
            start = 0
        }
        return (rpc, size)
    }
}
