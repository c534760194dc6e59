import NIOCore
import Testing
import Yamux

@Suite struct YamuxBadInputTests {
    private let goAwayProtocolError = frame(3, 0, 0, 1)

    private func expectFailure(_ input: [UInt8], _ error: YamuxProtocolError, role: YamuxRole = .server) {
        for chunk in [Int.max, 1] {
            var session = YamuxSession(role: role)
            var events: [YamuxEvent] = []
            var start = 0
            while start < input.count {
                let end = min(input.count, start + chunk)
                events += session.receive(input[start..<end])
                start = end
            }
            #expect(events.last == .sessionFailed(error))
            #expect(session.failure == error)
            #expect(session.takeOutbound().suffix(12) == ArraySlice(goAwayProtocolError))
            // Dead afterwards: no more events, no more commands.
            #expect(session.receive(frame(2, 0x1, 0, 1)).isEmpty)
            #expect(!session.hasOutbound)
            #expect(throws: YamuxUsageError.sessionClosed) { try session.openStream() }
        }
    }

    @Test func unknownVersion() {
        expectFailure(frame(1, 0x1, 1, 0, version: 1), .unsupportedVersion(1))
    }

    @Test func unknownType() {
        expectFailure(frame(4, 0, 0, 0), .unknownFrameType(4))
    }

    @Test func oversizedFrameIsRejectedBeforeItsPayload() {
        expectFailure(frame(0, 0x1, 1, 256 * 1024 + 1), .frameTooLarge(length: 256 * 1024 + 1, limit: 256 * 1024))
    }

    @Test func receiveWindowViolation() {
        let first = frame(0, 0x1, 1, 200 * 1024) + pattern(200 * 1024, seed: 0)
        let second = frame(0, 0, 1, 100 * 1024) + pattern(100 * 1024, seed: 1)
        expectFailure(first + second, .receiveWindowExceeded(streamID: 1, length: 100 * 1024, window: 56 * 1024))
    }

    @Test func duplicateSyn() {
        expectFailure(frame(1, 0x1, 1, 0) + frame(1, 0x1, 1, 0), .duplicateStream(1))
    }

    @Test func synWithTheWrongParity() {
        expectFailure(frame(1, 0x1, 2, 0), .invalidStreamID(2), role: .server)
        expectFailure(frame(1, 0x1, 3, 0), .invalidStreamID(3), role: .client)
    }

    @Test func streamFrameOnStreamZero() {
        expectFailure(frame(0, 0, 0, 1) + [0], .invalidStreamID(0))
    }

    @Test func framesForUnknownStreamsAreDropped() {
        var session = YamuxSession(role: .server)
        let input = frame(0, 0, 5, 3) + [1, 2, 3] + frame(1, 0, 5, 100) + frame(0, 0x4, 5, 0) + frame(0, 0x8, 5, 0)
        #expect(session.receive(input).isEmpty)
        #expect(!session.hasOutbound)
        #expect(session.failure == nil)
        #expect(session.receive(frame(2, 0x1, 0, 1)).isEmpty)
        #expect(session.takeOutbound() == frame(2, 0x2, 0, 1))
    }

    @Test func dataAfterRemoteFinResetsTheStream() {
        var session = YamuxSession(role: .server)
        let events = session.receive(frame(0, 0x5, 1, 1) + [9] + frame(0, 0, 1, 1) + [8])
        #expect(events == [.streamOpened(1), .data(1, ByteBuffer(bytes: [9])), .readClosed(1), .streamReset(1, .dataAfterRemoteClose)])
        #expect(session.takeOutbound() == frame(1, 0x2, 1, 0) + frame(0, 0x8, 1, 0))
        #expect(session.failure == nil)
    }

    @Test func synWithRstIsIgnored() {
        var session = YamuxSession(role: .server)
        #expect(session.receive(frame(1, 0x9, 1, 0)).isEmpty)
        #expect(session.streamCount == 0)
    }

    @Test func windowUpdateOverflowSaturates() throws {
        var client = YamuxSession(role: .client)
        let stream = try client.openStream()
        _ = client.receive(frame(1, 0, 1, 0xFFFF_FFFF))
        #expect(client.sendWindow(of: stream) == 0xFFFF_FFFF)
        #expect(client.failure == nil)
    }
}
