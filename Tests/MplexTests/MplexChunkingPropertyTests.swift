import Testing
import Mplex
import TestSupport

@Suite struct MplexChunkingPropertyTests {
    @Test func anyChunkingYieldsTheSameEvents() throws {
        var dialer = MplexSession(configuration: try MplexConfiguration(maxSendFrameLength: 1000))
        let a = try dialer.openStream()
        let b = try dialer.openStream(name: Array("named".utf8))
        try dialer.write(a, pattern(5000, seed: 1))
        try dialer.write(b, pattern(200, seed: 2))
        try dialer.closeWrite(b)
        var transcript = dialer.takeOutbound()
        dialer.reset(a)  // after its data went out (a reset drops bytes still queued)
        transcript += dialer.takeOutbound()
        #expect(dialer.outboundByteCount == 0)

        var reference = MplexSession()
        let expected = reference.receive(transcript)
        #expect(expected.count == 2 + 5 + 1 + 1 + 1)
        var random = SeededRandom(state: 99)
        for _ in 0..<50 {
            var listener = MplexSession()
            var events: [MplexEvent] = []
            var start = 0
            while start < transcript.count {
                let end = min(transcript.count, start + Int.random(in: 1...30, using: &random))
                events += listener.receive(transcript[start..<end])
                start = end
            }
            #expect(events == expected)
        }
    }

    @Test func randomBytesNeverTrap() {
        var random = SeededRandom(state: 3)
        var failures = 0
        for _ in 0..<300 {
            var session = MplexSession()
            let input = (0..<Int.random(in: 1...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let events = session.receive(input)
            if let failure = session.failure {
                failures += 1
                #expect(events.last == .sessionFailed(failure))
            }
        }
        #expect(failures > 0)
    }
}
