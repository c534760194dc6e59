import DequeModule

/// The frames waiting to go to one peer, as a sans-IO core: the GossipSub host keeps one per
/// pubsub stream (with bytes as frames), the network simulator one per simulated connection.
///
/// Frames wait in lanes (``OutboundLane``), served in the lanes' order, in three classes with
/// their own bounds, as rust-libp2p has them:
/// - subscriptions (and the v1.3 Extensions message) are never dropped: they come only from this
///   node's own subscribe and unsubscribe calls, so a peer with ``maxControlBytes`` of them waiting
///   takes nothing, and the frame that would pass the bound is ``EnqueueResult/overflowed``: the
///   owner disconnects the peer instead of losing the peer's view of our topics;
/// - GRAFT, PRUNE and IDONTWANT next, dropped past ``maxControlBytes`` of them;
/// - gossip (IHAVE, IWANT), then messages (answers to IWANT, own publications, forwards), dropped
///   past ``maxMessageBytes`` together, except into a queue without any of them (one frame always
///   fits, so a large message never starves).
///
/// A queued message frame is cancelled when the peer says IDONTWANT for its message before it
/// left (v1.2: the copies that matter most are the ones still waiting behind a slow link), and one
/// given a deadline is dropped unsent once the deadline has passed.
public struct OutboundFrameQueue<Frame: Sendable>: Sendable {
    /// What ``enqueue(_:bytes:lane:messageID:deadline:)`` did with a frame.
    public enum EnqueueResult: Hashable, Sendable {
        /// The frame waits in its lane; its bytes count towards ``queuedBytes``.
        case queued
        /// Over its class's bound: the frame was not queued.
        case dropped
        /// A subscription frame over the bound: it was not queued, and since subscriptions are
        /// never dropped, the peer cannot be kept.
        case overflowed
    }

    /// The lanes frames wait in, in serving order.
    public typealias Lane = OutboundLane

    // Entries are structs, not tuples: a generic tuple type is looked up at run time.
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var frame: Frame
        @usableFromInline var bytes: Int
        @usableFromInline var id: MessageID?
        @usableFromInline var deadline: Duration?

