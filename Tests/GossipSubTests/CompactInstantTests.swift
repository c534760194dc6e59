import Testing
@testable import GossipSub

@Suite struct CompactInstantTests {
    /// Whole nanoseconds survive the round trip; finer parts are cut; the order is kept; beyond
    /// the 64-bit range it saturates instead of trapping.
    @Test func roundTripsNanosecondsAndSaturates() {
        for d: Duration in [.zero, .nanoseconds(1), .milliseconds(1_234), .seconds(1_700_000_000), .seconds(-5)] {
            #expect(CompactInstant(d).duration == d)
        }
        #expect(CompactInstant(.nanoseconds(5) + Duration(secondsComponent: 0, attosecondsComponent: 400_000_000)).nanoseconds == 5)
        #expect(CompactInstant(.seconds(1)) < CompactInstant(.seconds(1) + .nanoseconds(1)))
        #expect(CompactInstant(.seconds(Int64.max)).nanoseconds == .max)
        #expect(CompactInstant(.seconds(Int64.min)).nanoseconds == .min)
        #expect(MemoryLayout<CompactInstant>.size == 8)
    }
}
