import Testing
import Mplex

@Suite struct MplexBadInputTests {
    private func expectFailure(_ input: [UInt8], _ error: MplexProtocolError) {
        for chunk in [Int.max, 1] {
            var session = MplexSession()
            var events: [MplexEvent] = []
            var start = 0
            while start < input.count {
                let end = min(input.count, start + chunk)
                events += session.receive(input[start..<end])
                start = end
            }
            #expect(events.last == .sessionFailed(error))
            #expect(session.failure == error)
            #expect(session.receive([0x00, 0x00]).isEmpty)
            #expect(throws: MplexUsageError.sessionClosed) { try session.openStream() }
        }
    }

    @Test func unknownFlag() {
        expectFailure([0x0F, 0x00], .unknownFlag(7))
    }

    @Test func oversizedFrame() {
        expectFailure([0x0A, 0x81, 0x80, 0x40], .frameTooLarge(length: 0x10_0001, limit: 0x10_0000))
    }

    @Test func overlongVarint() {
        expectFailure([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], .varintTooLong)
    }

    @Test func duplicateNewStream() {
        expectFailure([0x08, 0x00, 0x08, 0x00], .duplicateStream(remote(1)))
    }

    @Test func dataForNeverOpenedStreamsIsAnsweredWithReset() {
        var session = MplexSession()
        // MessageInitiator for their stream 1, MessageReceiver for our stream 1: neither opened.
        #expect(session.receive([0x0A, 0x01, 0x07, 0x09, 0x01, 0x07]) == [
            .streamReset(remote(1), .unknownStream), .streamReset(local(1), .unknownStream),
        ])
        // ResetReceiver for their 1 (flag 5), ResetInitiator for our 1 (flag 6).
        #expect(session.takeOutbound() == [0x0D, 0x00, 0x0E, 0x00])
        #expect(session.failure == nil)
        // Close and reset for unknown streams carry no answer.
        #expect(session.receive([0x0B, 0x00, 0x0C, 0x00, 0x0D, 0x00, 0x0E, 0x00]).isEmpty)
        #expect(!session.hasOutbound)
    }

    @Test func framesForStreamsThatAreGoneAreDropped() throws {
        var session = MplexSession()
        let ours = try session.openStream()
        #expect(session.receive([0x08, 0x00]) == [.streamOpened(remote(1), name: [])])
        session.reset(ours)
        session.reset(remote(1))
        _ = session.takeOutbound()
        // Frames in flight for both streams are dropped quietly: no events, no answer.
        #expect(session.receive([0x01, 0x01, 0x05, 0x0A, 0x01, 0x05, 0x03, 0x00, 0x0C, 0x00]).isEmpty)
        #expect(!session.hasOutbound)
        // A frame naming their stream 7 (never opened) does not reach our stream 1.
        let next = try session.openStream()
        _ = session.takeOutbound()
        #expect(session.receive([0x3A, 0x01, 0x05]) == [.streamReset(remote(7), .unknownStream)])
        #expect(session.receive([0x09, 0x01, 0x05]) == [.data(next, [5])])
    }

    @Test func dataAfterRemoteCloseIsDropped() {
        var session = MplexSession()
        let events = session.receive([0x08, 0x00, 0x0A, 0x01, 0x01, 0x0C, 0x00, 0x0A, 0x01, 0x02])
        #expect(events == [.streamOpened(remote(1), name: []), .data(remote(1), [1]), .readClosed(remote(1))])
        #expect(session.failure == nil)
        #expect(!session.hasOutbound)
    }
}