        @inlinable
        init(frame: Frame, bytes: Int, id: MessageID? = nil, deadline: Duration? = nil) {
            (self.frame, self.bytes, self.id, self.deadline) = (frame, bytes, id, deadline)
        }
    }

    // The hot entry points are inlinable so that a user of the queue (the host, the simulator,
    // which calls them millions of times a simulated second) runs them specialised for its frame
    // type rather than through generic witnesses.
    @usableFromInline var lanes = [Deque<Entry>](repeating: Deque(), count: OutboundLane.count)
    @usableFromInline var bytesByLane = [Int](repeating: 0, count: OutboundLane.count)
    @usableFromInline var counts = Counts()
    /// Ids of expired single-message frames not yet taken (``takeExpiredMessageIDs(onceDrained:)``).
    @usableFromInline var expiredIDs = Deque<MessageID>()
    /// Most expired ids kept for ``takeExpiredMessageIDs(onceDrained:)``; the oldest are forgotten
    /// first.
    public static var maxExpiredIDs: Int { 1024 }

    @usableFromInline
    struct Counts: Sendable {
        @usableFromInline var frames = 0, bytes = 0, messageBytes = 0, expiredFrames = 0, expiredBytes = 0
        @inlinable init() {}
    }

    /// Frames waiting (every lane).
    @inlinable public var queuedFrames: Int { counts.frames }
    /// Bytes waiting (every lane).
    @inlinable public var queuedBytes: Int { counts.bytes }
    /// Bytes of message frames waiting (replies, publications, forwards).
    @inlinable public var messageBytes: Int { counts.messageBytes }
    /// Message frames dropped unsent because their deadline had passed.
    @inlinable public var expiredFrames: Int { counts.expiredFrames }
    /// The bytes of the ``expiredFrames``.
    @inlinable public var expiredBytes: Int { counts.expiredBytes }
    /// Gossip and message bytes that may wait before further such frames are dropped (one frame
    /// always fits into a queue without any, however large).
    public let maxMessageBytes: Int
    /// Bytes each of the subscription and the GRAFT/PRUNE/IDONTWANT lanes may hold (a hard bound).
    public let maxControlBytes: Int

    /// An empty queue with the given byte bounds.
    public init(maxMessageBytes: Int, maxControlBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
        self.maxControlBytes = maxControlBytes
    }

    /// True when no frame waits in any lane.
    @inlinable
    public var isEmpty: Bool { counts.frames == 0 }

    /// Bytes waiting in `lane`.
    public func bytes(in lane: Lane) -> Int { bytesByLane[lane.rawValue] }

    /// Queues `frame` of `bytes` in `lane`. `messageID`: the one message the frame carries, which
    /// IDONTWANT may cancel. `deadline`: when a gossip or message frame still waiting is no longer
    /// worth sending (ignored for subscriptions and GRAFT/PRUNE/IDONTWANT, which never expire).
    @inlinable
    public mutating func enqueue(_ frame: Frame, bytes: Int, lane: Lane, messageID: MessageID? = nil,
                                 deadline: Duration? = nil) -> EnqueueResult {
        let l = lane.rawValue
        switch lane {
        case .subscription, .control:
            guard bytesByLane[l] + bytes <= maxControlBytes else { return lane == .subscription ? .overflowed : .dropped }
            lanes[l].append(Entry(frame: frame, bytes: bytes))
        case .gossip, .reply, .publish, .forward:
            let droppable = messageBytes + bytesByLane[Lane.gossip.rawValue]
            guard droppable == 0 || droppable + bytes <= maxMessageBytes else { return .dropped }
            lanes[l].append(Entry(frame: frame, bytes: bytes, id: messageID, deadline: deadline))
            if lane.carriesMessages { counts.messageBytes += bytes }
        }
        bytesByLane[l] += bytes
        counts.bytes += bytes
        counts.frames += 1
        return .queued
    }

    /// Queues `frame` of `bytes`: `control` frames in the GRAFT/PRUNE/IDONTWANT lane, the others as
    /// forwards.
    public mutating func enqueue(_ frame: Frame, bytes: Int, control isControl: Bool, messageID: MessageID? = nil) -> EnqueueResult {
        enqueue(frame, bytes: bytes, lane: isControl ? .control : .forward, messageID: messageID)
    }

    @inlinable
    mutating func removed(_ entry: Entry, from lane: Lane) {
        bytesByLane[lane.rawValue] -= entry.bytes
        counts.bytes -= entry.bytes
        counts.frames -= 1
        if lane.carriesMessages { counts.messageBytes -= entry.bytes }
    }

    /// Hands `body` the next frames in lane order, as long as their bytes stay within `limit` (at
    /// least one frame when any waits); returns the bytes taken. With `now`, frames whose
    /// deadline is before it are dropped on the way (``expiredFrames``).
    @inlinable @discardableResult
    public mutating func take(upTo limit: Int, now: Duration? = nil, _ body: (Frame) -> Void) -> Int {
        var taken = 0
        guard queuedFrames > 0 else { return 0 }
        serving: for l in 0..<OutboundLane.count {
            let lane = Lane(rawValue: l)!
            // The head is looked at in place and moved out only once taken (a copy of the entry
            // would retain its frame).
            while !lanes[l].isEmpty {
                if let now, let deadline = lanes[l][0].deadline, deadline < now {
                    let entry = lanes[l].removeFirst()
                    removed(entry, from: lane)
                    counts.expiredFrames += 1
                    counts.expiredBytes += entry.bytes
                    if let id = entry.id { keepExpired(id) }
                    continue
                }
                guard taken == 0 || taken + lanes[l][0].bytes <= limit else { break serving }
                let entry = lanes[l].removeFirst()
                taken += entry.bytes
                removed(entry, from: lane)
                body(entry.frame)
            }
        }
        return taken
    }

    @usableFromInline
    mutating func keepExpired(_ id: MessageID) {
        if expiredIDs.count == Self.maxExpiredIDs { expiredIDs.removeFirst() }
        expiredIDs.append(id)
    }

    /// The ids of the single-message frames dropped past their deadline and not yet taken, oldest
    /// first (the newest ``maxExpiredIDs``), for the router's `forwardsExpired(_:to:now:)`.
    ///
    /// `onceDrained`: none are handed over while message frames wait (``messageBytes``); they are
    /// kept for a later call. An announcement the peer answers with IWANT is served from this
    /// queue, so while it holds a backlog the peer is better off asking someone else.
    public mutating func takeExpiredMessageIDs(onceDrained: Bool = false) -> [MessageID] {
        guard !onceDrained || counts.messageBytes == 0 else { return [] }
        defer { expiredIDs = [] }
        return Array(expiredIDs)
    }

    /// Whether expired ids wait for ``takeExpiredMessageIDs(onceDrained:)``.
    @inlinable public var hasExpiredMessageIDs: Bool { !expiredIDs.isEmpty }

    /// Removes queued message frames carrying one of `ids`; returns how many were removed and
    /// their bytes.
    @inlinable
    public mutating func cancel(_ ids: Set<MessageID>) -> (frames: Int, bytes: Int) {
        var frames = 0, bytes = 0
        for l in OutboundLane.reply.rawValue..<OutboundLane.count where !lanes[l].isEmpty {
            var laneBytes = 0
            lanes[l].removeAll { entry in
                guard let id = entry.id, ids.contains(id) else { return false }
                frames += 1
                laneBytes += entry.bytes
                return true
            }
            bytesByLane[l] -= laneBytes
            bytes += laneBytes
        }
        counts.bytes -= bytes
        counts.messageBytes -= bytes
        counts.frames -= frames
        return (frames, bytes)
    }

    /// Drops everything.
    public mutating func removeAll() {
        lanes = [Deque<Entry>](repeating: Deque(), count: OutboundLane.count)
        bytesByLane = [Int](repeating: 0, count: OutboundLane.count)
        counts.frames = 0
        counts.bytes = 0
        counts.messageBytes = 0
    }
}

/// Where a frame waits in an ``OutboundFrameQueue``; lanes are served in this order.
public enum OutboundLane: Int, CaseIterable, Hashable, Sendable {
    /// Subscription changes and the v1.3 Extensions message: never dropped (a peer that missed
    /// one would keep a wrong view of our topics, or of our extensions, for the whole connection).
    case subscription
    /// GRAFT, PRUNE and IDONTWANT: mesh changes, and the one control message whose worth is that it
    /// overtakes the copies it saves.
    case control
    /// IHAVE and IWANT: small, and ahead of messages so that a slow link does not delay the repair
    /// of a missed message behind a backlog; dropped with messages when the queue is full.
    case gossip
    /// Messages the peer asked for with IWANT. They go before pushed messages because the
    /// peer counts a promise broken when the answer is late (the follow-up time, 3 s), and
    /// an answer queued behind a backlog of forwards to a slow peer is late without malice.
    case reply
    /// Messages this node publishes: no other copy of them exists yet.
    case publish
    /// Messages this node forwards after validating them.
    case forward

    /// Whether frames of this lane carry messages (and count in
    /// ``OutboundFrameQueue/messageBytes``).
    @inlinable
    public var carriesMessages: Bool { rawValue >= OutboundLane.reply.rawValue }

    /// How many lanes there are (`allCases.count` without building the array).
    @inlinable public static var count: Int { forward.rawValue + 1 }
}
