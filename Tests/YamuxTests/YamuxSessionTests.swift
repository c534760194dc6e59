import NIOCore
import Testing
import Yamux

@Suite struct YamuxSessionTests {
    @Test(arguments: [Int.max, 1, 5])
    func openDataHalfCloseBothWays(chunkSize: Int) throws {
        var pair = YamuxPair(chunkSize: chunkSize)
        let stream = try pair.client.openStream()
        try pair.client.write(stream, Array("hello".utf8))
        pair.pump()
        #expect(pair.serverEvents == [.streamOpened(stream), .data(stream, ByteBuffer(string: "hello"))])
        #expect(pair.clientEvents == [.streamAcknowledged(stream)])

        try pair.server.write(stream, Array("world".utf8))
        try pair.server.closeWrite(stream)
        pair.pump()
        #expect(receivedBytes(pair.clientEvents, on: stream) == Array("world".utf8))
        #expect(pair.clientEvents.last == .readClosed(stream))
        #expect(throws: YamuxUsageError.writeClosed(stream)) { try pair.server.write(stream, [1]) }

        // The client can still write after the server's FIN.
        try pair.client.write(stream, Array("more".utf8))
        try pair.client.closeWrite(stream)
        pair.pump()
        #expect(receivedBytes(pair.serverEvents, on: stream) == Array("hellomore".utf8))
        #expect(pair.serverEvents.last == .readClosed(stream))
        #expect(pair.client.streamCount == 0)
        #expect(pair.server.streamCount == 0)
        #expect(pair.client.failure == nil && pair.server.failure == nil)
    }

    @Test(arguments: [Int.max, 1])
    func serverOpensEvenStreams(chunkSize: Int) throws {
        var pair = YamuxPair(chunkSize: chunkSize)
        let stream = try pair.server.openStream()
        #expect(stream == 2)
        try pair.server.write(stream, [42])
        pair.pump()
        #expect(pair.clientEvents == [.streamOpened(2), .data(2, ByteBuffer(bytes: [42]))])
        #expect(pair.serverEvents == [.streamAcknowledged(2)])
    }

