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

    @Test func framesForUnknownStreamsAreDropped() {
        var session = MplexSession()
        // Message, close and reset, both initiator and receiver flavours, for streams never opened.
        let input: [UInt8] = [0x0A, 0x01, 0x07, 0x09, 0x01, 0x07, 0x0B, 0x00, 0x0C, 0x00, 0x0D, 0x00, 0x0E, 0x00]
        #expect(session.receive(input).isEmpty)
        #expect(!session.hasOutbound)
        #expect(session.failure == nil)
        // A frame naming the remote's stream 1 does not reach our stream 1.
        let ours = try? session.openStream()
        _ = session.takeOutbound()
        #expect(ours == local(0))
        #expect(session.receive([0x02, 0x01, 0x05]).isEmpty)  // MessageInitiator 0: their stream 0
        #expect(session.receive([0x01, 0x01, 0x05]) == [.data(local(0), [5])])  // MessageReceiver 0: ours
    }

    @Test func dataAfterRemoteCloseIsDropped() {
        var session = MplexSession()
        let events = session.receive([0x08, 0x00, 0x0A, 0x01, 0x01, 0x0C, 0x00, 0x0A, 0x01, 0x02])
        #expect(events == [.streamOpened(remote(1), name: []), .data(remote(1), [1]), .readClosed(remote(1))])
        #expect(session.failure == nil)
        #expect(!session.hasOutbound)
    }
}
