import Testing
import Yamux
import TestSupport

@Suite struct YamuxChunkingPropertyTests {
    /// A client's transmission covering every frame type and flag the session sends.
    private func clientTranscript() throws -> [UInt8] {
        var client = YamuxSession(role: .client, configuration: try YamuxConfiguration(receiveWindow: 512 * 1024, maxSendFrameLength: 16 * 1024))
        let a = try client.openStream()
        let b = try client.openStream()
        try client.write(a, pattern(70_000, seed: 1))
        try client.write(b, pattern(300, seed: 2))
        try client.closeWrite(b)
        _ = try client.ping(now: .zero)
        var bytes = client.takeOutbound()
        client.reset(a)
        try client.goAway(.internalError)
        bytes += client.takeOutbound()
        return bytes
    }

    @Test func anyChunkingYieldsTheSameEventsAndReplies() throws {
        let transcript = try clientTranscript()
        var reference = YamuxSession(role: .server)
        let expectedEvents = reference.receive(transcript)
        let expectedReply = reference.takeOutbound()
        #expect(expectedEvents.count > 8)
        #expect(expectedEvents.last == .goAwayReceived(.internalError))
        var random = SeededRandom(state: 42)
        for _ in 0..<50 {
            var server = YamuxSession(role: .server)
            var events: [YamuxEvent] = []
            var start = 0
            while start < transcript.count {
                let end = min(transcript.count, start + Int.random(in: 1...40, using: &random))
                events += server.receive(transcript[start..<end])
                start = end
            }
            #expect(events == expectedEvents)
            #expect(server.takeOutbound() == expectedReply)
        }
    }

    @Test func randomBytesNeverTrapAndEndCleanly() {
        var random = SeededRandom(state: 7)
        for _ in 0..<300 {
            var session = YamuxSession(role: .server)
            // Mostly valid headers with random fields, so that deeper paths are reached.
            var input: [UInt8] = []
            for _ in 0..<Int.random(in: 1...20, using: &random) {
                let type = UInt8.random(in: 0...4, using: &random)
                let flags = UInt16.random(in: 0...15, using: &random)
                let stream = UInt32.random(in: 0...6, using: &random)
                let length = type == 0 ? UInt32.random(in: 0...64, using: &random) : UInt32.random(in: 0...300_000, using: &random)
                input += frame(type, flags, stream, length, version: random.next() % 50 == 0 ? 1 : 0)
                if type == 0 { input += (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) } }
            }
            let events = session.receive(input)
            if let failure = session.failure {
                #expect(events.last == .sessionFailed(failure))
                #expect(session.takeOutbound().suffix(12) == ArraySlice(frame(3, 0, 0, 1)))
            } else {
                #expect(!events.contains { if case .sessionFailed = $0 { true } else { false } })
            }
        }
    }
}