    @Test func aLargeWriteLeavesAsASliceOfItselfBetweenJoinedHeaders() throws {
        var client = YamuxSession(role: .client)
        var server = YamuxSession(role: .server)
        let stream = try client.openStream()
        let large = (0..<40_000).map { UInt8(truncatingIfNeeded: $0) }
        try client.write(stream, [7, 7])
        try client.write(stream, large)
        try client.write(stream, Array(repeating: 9, count: 100))
        var copy = client
        let pieces = client.takeOutboundPieces()
        // The SYN, the data frame's header and the small write joined; the large write; the rest.
        #expect(pieces.pieces.map(\.count) == [26, 40_000, 100])
        let shared = try #require(pieces.pieces.first { $0.count == 40_000 })
        let address = { (bytes: ArraySlice<UInt8>) in bytes.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } }
        #expect(address(shared) == address(large[...]))
        #expect(pieces.joined == copy.takeOutbound())
        var received: [UInt8] = []
        for case .data(_, let bytes) in server.receive(pieces.joined) { received += bytes.readableBytesView }
        #expect(received == [7, 7] + large + Array(repeating: 9, count: 100))
    }

    @Test func resetReachesTheRemoteAndForgetsTheStream() throws {
        var pair = YamuxPair()
        let stream = try pair.client.openStream()
        try pair.client.write(stream, [1, 2, 3])
        pair.pump()
        try pair.server.write(stream, pattern(1000, seed: 1))
        pair.server.reset(stream)
        pair.pump()
        // Queued data is dropped with the reset.
        #expect(pair.clientEvents == [.streamAcknowledged(stream), .streamReset(stream, .byRemote)])
        #expect(throws: YamuxUsageError.unknownStream(stream)) { try pair.client.write(stream, [1]) }
        #expect(throws: YamuxUsageError.unknownStream(stream)) { try pair.server.write(stream, [1]) }
        #expect(pair.client.streamCount == 0 && pair.server.streamCount == 0)
        // Resetting again, or consuming on it, is harmless.
        pair.client.reset(stream)
        pair.client.consumed(stream, 3)
        #expect(!pair.client.hasOutbound)
    }

    @Test func flowControlBlocksTheSenderUntilTheReceiverConsumes() throws {
        var pair = YamuxPair()
        let stream = try pair.client.openStream()
        let payload = pattern(1024 * 1024, seed: 3)
        try pair.client.write(stream, payload)
        pair.pump()
        let window = 256 * 1024
        #expect(receivedBytes(pair.serverEvents, on: stream).count == window)
        #expect(pair.client.sendWindow(of: stream) == 0)
        #expect(pair.client.queuedByteCount(of: stream) == payload.count - window)
        #expect(pair.server.receiveWindow(of: stream) == 0)

        // Below half the window: no update, the sender stays blocked.
        pair.server.consumed(stream, 100 * 1024)
        pair.pump()
        #expect(receivedBytes(pair.serverEvents, on: stream).count == window)
        // Reaching half the window returns the credit.
        pair.server.consumed(stream, 28 * 1024)
        pair.pump()
        #expect(receivedBytes(pair.serverEvents, on: stream).count == window + 128 * 1024)
        #expect(pair.client.sendWindow(of: stream) == 0)

        var delivered = window + 128 * 1024
        var consumed = 128 * 1024
        while consumed < payload.count {
            pair.server.consumed(stream, delivered - consumed)
            consumed = delivered
            pair.pump()
            delivered = receivedBytes(pair.serverEvents, on: stream).count
            #expect(delivered - consumed <= window)
        }
        #expect(receivedBytes(pair.serverEvents, on: stream) == payload)
        #expect(pair.client.queuedByteCount(of: stream) == 0)
    }

    @Test func finWaitsBehindQueuedData() throws {
        var pair = YamuxPair()
        let stream = try pair.client.openStream()
        try pair.client.write(stream, pattern(300 * 1024, seed: 4))
        try pair.client.closeWrite(stream)
        pair.pump()
        #expect(!pair.serverEvents.contains(.readClosed(stream)))
        pair.server.consumed(stream, 256 * 1024)
        pair.pump()
        #expect(pair.serverEvents.last == .readClosed(stream))
        #expect(receivedBytes(pair.serverEvents, on: stream) == pattern(300 * 1024, seed: 4))
    }

    @Test func sendQueueIsBounded() throws {
        var session = YamuxSession(role: .client, configuration: try YamuxConfiguration(maxQueuedBytesPerStream: 100))
        let stream = try session.openStream()
        try session.write(stream, pattern(60, seed: 0))
        #expect(throws: YamuxUsageError.sendQueueFull(stream, available: 40)) {
            try session.write(stream, pattern(41, seed: 0))
        }
        try session.write(stream, pattern(40, seed: 0))
        #expect(session.queuedByteCount(of: stream) == 100)
    }

    @Test func manyConcurrentStreamsWithFlowControl() throws {
        var pair = YamuxPair()
        let streamCount = 64
        let size = 320 * 1024
        var streams: [YamuxStreamID] = []
        for index in 0..<streamCount {
            let stream = try pair.client.openStream()
            streams.append(stream)
            try pair.client.write(stream, pattern(size, seed: index))
        }
        pair.pump()
        for (index, stream) in streams.enumerated() {
            try pair.server.write(stream, pattern(size, seed: 1000 + index))
        }
        pair.pump()
        // Both directions are blocked at exactly one window per stream.
        for stream in streams {
            #expect(receivedBytes(pair.serverEvents, on: stream).count == 256 * 1024)
            #expect(receivedBytes(pair.clientEvents, on: stream).count == 256 * 1024)
            #expect(pair.client.sendWindow(of: stream) == 0)
        }
        for stream in streams {
            pair.server.consumed(stream, 256 * 1024)
            pair.client.consumed(stream, 256 * 1024)
        }
        pair.pump()
        for (index, stream) in streams.enumerated() {
            #expect(receivedBytes(pair.serverEvents, on: stream) == pattern(size, seed: index))
            #expect(receivedBytes(pair.clientEvents, on: stream) == pattern(size, seed: 1000 + index))
        }
        #expect(pair.serverEvents.filter { if case .streamOpened = $0 { true } else { false } }.count == streamCount)
    }

    @Test func inboundStreamLimitRejectsWithReset() throws {
        var pair = YamuxPair(server: try YamuxConfiguration(maxInboundStreams: 2))
        let first = try pair.client.openStream()
        let second = try pair.client.openStream()
        let third = try pair.client.openStream()
        try pair.client.write(third, [1, 2, 3])
        pair.pump()
        #expect(pair.serverEvents == [.streamOpened(first), .streamOpened(second)])
        #expect(pair.clientEvents.contains(.streamReset(third, .byRemote)))
        #expect(pair.client.streamCount == 2)
        // Closing one frees a slot.
        pair.server.reset(first)
        pair.pump()
        let fourth = try pair.client.openStream()
        pair.pump()
        #expect(pair.serverEvents.last == .streamOpened(fourth))
    }

    @Test func outboundLimitAndAckBacklog() throws {
        var pair = YamuxPair(client: try YamuxConfiguration(maxOutboundStreams: 3, maxAckBacklog: 2))
        _ = try pair.client.openStream()
        _ = try pair.client.openStream()
        #expect(throws: YamuxUsageError.ackBacklogFull) { try pair.client.openStream() }
        pair.pump()
        _ = try pair.client.openStream()
        #expect(throws: YamuxUsageError.outboundStreamLimitReached) { try pair.client.openStream() }
    }

    @Test(arguments: [Int.max, 1])
    func pingMeasuresRoundTripWithInjectedTime(chunkSize: Int) throws {
        var pair = YamuxPair(chunkSize: chunkSize)
        let opaque = try pair.client.ping(now: .seconds(10))
        pair.pump()
        #expect(pair.serverEvents.isEmpty)
        let pong = YamuxPong(opaque: opaque, sentAt: .seconds(10))
        #expect(pair.clientEvents == [.pong(pong)])
        #expect(pong.roundTripTime(now: .milliseconds(10_250)) == .milliseconds(250))
    }

    @Test func pingResponseIsEchoedAndUnsolicitedPongsIgnored() throws {
        var server = YamuxSession(role: .server)
        #expect(server.receive(frame(2, 0x1, 0, 77)).isEmpty)
        #expect(server.takeOutbound() == frame(2, 0x2, 0, 77))
        #expect(server.receive(frame(2, 0x2, 0, 5)).isEmpty)
        #expect(!server.hasOutbound)
    }

    @Test func outstandingPingsAreBounded() throws {
        var session = YamuxSession(role: .client, configuration: try YamuxConfiguration(maxOutstandingPings: 2))
        _ = try session.ping(now: .zero)
        _ = try session.ping(now: .zero)
        #expect(throws: YamuxUsageError.tooManyOutstandingPings) { try session.ping(now: .zero) }
    }

    @Test func goAwayStopsNewStreamsBothWays() throws {
        var pair = YamuxPair()
        let stream = try pair.client.openStream()
        pair.pump()
        try pair.client.goAway()
        #expect(throws: YamuxUsageError.goAwayAlreadySent) { try pair.client.goAway() }
        #expect(pair.client.takeOutbound() == frame(3, 0, 0, 0))
        #expect(pair.server.receive(frame(3, 0, 0, 0)) == [.goAwayReceived(.normal)])
        #expect(pair.client.localGoAwayCode == .normal && pair.client.remoteGoAwayCode == nil)
        #expect(pair.server.remoteGoAwayCode == .normal && pair.server.localGoAwayCode == nil)
        #expect(throws: YamuxUsageError.remoteWentAway) { try pair.server.openStream() }
        #expect(throws: YamuxUsageError.localWentAway) { try pair.client.openStream() }
        // A SYN arriving after our go-away is refused with RST.
        #expect(pair.client.receive(frame(1, 0x1, 2, 0)).isEmpty)
        #expect(pair.client.takeOutbound() == frame(0, 0x8, 2, 0))
        // Existing streams keep working.
        try pair.server.write(stream, [7])
        pair.pump()
        #expect(receivedBytes(pair.clientEvents, on: stream) == [7])
    }

    @Test func goAwayCodesAreReported() {
        var session = YamuxSession(role: .client)
        #expect(session.receive(frame(3, 0, 0, 1)) == [.goAwayReceived(.protocolError)])
        #expect(session.receive(frame(3, 0, 0, 2)) == [.goAwayReceived(.internalError)])
        #expect(session.receive(frame(3, 0, 0, 9)) == [.goAwayReceived(YamuxGoAwayCode(rawValue: 9))])
    }

    @Test func initialWindowUpdateFromPeerIsHonoured() throws {
        var client = YamuxSession(role: .client)
        let stream = try client.openStream()
        _ = client.takeOutbound()
        // The peer acknowledges and grants 768 KiB extra, as a go peer with a 1 MiB window does.
        #expect(client.receive(frame(1, 0x2, 1, 768 * 1024)) == [.streamAcknowledged(stream)])
        #expect(client.sendWindow(of: stream) == UInt32(1024 * 1024))
    }
}
