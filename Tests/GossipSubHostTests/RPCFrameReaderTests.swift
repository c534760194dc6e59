import GossipSub
import NIOCore
import Testing
@testable import GossipSubHost

@Suite struct RPCFrameReaderTests {
    static func sample(_ n: Int) -> RPC {
        RPC(subscriptions: [SubOpts(subscribe: true, topic: "t\(n)")],
            publish: [RawMessage(data: [UInt8](repeating: UInt8(n), count: 300 * n), topic: "t")])
    }

    @Test func framesSplitAtEveryByteBoundary() throws {
        let rpcs = (1...3).map(Self.sample)
        let stream = rpcs.flatMap { $0.framed() }
        for chunk in [1, 2, 7, 301, stream.count] {
            var reader = RPCFrameReader(limits: RPCLimits())
            var out: [RPC] = []
            var sizes = 0
            for start in stride(from: 0, to: stream.count, by: chunk) {
                reader.append(ByteBuffer(bytes: stream[start..<min(start + chunk, stream.count)]))
                while let (rpc, size) = try reader.next() {
                    out.append(rpc)
                    sizes += size
                }
            }
            #expect(out == rpcs)
            #expect(sizes == stream.count)
            #expect(reader.bufferedBytes == 0)
        }
    }

    @Test func oversizedLengthIsRejectedBeforeTheBody() {
        var reader = RPCFrameReader(limits: RPCLimits(maxRPCSize: 1000))
        reader.append(ByteBuffer(bytes: [0xE9, 0x07]))  // 1001
        #expect(throws: RPCDecodingError.rpcTooLarge(size: 1001, limit: 1000)) { try reader.next() }
    }

    @Test func overlongVarintIsRejected() {
        var reader = RPCFrameReader(limits: RPCLimits())
        reader.append(ByteBuffer(bytes: [UInt8](repeating: 0x80, count: 11)))
        #expect(throws: RPCDecodingError.malformedVarint) { try reader.next() }
    }

    @Test func malformedBodyIsAnError() {
        var reader = RPCFrameReader(limits: RPCLimits())
        reader.append(ByteBuffer(bytes: [2, 0x0F, 0x00]))  // field 1, wire type 7
        #expect(throws: RPCDecodingError.self) { try reader.next() }
    }
}
