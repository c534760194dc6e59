import GossipSub
import Synchronization
import Testing
@testable import GossipSubHost

@Suite struct OutboundQueueTests {
    @Test func controlFramesGoFirst() async {
        let q = OutboundQueue(maxMessageBytes: 1000, maxControlBytes: 1000)
        #expect(q.enqueue([1, 1], control: false) == .queued)
        #expect(q.enqueue([2], control: true) == .queued)
        #expect(q.enqueue([3, 3, 3], control: false) == .queued)
        #expect(q.enqueue([4], control: true) == .queued)
        #expect(await q.next() == [2, 4, 1, 1, 3, 3, 3])
        #expect(q.queuedBytes == 0)
    }

    @Test func messagesBeyondTheBoundAreDropped() async {
        let q = OutboundQueue(maxMessageBytes: 10, maxControlBytes: 4)
        #expect(q.enqueue([UInt8](repeating: 0, count: 8), control: false) == .queued)
        #expect(q.enqueue([UInt8](repeating: 1, count: 3), control: false) == .dropped)
        #expect(q.enqueue([UInt8](repeating: 2, count: 2), control: false) == .queued)
        #expect(q.enqueue([9, 9, 9], control: true) == .queued)
        #expect(q.enqueue([9, 9], control: true) == .dropped)
        #expect(q.queuedBytes == 13)
        _ = await q.next()
        // Drained: room again, and one oversized frame always fits an empty queue.
        #expect(q.enqueue([UInt8](repeating: 3, count: 50), control: false) == .queued)
    }

    @Test func batchesRespectTheBatchSize() async {
        let q = OutboundQueue(maxMessageBytes: 1000, maxControlBytes: 1000, batchBytes: 5)
        for i in 0..<4 { _ = q.enqueue([UInt8](repeating: UInt8(i), count: 3), control: false) }
        #expect(await q.next() == [0, 0, 0])
        #expect(await q.next() == [1, 1, 1])
        #expect(q.queuedBytes == 6)
    }

    @Test func aWaitingWriterIsWokenAndCloseEndsIt() async {
        let q = OutboundQueue(maxMessageBytes: 100, maxControlBytes: 100)
        async let first = q.next()
        try? await Task.sleep(for: .milliseconds(20))
        _ = q.enqueue([7], control: true)
        #expect(await first == [7])
        async let second = q.next()
        try? await Task.sleep(for: .milliseconds(20))
        q.close()
        #expect(await second == nil)
        #expect(q.enqueue([1], control: true) == .closed)
    }

    /// A PREAMBLE is written on its own just before its body, splitting the batch it falls in,
    /// and is cancelled with it.
    @Test func anAnnouncementIsItsOwnWriteAheadOfItsBody() async {
        let q = OutboundQueue(maxMessageBytes: 1000, maxControlBytes: 1000)
        let a = MessageID([1]), b = MessageID([2])
        #expect(q.enqueue([1, 1], lane: .forward) == .queued)
        #expect(q.enqueue([2, 2], lane: .forward, messageID: a, lead: [9]) == .queued)
        #expect(q.enqueue([3], lane: .forward) == .queued)
        #expect(q.enqueue([4, 4], lane: .forward, messageID: b, lead: [8, 8]) == .queued)
        #expect(q.queuedBytes == 10)
        #expect(q.cancel([b]) == (frames: 1, bytes: 4))
        #expect(await q.next() == [1, 1])
        #expect(await q.next() == [9])
        #expect(await q.next() == [2, 2, 3])
        #expect(q.queuedBytes == 0)
    }

    @Test func idontwantCancelsQueuedMessageFrames() async {
        let q = OutboundQueue(maxMessageBytes: 1000, maxControlBytes: 1000)
        let a = MessageID([1]), b = MessageID([2])
        #expect(q.enqueue([1, 1], control: false, messageID: a) == .queued)
        #expect(q.enqueue([2, 2, 2], control: false, messageID: b) == .queued)
        #expect(q.enqueue([3], control: false) == .queued)
        #expect(q.enqueue([9], control: true) == .queued)
        let cancelled = q.cancel([b, MessageID([7])])
        #expect(cancelled.frames == 1 && cancelled.bytes == 3)
        #expect(q.queuedBytes == 4)
        #expect(await q.next() == [9, 1, 1, 3])
        #expect(q.cancel([a]).frames == 0)
    }

    /// A clock the test sets by hand.
    final class ManualClock: Sendable {
        let time = Mutex<Duration>(.zero)
        var now: Duration { time.withLock { $0 } }
        func set(_ t: Duration) { time.withLock { $0 = t } }
    }

    @Test func lanesGoInOrderAndStaleForwardsExpireByTheInjectedClock() async {
        let clock = ManualClock()
        let q = OutboundQueue(maxMessageBytes: 1000, maxControlBytes: 1000, now: { clock.now })
        #expect(q.enqueue([3, 3], lane: .forward, messageID: MessageID([3]), deadline: .seconds(1)) == .queued)
        #expect(q.enqueue([4], lane: .forward, deadline: .seconds(5)) == .queued)
        #expect(q.enqueue([2], lane: .publish) == .queued)
        #expect(q.enqueue([1], lane: .reply) == .queued)
        #expect(q.enqueue([0], control: true) == .queued)
        clock.set(.seconds(2))
        #expect(await q.next() == [0, 1, 2, 4])
        #expect(q.expired.frames == 1 && q.expired.bytes == 2 && q.queuedBytes == 0)
        // The host hands the expired id to the router once, at a heartbeat when no message frame waits.
        #expect(q.takeExpiredMessageIDs(onceDrained: true) == [MessageID([3])])
        #expect(q.takeExpiredMessageIDs(onceDrained: true).isEmpty)
    }
}
