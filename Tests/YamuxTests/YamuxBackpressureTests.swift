import Testing
import Yamux

@Suite struct YamuxBackpressureTests {
    private static let config: YamuxConfiguration = {
        (try? YamuxConfiguration(maxQueuedBytesPerStream: 64 * 1024)) ?? .standard
    }()

    /// Writes on `stream` as long as the queue takes them, moving bytes across after each.
    private func fill(_ pair: inout YamuxPair, _ stream: YamuxStreamID, seed: inout Int) -> Int {
        var written = 0
        while pair.client.writeCapacity(of: stream) > 0 {
            let chunk = pattern(pair.client.writeCapacity(of: stream), seed: seed)
            seed += 1
            guard (try? pair.client.write(stream, chunk)) != nil else { break }
            written += chunk.count
            pair.pump()
            if written > 1 << 20 { break }
        }
        return written
    }

    /// A reader that stops consuming: the writer's queue fills once the 256 KiB window is used,
    /// it hears nothing until the reader consumes again, then hears once that it is writable.
    @Test func writerOfAStalledStreamIsToldWhenItCanWriteAgain() throws {
        var pair = YamuxPair(client: Self.config)
        let stalled = try pair.client.openStream()
        let healthy = try pair.client.openStream()
        pair.pump()
        var seed = 0
        let written = fill(&pair, stalled, seed: &seed)
        #expect(written == 256 * 1024 + 64 * 1024)  // the window plus a full queue
        #expect(pair.client.sendWindow(of: stalled) == 0)
        #expect(throws: YamuxUsageError.sendQueueFull(stalled, available: 0)) { try pair.client.write(stalled, [1]) }
        _ = pair.client.takeWritableStreams()  // episodes while filling are not the point here
        pair.pump()
        #expect(!pair.client.hasWritableStreams)

        // The other stream is not held up by the stalled one.
        try pair.client.write(healthy, pattern(10_000, seed: 99))
        pair.pump()
        #expect(receivedBytes(pair.serverEvents, on: healthy) == pattern(10_000, seed: 99))
        #expect(!pair.client.hasWritableStreams)

        // The reader catches up: credit returns, the queue drains, the writer hears once.
        pair.server.consumed(stalled, 256 * 1024)
        pair.pump()
        #expect(pair.client.takeWritableStreams() == [stalled])
        #expect(pair.client.writeCapacity(of: stalled) == 64 * 1024)
        #expect(pair.client.takeWritableStreams().isEmpty)
        #expect(receivedBytes(pair.serverEvents, on: stalled).count == written)
    }

    @Test func writesBelowTheMarkAreNeverSignalled() throws {
        var pair = YamuxPair(client: Self.config)
        let stream = try pair.client.openStream()
        try pair.client.write(stream, pattern(32 * 1024, seed: 1))
        pair.pump()
        #expect(!pair.client.hasWritableStreams)
        try pair.client.write(stream, pattern(32 * 1024 + 1, seed: 2))
        #expect(pair.client.writeCapacity(of: stream) == 32 * 1024 - 1)
        pair.pump()
        #expect(pair.client.takeWritableStreams() == [stream])
    }

    @Test func writableSignalIsDroppedWithAResetStream() throws {
        var pair = YamuxPair(client: Self.config)
        let stream = try pair.client.openStream()
        pair.pump()
        var seed = 0
        _ = fill(&pair, stream, seed: &seed)
        _ = pair.client.takeWritableStreams()
        pair.client.reset(stream)
        pair.pump()
        #expect(!pair.client.hasWritableStreams)
        #expect(pair.client.writeCapacity(of: stream) == 0)
    }
}
