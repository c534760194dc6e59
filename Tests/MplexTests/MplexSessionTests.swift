import Testing
import Mplex

@Suite struct MplexSessionTests {
    @Test(arguments: [Int.max, 1, 3])
    func openDataHalfCloseBothWays(chunkSize: Int) throws {
        var pair = MplexPair(chunkSize: chunkSize)
        let stream = try pair.dialer.openStream()
        try pair.dialer.write(stream, Array("hello".utf8))
        pair.pump()
        let theirs = remote(stream.number)
        #expect(pair.listenerEvents == [.streamOpened(theirs, name: Array("0".utf8)), .data(theirs, Array("hello".utf8))])

        try pair.listener.write(theirs, Array("world".utf8))
        try pair.listener.closeWrite(theirs)
        pair.pump()
        #expect(pair.dialerEvents == [.data(stream, Array("world".utf8)), .readClosed(stream)])
        #expect(throws: MplexUsageError.writeClosed(theirs)) { try pair.listener.write(theirs, [1]) }

        try pair.dialer.write(stream, Array("more".utf8))
        try pair.dialer.closeWrite(stream)
        pair.pump()
        #expect(receivedBytes(pair.listenerEvents, on: theirs) == Array("hellomore".utf8))
        #expect(pair.listenerEvents.last == .readClosed(theirs))
        #expect(pair.dialer.streamCount == 0 && pair.listener.streamCount == 0)
    }

    @Test(arguments: [Int.max, 1])
    func sameNumberInBothDirectionsNamesTwoStreams(chunkSize: Int) throws {
        var pair = MplexPair(chunkSize: chunkSize)
        let fromDialer = try pair.dialer.openStream()
        let fromListener = try pair.listener.openStream()
        #expect(fromDialer.number == 0 && fromListener.number == 0)
        try pair.dialer.write(fromDialer, [1])
        try pair.listener.write(fromListener, [2])
        pair.pump()
        try pair.dialer.write(remote(0), [3])
        try pair.listener.write(remote(0), [4])
        pair.pump()
        #expect(receivedBytes(pair.listenerEvents, on: remote(0)) == [1])
        #expect(receivedBytes(pair.listenerEvents, on: local(0)) == [3])
        #expect(receivedBytes(pair.dialerEvents, on: remote(0)) == [2])
        #expect(receivedBytes(pair.dialerEvents, on: local(0)) == [4])
        pair.dialer.reset(local(0))
        pair.pump()
        #expect(pair.listenerEvents.last == .streamReset(remote(0), .byRemote))
        #expect(pair.listener.streamCount == 1)
        #expect(pair.dialer.streamCount == 1)
    }

    @Test func resetReachesTheRemote() throws {
        var pair = MplexPair()
        let stream = try pair.dialer.openStream()
        pair.pump()
        pair.listener.reset(remote(stream.number))
        pair.pump()
        #expect(pair.dialerEvents == [.streamReset(stream, .byRemote)])
        #expect(throws: MplexUsageError.unknownStream(stream)) { try pair.dialer.write(stream, [1]) }
        pair.dialer.reset(stream)
        #expect(!pair.dialer.hasOutbound)
    }

    @Test func manyConcurrentStreamsWithLargeWritesSplitIntoFrames() throws {
        var pair = MplexPair(
            dialer: try MplexConfiguration(maxSendFrameLength: 64 * 1024),
            listener: try MplexConfiguration(maxFrameLength: 64 * 1024))
        let size = 256 * 1024
        var streams: [MplexStreamID] = []
        for index in 0..<64 {
            let stream = try pair.dialer.openStream()
            streams.append(stream)
            try pair.dialer.write(stream, pattern(size, seed: index))
            try pair.dialer.closeWrite(stream)
        }
        pair.pump()
        for (index, stream) in streams.enumerated() {
            let theirs = remote(stream.number)
            #expect(receivedBytes(pair.listenerEvents, on: theirs) == pattern(size, seed: index))
            #expect(pair.listener.unconsumedByteCount(of: theirs) == nil)  // remote closed
            try pair.listener.write(theirs, pattern(size, seed: 100 + index))
            try pair.listener.closeWrite(theirs)
        }
        pair.pump()
        for (index, stream) in streams.enumerated() {
            #expect(receivedBytes(pair.dialerEvents, on: stream) == pattern(size, seed: 100 + index))
        }
        #expect(pair.dialer.streamCount == 0 && pair.listener.streamCount == 0)
        let frames = pair.listenerEvents.filter { if case .data = $0 { true } else { false } }.count
        #expect(frames == 64 * 4)
    }

