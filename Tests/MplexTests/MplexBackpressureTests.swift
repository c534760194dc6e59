import Testing
import Mplex

@Suite struct MplexBackpressureTests {
    private static let config: MplexConfiguration = {
        (try? MplexConfiguration(maxSendFrameLength: 1000, maxQueuedBytesPerStream: 4000)) ?? .standard
    }()

    @Test func writesBeyondTheQueueAreRefusedWhole() throws {
        var session = MplexSession(configuration: Self.config)
        let stream = try session.openStream()
        try session.write(stream, pattern(3000, seed: 1))
        #expect(session.writeCapacity(of: stream) == 1000)
        #expect(throws: MplexUsageError.sendQueueFull(stream, available: 1000)) {
            try session.write(stream, pattern(1001, seed: 2))
        }
        #expect(session.queuedByteCount(of: stream) == 3000)
        #expect(session.outboundByteCount == 3000 + 3)  // NewStream "0" is 3 bytes
    }

    @Test func takeOutboundHonoursMaxBytesAndRoundRobins() throws {
        var session = MplexSession(configuration: Self.config)
        let a = try session.openStream()
        let b = try session.openStream()
        try session.write(a, pattern(3000, seed: 1))
        try session.write(b, pattern(3000, seed: 2))
        // Control frames (two NewStreams) always go out whole; data only up to the bound.
        var chunks = [session.takeOutbound(maxBytes: 0)]
        #expect(chunks[0].count == 3 + 3)
        // Each call with a 1-byte bound yields exactly one data frame (3-byte header + 1000).
        while session.hasOutbound { chunks.append(session.takeOutbound(maxBytes: 1)) }
        #expect(chunks.dropFirst().map(\.count) == Array(repeating: 1003, count: 6))
        var receiver = MplexSession()
        let events = chunks.flatMap { receiver.receive($0) }
        let order = events.compactMap { event -> MplexStreamID? in
            if case .data(let id, _) = event { return id } else { return nil }
        }
        #expect(order == [remote(0), remote(1), remote(0), remote(1), remote(0), remote(1)])
        #expect(receivedBytes(events, on: remote(0)) == pattern(3000, seed: 1))
        #expect(receivedBytes(events, on: remote(1)) == pattern(3000, seed: 2))
    }

    @Test func writableSignalAfterTheQueueDrainsToHalf() throws {
        var session = MplexSession(configuration: Self.config)
        let stream = try session.openStream()
        let quiet = try session.openStream()
        try session.write(quiet, [1, 2, 3])  // never above the mark: never signalled
        try session.write(stream, pattern(4000, seed: 1))
        #expect(throws: MplexUsageError.sendQueueFull(stream, available: 0)) { try session.write(stream, [0]) }
        #expect(!session.hasWritableStreams)
        _ = session.takeOutbound(maxBytes: 0)  // the NewStream frames
        _ = session.takeOutbound(maxBytes: 1)  // quiet's frame (written first)
        _ = session.takeOutbound(maxBytes: 1)  // 1000 framed: 3000 left, above the 2000 mark
        #expect(session.takeWritableStreams().isEmpty)
        _ = session.takeOutbound(maxBytes: 1)  // 2000 left: at the mark
        #expect(session.hasWritableStreams)
        #expect(session.takeWritableStreams() == [stream])
        #expect(session.takeWritableStreams().isEmpty)
        _ = session.takeOutbound()
        #expect(session.takeWritableStreams().isEmpty)  // reported once per episode
        #expect(session.writeCapacity(of: stream) == 4000)
    }

    @Test func closeFollowsQueuedBytesAndResetDropsThem() throws {
        var pair = MplexPair(dialer: Self.config)
        let stream = try pair.dialer.openStream()
        try pair.dialer.write(stream, pattern(2500, seed: 3))
        try pair.dialer.closeWrite(stream)
        #expect(throws: MplexUsageError.writeClosed(stream)) { try pair.dialer.write(stream, [1]) }
        pair.pump()
        let theirs = remote(stream.number)
        #expect(receivedBytes(pair.listenerEvents, on: theirs) == pattern(2500, seed: 3))
        #expect(pair.listenerEvents.last == .readClosed(theirs))

        let other = try pair.dialer.openStream()
        try pair.dialer.write(other, pattern(2500, seed: 4))
        #expect(pair.dialer.outboundByteCount > 2500)
        pair.dialer.reset(other)
        #expect(pair.dialer.outboundByteCount == 3 + 2)  // NewStream and reset frames only
        pair.pump()
        #expect(receivedBytes(pair.listenerEvents, on: remote(other.number)).isEmpty)
        #expect(pair.listenerEvents.last == .streamReset(remote(other.number), .byRemote))
    }

    /// A receiver that stops consuming: the stream is reset at the buffer limit and the other
    /// streams of the session carry on.
    @Test func aStreamWhoseReaderStopsIsResetAndOthersContinue() throws {
        var pair = MplexPair(listener: try MplexConfiguration(maxBufferedBytesPerStream: 10_000))
        let stalled = try pair.dialer.openStream()
        let healthy = try pair.dialer.openStream()
        for round in 0..<5 {
            try? pair.dialer.write(stalled, pattern(4000, seed: round))
            try pair.dialer.write(healthy, pattern(4000, seed: 10 + round))
            pair.pump()
            pair.listener.consumed(remote(healthy.number), 4000)
        }
        #expect(pair.listenerEvents.contains(.streamReset(remote(stalled.number), .bufferOverflow)))
        #expect(pair.dialerEvents == [.streamReset(stalled, .byRemote)])
        #expect(receivedBytes(pair.listenerEvents, on: remote(healthy.number)).count == 20_000)
        #expect(pair.listener.failure == nil && pair.dialer.failure == nil)
    }
}
