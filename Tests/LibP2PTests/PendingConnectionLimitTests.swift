import LibP2PCore
import Testing
@testable import LibP2P

/// The pending-connection rules of ``ConnectionCounts`` (issue 15, item 10), apart from sockets.
@Suite struct PendingConnectionLimitTests {
    let limits = ConnectionLimits(maxPendingInbound: 4, maxPendingOutbound: 2, maxPendingInboundPerSource: 2)

    @Test func inboundHandshakesCannotTakeTheSlotsOfDialsNorOneSourceAllOfThem() {
        let a = ConnectionSource(ip: [10, 0, 0, 1])
        let b = ConnectionSource(ip: [10, 0, 0, 2])
        let c = ConnectionSource(ip: [10, 0, 0, 3])
        var counts = ConnectionCounts()
        #expect(counts.admitInbound(from: a, limits: limits) == nil)
        #expect(counts.admitInbound(from: a, limits: limits) == nil)
        #expect(counts.admitInbound(from: a, limits: limits) == .pendingFromSource)
        #expect(counts.admitInbound(from: b, limits: limits) == nil)
        #expect(counts.admitInbound(from: b, limits: limits) == nil)
        // Inbound pending is full: a new source is refused, but dials have their own slots.
        #expect(counts.admitInbound(from: c, limits: limits) == .pending)
        #expect(counts.admitOutbound(limits: limits) == nil)
        #expect(counts.admitOutbound(limits: limits) == nil)
        #expect(counts.admitOutbound(limits: limits) == .pending)
        #expect((counts.pendingInbound, counts.pendingOutbound) == (4, 2))
        #expect(counts.pendingBySource == [a: 2, b: 2])
        // A failed upgrade gives its source's slot back; a source with none pending is forgotten.
        _ = counts.upgradedInbound(from: a, established: false, limits: limits)
        #expect(counts.admitInbound(from: a, limits: limits) == nil)
        for _ in 0..<2 {
            _ = counts.upgradedInbound(from: b, established: false, limits: limits)
        }
        #expect(counts.pendingBySource == [a: 2])
        #expect(counts.total == InboundRefusals(pendingFromSource: 1, pendingFull: 1, handshakesFailed: 3))
        #expect(counts.unreported == InboundRefusals(pendingFromSource: 1, pendingFull: 1))
    }

    @Test func aSourceIsAnIPv4AddressOrAnIPv6Slash64() {
        let v4 = ConnectionSource(ip: [192, 0, 2, 1])
        #expect(ConnectionSource(ip: [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 192, 0, 2, 1]) == v4)
        #expect(ConnectionSource(ip: [192, 0, 2, 2]) != v4)
        let prefix: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 1]
        let host1 = ConnectionSource(ip: prefix + [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(ConnectionSource(ip: prefix + [9, 9, 9, 9, 9, 9, 9, 9]) == host1)
        #expect(ConnectionSource(ip: [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 2] + [0, 0, 0, 0, 0, 0, 0, 1]) != host1)
    }

    @Test func refusalsAreSummarisedOncePerIntervalAndFailureWarningsAreBudgeted() {
        let interval = Duration.seconds(10)
        let source = ConnectionSource(ip: [10, 0, 0, 1])
        var counts = ConnectionCounts()
        let idle = counts.claimSummary()
        #expect(!idle)  // nothing to report
        for _ in 0..<2 { _ = counts.admitInbound(from: source, limits: limits) }
        for _ in 0..<1000 { _ = counts.admitInbound(from: source, limits: limits) }
        let claimed = counts.claimSummary()
        let claimedAgain = counts.claimSummary()
        #expect(claimed)
        #expect(!claimedAgain)  // one summary scheduled at a time, however many refusals
        // Five failure warnings per interval; the rest are counted for the summary.
        let warned = (0..<20).filter { _ in counts.mayWarnOfFailure(now: .seconds(1), interval: interval) }.count
        #expect(warned == ConnectionCounts.warningsPerInterval)
        let summary = counts.takeUnreported()
        #expect(summary == InboundRefusals(pendingFromSource: 1000, handshakesFailed: 15))
        #expect(summary.summary(interval: interval)
            == "refused 1000 inbound connections in the last 10 s (per-source pending cap: 1000, pending full: 0, "
            + "inbound full: 0); 15 more inbound handshakes failed")
        #expect(counts.unreported.isEmpty)
        #expect(counts.total.pendingFromSource == 1000)
        // The next interval has its own budget, and a new summary may be scheduled.
        let stillExhausted = counts.mayWarnOfFailure(now: .seconds(10), interval: interval)
        let renewed = counts.mayWarnOfFailure(now: .seconds(11), interval: interval)
        let next = counts.claimSummary()
        #expect(!stillExhausted)
        #expect(renewed)
        #expect(next)
        #expect(InboundRefusals().summary(interval: .milliseconds(500)).contains("in the last 500 ms"))
    }
}