    @Test func inboundStreamLimitResetsTheExcess() throws {
        var pair = MplexPair(listener: try MplexConfiguration(maxInboundStreams: 2))
        for _ in 0..<3 { _ = try pair.dialer.openStream() }
        pair.pump()
        #expect(pair.listenerEvents.count == 2)
        #expect(pair.dialerEvents == [.streamReset(local(2), .byRemote)])
        pair.listener.reset(remote(0))
        pair.pump()
        _ = try pair.dialer.openStream()
        pair.pump()
        #expect(pair.listenerEvents.last == .streamOpened(remote(3), name: Array("3".utf8)))
    }

    @Test func outboundStreamLimit() throws {
        var session = MplexSession(configuration: try MplexConfiguration(maxOutboundStreams: 1))
        let stream = try session.openStream()
        #expect(throws: MplexUsageError.outboundStreamLimitReached) { try session.openStream() }
        session.reset(stream)
        _ = try session.openStream()
    }

    @Test func bufferedBytesOverflowResetsTheStream() throws {
        var pair = MplexPair(listener: try MplexConfiguration(maxBufferedBytesPerStream: 1000))
        let stream = try pair.dialer.openStream()
        let theirs = remote(stream.number)
        try pair.dialer.write(stream, pattern(600, seed: 0))
        pair.pump()
        pair.listener.consumed(theirs, 600)
        #expect(pair.listener.unconsumedByteCount(of: theirs) == 0)
        try pair.dialer.write(stream, pattern(600, seed: 1))
        pair.pump()
        #expect(pair.listener.unconsumedByteCount(of: theirs) == 600)
        try pair.dialer.write(stream, pattern(401, seed: 2))
        pair.pump()
        #expect(pair.listenerEvents.last == .streamReset(theirs, .bufferOverflow))
        #expect(receivedBytes(pair.listenerEvents, on: theirs).count == 1200)
        #expect(pair.dialerEvents == [.streamReset(stream, .byRemote)])
        #expect(pair.listener.failure == nil)
    }

    @Test func halfTheBufferLimitAsksTheCallerToStopReading() throws {
        var pair = MplexPair(listener: try MplexConfiguration(maxBufferedBytesPerStream: 1000))
        let stream = try pair.dialer.openStream()
        let other = try pair.dialer.openStream()
        let theirs = remote(stream.number)
        try pair.dialer.write(stream, pattern(499, seed: 0))
        pair.pump()
        #expect(pair.listener.saturatedStreams.isEmpty)
        try pair.dialer.write(stream, pattern(1, seed: 1))
        pair.pump()
        #expect(pair.listener.saturatedStreams == [theirs])
        pair.listener.consumed(theirs, 1)
        #expect(pair.listener.saturatedStreams.isEmpty)

        try pair.dialer.write(stream, pattern(300, seed: 2))
        try pair.dialer.write(other, pattern(600, seed: 3))
        pair.pump()
        #expect(pair.listener.saturatedStreams == [theirs, remote(other.number)])
        pair.listener.reset(theirs)
        pair.dialer.reset(other)
        pair.pump()
        #expect(pair.listener.saturatedStreams.isEmpty, "streams that are gone hold nothing back")

        // A stream the remote has finished sending on holds nothing back either, read or not.
        let closing = try pair.dialer.openStream()
        try pair.dialer.write(closing, pattern(600, seed: 4))
        pair.pump()
        #expect(pair.listener.saturatedStreams == [remote(closing.number)])
        try pair.dialer.closeWrite(closing)
        pair.pump()
        #expect(pair.listener.saturatedStreams.isEmpty)
        #expect(pair.listener.unconsumedByteCount(of: remote(closing.number)) == nil)
    }
}
