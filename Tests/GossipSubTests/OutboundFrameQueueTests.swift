import GossipSub
import Testing

@Suite struct OutboundFrameQueueTests {
    typealias Queue = OutboundFrameQueue<String>

    static func id(_ byte: UInt8) -> MessageID { MessageID([byte]) }

    static func drain(_ q: inout Queue, now: Duration? = nil) -> [String] {
        var out: [String] = []
        while !q.isEmpty {
            let taken = q.take(upTo: 1, now: now) { out.append($0) }
            if taken == 0 { break }
        }
        return out
    }

    @Test func lanesAreServedInOrderAndFIFOWithin() {
        var q = Queue(maxMessageBytes: 1000, maxControlBytes: 1000)
        _ = q.enqueue("forward 1", bytes: 10, lane: .forward)
        _ = q.enqueue("publish 1", bytes: 10, lane: .publish)
        _ = q.enqueue("reply 1", bytes: 10, lane: .reply)
        _ = q.enqueue("forward 2", bytes: 10, lane: .forward)
        _ = q.enqueue("control 1", bytes: 1, lane: .control)
        _ = q.enqueue("gossip 1", bytes: 1, lane: .gossip)
        _ = q.enqueue("reply 2", bytes: 10, lane: .reply)
        _ = q.enqueue("subscription 1", bytes: 1, lane: .subscription)
        #expect(Self.drain(&q) == ["subscription 1", "control 1", "gossip 1", "reply 1", "reply 2", "publish 1",
                                   "forward 1", "forward 2"])
        #expect(q.queuedBytes == 0 && q.messageBytes == 0)
    }

    @Test func theControlFlagKeepsOneFIFOForMessages() {
        var q = Queue(maxMessageBytes: 1000, maxControlBytes: 1000)
        _ = q.enqueue("m1", bytes: 10, control: false)
        _ = q.enqueue("c1", bytes: 1, control: true)
        _ = q.enqueue("m2", bytes: 10, control: false)
        #expect(Self.drain(&q) == ["c1", "m1", "m2"])
    }

    @Test func aBatchStopsAtTheFirstFrameThatDoesNotFit() {
        var q = Queue(maxMessageBytes: 1000, maxControlBytes: 1000)
        _ = q.enqueue("reply", bytes: 30, lane: .reply)
        _ = q.enqueue("forward", bytes: 5, lane: .forward)
        var out: [String] = []
        // The reply fits alone; the forward would fit beside a smaller one, but may not overtake.
        #expect(q.take(upTo: 20) { out.append($0) } == 30)
        #expect(q.take(upTo: 20) { out.append($0) } == 5)
        #expect(out == ["reply", "forward"])
    }

    @Test func framesPastTheirDeadlineAreDroppedUnsent() {
        var q = Queue(maxMessageBytes: 1000, maxControlBytes: 1000)
        _ = q.enqueue("stale", bytes: 10, lane: .forward, messageID: Self.id(1), deadline: .seconds(1))
        _ = q.enqueue("fresh", bytes: 20, lane: .forward, messageID: Self.id(2), deadline: .seconds(3))
        _ = q.enqueue("no deadline", bytes: 40, lane: .forward)
        // A deadline on a control frame is ignored: control never expires.
        _ = q.enqueue("control", bytes: 1, lane: .control, deadline: .seconds(1))
        #expect(Self.drain(&q, now: .seconds(2)) == ["control", "fresh", "no deadline"])
        #expect(q.expiredFrames == 1 && q.expiredBytes == 10)
        #expect(q.queuedBytes == 0 && q.messageBytes == 0)
        // The expired frame's id is handed over once, for the router to announce it instead.
        #expect(q.hasExpiredMessageIDs)
        #expect(q.takeExpiredMessageIDs() == [Self.id(1)])
        #expect(!q.hasExpiredMessageIDs && q.takeExpiredMessageIDs().isEmpty)
    }

    @Test func expiredIDsAreKeptUpToABound() {
        var q = Queue(maxMessageBytes: 1 << 30, maxControlBytes: 1000)
        let count = Queue.maxExpiredIDs + 10
        for n in 0..<count {
            _ = q.enqueue("m\(n)", bytes: 1, lane: .forward, messageID: MessageID([UInt8(n >> 8), UInt8(n & 255)]), deadline: .seconds(1))
        }
        _ = q.enqueue("unnamed", bytes: 1, lane: .forward, deadline: .seconds(1))
        #expect(Self.drain(&q, now: .seconds(2)).isEmpty)
        #expect(q.expiredFrames == count + 1)
        // The newest are kept: the oldest have likely left the router's message cache.
        let ids = q.takeExpiredMessageIDs()
        #expect(ids.count == Queue.maxExpiredIDs && ids.first == MessageID([0, 10]))
        #expect(ids.last == MessageID([UInt8((count - 1) >> 8), UInt8((count - 1) & 255)]))
    }

    @Test func onceDrainedExpiredIDsWaitWhileMessageFramesDo() {
        var q = Queue(maxMessageBytes: 1000, maxControlBytes: 1000)
        _ = q.enqueue("stale", bytes: 10, lane: .forward, messageID: Self.id(1), deadline: .seconds(1))
        _ = q.enqueue("forward", bytes: 10, lane: .forward)
        _ = q.enqueue("another", bytes: 10, lane: .publish)
        // The publication goes first; the stale forward expires on the way to the next frame.
        var out: [String] = []
        #expect(q.take(upTo: 10, now: .seconds(2)) { out.append($0) } == 10)
        _ = q.enqueue("later", bytes: 10, lane: .forward)
        #expect(q.take(upTo: 10, now: .seconds(2)) { out.append($0) } == 10)
        #expect(out == ["another", "forward"] && q.expiredFrames == 1)
        // A message frame still waits: the id is kept, not handed over.
        #expect(q.hasExpiredMessageIDs && q.messageBytes == 10)
        #expect(q.takeExpiredMessageIDs(onceDrained: true).isEmpty && q.hasExpiredMessageIDs)
        // Control frames do not hold it back; once the message frames have left it is handed over.
        #expect(Self.drain(&q, now: .seconds(2)) == ["later"])
        _ = q.enqueue("graft", bytes: 1, lane: .control)
        #expect(q.takeExpiredMessageIDs(onceDrained: true) == [Self.id(1)])
        #expect(!q.hasExpiredMessageIDs)
    }

    @Test func withoutNowNothingExpires() {
        var q = Queue(maxMessageBytes: 1000, maxControlBytes: 1000)
        _ = q.enqueue("old", bytes: 10, lane: .forward, deadline: .seconds(1))
        #expect(Self.drain(&q) == ["old"])
        #expect(q.expiredFrames == 0)
    }

    @Test func anExpiredHeadDoesNotCountTowardTheBatch() {
        var q = Queue(maxMessageBytes: 1000, maxControlBytes: 1000)
        _ = q.enqueue("stale", bytes: 50, lane: .forward, deadline: .seconds(1))
        _ = q.enqueue("next", bytes: 50, lane: .forward)
        var out: [String] = []
        #expect(q.take(upTo: 60, now: .seconds(5)) { out.append($0) } == 50)
        #expect(out == ["next"] && q.isEmpty)
    }

    @Test func idontwantCancelsInEveryMessageLane() {
        var q = Queue(maxMessageBytes: 1000, maxControlBytes: 1000)
        _ = q.enqueue("reply 1", bytes: 10, lane: .reply, messageID: Self.id(1))
        _ = q.enqueue("publish 2", bytes: 10, lane: .publish, messageID: Self.id(2))
        _ = q.enqueue("forward 1", bytes: 10, lane: .forward, messageID: Self.id(1))
        _ = q.enqueue("forward 3", bytes: 10, lane: .forward, messageID: Self.id(3))
        let removed = q.cancel([Self.id(1), Self.id(2)])
        #expect(removed.frames == 3 && removed.bytes == 30)
        #expect(q.messageBytes == 10)
        #expect(Self.drain(&q) == ["forward 3"])
    }

    @Test func theMessageBoundSpansAllMessageLanes() {
        var q = Queue(maxMessageBytes: 25, maxControlBytes: 5)
        #expect(q.enqueue("f", bytes: 10, lane: .forward) == .queued)
        #expect(q.enqueue("r", bytes: 10, lane: .reply) == .queued)
        #expect(q.enqueue("p", bytes: 10, lane: .publish) == .dropped)
        #expect(q.enqueue("c", bytes: 5, lane: .control) == .queued)
        #expect(q.enqueue("c2", bytes: 1, lane: .control) == .dropped)
        q.removeAll()
        #expect(q.isEmpty && q.queuedBytes == 0)
        // One frame always fits an empty queue.
        #expect(q.enqueue("big", bytes: 100, lane: .publish) == .queued)
    }

    @Test func subscriptionsAreNeverDroppedOnlyOverflow() {
        var q = Queue(maxMessageBytes: 10, maxControlBytes: 5)
        #expect(q.enqueue("m", bytes: 10, lane: .forward) == .queued)
        #expect(q.enqueue("c", bytes: 5, lane: .control) == .queued)
        // Full message and control classes leave the subscription lane its own room.
        #expect(q.enqueue("s1", bytes: 3, lane: .subscription) == .queued)
        #expect(q.enqueue("s2", bytes: 2, lane: .subscription) == .queued)
        #expect(q.enqueue("s3", bytes: 1, lane: .subscription) == .overflowed)
        #expect(q.bytes(in: .subscription) == 5 && q.messageBytes == 10 && q.queuedBytes == 20)
    }

    @Test func gossipIsDroppedWithMessagesButNotCountedAsThem() {
        var q = Queue(maxMessageBytes: 20, maxControlBytes: 5)
        #expect(q.enqueue("ihave", bytes: 5, lane: .gossip) == .queued)
        #expect(q.enqueue("m", bytes: 15, lane: .forward) == .queued)
        #expect(q.enqueue("iwant", bytes: 1, lane: .gossip) == .dropped)
        #expect(q.enqueue("graft", bytes: 1, lane: .control) == .queued)
        #expect(q.messageBytes == 15 && q.bytes(in: .gossip) == 5)
        #expect(Self.drain(&q) == ["graft", "ihave", "m"])
        #expect(q.queuedBytes == 0 && q.bytes(in: .gossip) == 0)
    }

    /// A peer that reads nothing for a while: forwards fill its queue and the later ones are
    /// dropped; subscriptions and GRAFT/PRUNE queued after them still go, first, once it reads;
    /// the forwards that went stale meanwhile are dropped unsent and counted.
    @Test func underASlowReaderSubscriptionsAndMeshChangesArriveAndStaleForwardsAreCounted() {
        var q = Queue(maxMessageBytes: 100, maxControlBytes: 10)
        var dropped = 0
        for i in 0..<20 where q.enqueue("forward \(i)", bytes: 10, lane: .forward, messageID: Self.id(UInt8(i)),
                                         deadline: .seconds(1) + .milliseconds(100 * i)) == .dropped {
            dropped += 1
        }
        #expect(dropped == 10)
        #expect(q.enqueue("subscribe", bytes: 2, lane: .subscription) == .queued)
        #expect(q.enqueue("graft", bytes: 2, lane: .control) == .queued)
        #expect(q.enqueue("prune", bytes: 2, lane: .control) == .queued)
        // The reader comes back at 1.55 s: forwards 0...5 (deadlines 1.0...1.5 s) are stale.
        let sent = Self.drain(&q, now: .milliseconds(1550))
        #expect(sent == ["subscribe", "graft", "prune"] + (6..<10).map { "forward \($0)" })
        #expect(q.expiredFrames == 6 && q.expiredBytes == 60)
        #expect(q.queuedBytes == 0 && q.messageBytes == 0)
    }
}
