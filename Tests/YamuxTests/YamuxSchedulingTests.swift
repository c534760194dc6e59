import Testing
import Yamux

@Suite struct YamuxSchedulingTests {
    /// Splits sent bytes into (stream ID, flags, payload length) per frame.
    private func frames(_ bytes: [UInt8]) throws -> [(UInt32, YamuxFlags, UInt32)] {
        var parser = YamuxFrameParser(maxDataLength: 1 << 20)
        parser.append(bytes)
        var result: [(UInt32, YamuxFlags, UInt32)] = []
        while let frame = try parser.nextFrame() {
            result.append((frame.header.streamID, frame.header.flags, UInt32(frame.payload.readableBytes)))
        }
        return result
    }

    /// 16 KiB frames, so a few tens of KiB already show the interleaving.
    private let smallFrames = try? YamuxConfiguration(maxSendFrameLength: 16 * 1024)

    @Test func streamsAreServedRoundRobinInBoundedFrames() throws {
        var client = YamuxSession(role: .client, configuration: try #require(smallFrames))
        let a = try client.openStream()
        let b = try client.openStream()
        _ = client.takeOutbound()
        try client.write(a, pattern(40 * 1024, seed: 0))
        try client.write(b, pattern(20 * 1024, seed: 1))
        try client.closeWrite(b)
        let sent = try frames(client.takeOutbound())
        #expect(sent.map(\.0) == [1, 3, 1, 3, 1])
        #expect(sent.map(\.2) == [16384, 16384, 16384, 4096, 8192])
        #expect(sent.map(\.1) == [[], [], [], [.fin], []])
    }

    @Test func takeOutboundStopsNearTheByteBudget() throws {
        var client = YamuxSession(role: .client, configuration: try #require(smallFrames))
        let stream = try client.openStream()
        _ = client.takeOutbound()
        try client.write(stream, pattern(100 * 1024, seed: 0))
        let first = client.takeOutbound(maxBytes: 1)
        #expect(first.count == 12 + 16384)
        #expect(client.hasOutbound)
        #expect(client.queuedByteCount(of: stream) == 100 * 1024 - 16384)
        var total = first.count
        while client.hasOutbound { total += client.takeOutbound(maxBytes: 20_000).count }
        #expect(total == 100 * 1024 + 7 * 12)
    }

    @Test func defaultFramesFillOneNoiseMessage() throws {
        var client = YamuxSession(role: .client)
        let stream = try client.openStream()
        _ = client.takeOutbound()
        try client.write(stream, pattern(200 * 1024, seed: 2))
        let sizes = try frames(client.takeOutbound()).map(\.2)
        #expect(sizes == [65_507, 65_507, 65_507, 200 * 1024 - 3 * 65_507])
        #expect(12 + 65_507 == 65_535 - 16)  // header + payload = Noise's largest plaintext
    }

    @Test func flowControlHoldsOneByteAtATime() throws {
        var pair = YamuxPair(chunkSize: 1)
        let stream = try pair.client.openStream()
        let payload = pattern(256 * 1024 + 1000, seed: 9)
        try pair.client.write(stream, payload)
        try pair.client.closeWrite(stream)
        pair.pump()
        #expect(receivedBytes(pair.serverEvents, on: stream).count == 256 * 1024)
        #expect(!pair.serverEvents.contains(.readClosed(stream)))
        pair.server.consumed(stream, 128 * 1024)
        pair.pump()
        #expect(receivedBytes(pair.serverEvents, on: stream) == payload)
        #expect(pair.serverEvents.last == .readClosed(stream))
    }

    @Test func refusedStreamLeavesTheAckBacklog() throws {
        var pair = YamuxPair(
            client: try YamuxConfiguration(maxAckBacklog: 1), server: try YamuxConfiguration(maxInboundStreams: 1))
        let first = try pair.client.openStream()
        pair.pump()
        let second = try pair.client.openStream()
        #expect(throws: YamuxUsageError.ackBacklogFull) { try pair.client.openStream() }
        pair.pump()
        #expect(pair.clientEvents == [.streamAcknowledged(first), .streamReset(second, .byRemote)])
        _ = try pair.client.openStream()
    }
}

@Suite struct YamuxSmallWriteTests {
    @Test func manySmallWritesArriveInOrder() throws {
        var pair = YamuxPair()
        let stream = try pair.client.openStream()
        var expected: [UInt8] = []
        for index in 0..<100_000 {
            let piece = [UInt8(truncatingIfNeeded: index), UInt8(truncatingIfNeeded: index >> 8)]
            expected += piece
            try pair.client.write(stream, piece)
        }
        #expect(pair.client.queuedByteCount(of: stream) == expected.count)
        pair.pump()
        #expect(receivedBytes(pair.serverEvents, on: stream) == expected)
    }
}
