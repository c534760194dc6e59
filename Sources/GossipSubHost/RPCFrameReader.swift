import GossipSub
import NIOCore

/// Splits a pubsub stream into RPCs: each is an unsigned-varint length followed by that many
/// bytes of protobuf. Bytes are consumed only once a whole frame is present; a length above
/// ``RPCLimits/maxRPCSize`` is an error before anything is buffered for it.
struct RPCFrameReader {
    let limits: RPCLimits
    private var buffer: [UInt8] = []
    private var start = 0

    init(limits: RPCLimits) { self.limits = limits }

    /// Bytes held but not yet returned as RPCs.
    var bufferedBytes: Int { buffer.count - start }

    mutating func append(_ bytes: ByteBuffer) {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes.readableBytesView)
    }

    /// The next complete RPC and its frame size, or `nil` when more bytes are needed.
    mutating func next() throws(RPCDecodingError) -> (rpc: RPC, size: Int)? {
        var length: UInt64 = 0
        var shift: UInt64 = 0
        var index = start
        while true {
            guard index < buffer.count else { return nil }
            let byte = buffer[index]
            index += 1
            guard shift < 63 || (shift == 63 && byte <= 1) else { throw .malformedVarint }
            length |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
            guard index - start < 10 else { throw .malformedVarint }
        }
        guard length <= UInt64(limits.maxRPCSize) else {
            throw .rpcTooLarge(size: Int(clamping: length), limit: limits.maxRPCSize)
        }
        let end = index + Int(length)
        guard end <= buffer.count else { return nil }
        let rpc = try RPC.decode(Array(buffer[index..<end]), limits: limits)
        let size = end - start
        start = end
        if start > 1 << 20 {
            buffer.removeFirst(start)
            start = 0
        }
        return (rpc, size)
    }
}
