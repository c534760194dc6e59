import Testing
@testable import NetworkSimulation

@Suite struct ConnectionWindowTests {
    /// Acknowledgements apply when the window is looked at, in the order they were sent back.
    @Test func acknowledgementsApplyWhenDueAndInOrder() {
        var window = ConnectionWindow()
        window.sent(30_000)
        window.sent(30_000)
        #expect(window.acknowledge(30_000, at: .milliseconds(100)) == nil)
        // Sent back later but measured earlier (jitter): it waits for the one before it.
        #expect(window.acknowledge(30_000, at: .milliseconds(90)) == nil)
        window.settle(now: .milliseconds(99))
        #expect(window.inFlight == 60_000)
        window.settle(now: .milliseconds(100))
        #expect(window.inFlight == 0)
    }

    /// A sender blocked on a full window is woken at the first acknowledgement, whether it was
    /// already on its way or comes back later, and only once.
    @Test func aBlockedSenderIsWokenOnceAtTheFirstAcknowledgement() {
        var pending = ConnectionWindow()
        pending.sent(70_000)
        _ = pending.acknowledge(70_000, at: .milliseconds(40))
        #expect(pending.block() == .milliseconds(40))
        #expect(pending.block() == nil)

        var inTransit = ConnectionWindow()
        inTransit.sent(70_000)
        #expect(inTransit.block() == nil)
        #expect(inTransit.acknowledge(70_000, at: .milliseconds(55)) == .milliseconds(55))
        #expect(inTransit.acknowledge(1, at: .milliseconds(60)) == nil)
    }
}
