import DequeModule

/// The frames waiting to go to one peer, as a sans-IO core: the GossipSub host keeps one per
/// pubsub stream (with bytes as frames), the network simulator one per simulated connection.
///
/// Frames wait in lanes (``OutboundLane``), served in the lanes' order: control frames (no messages)
/// first, then answers to the peer's IWANT, then our own publications, then forwards. A message
/// frame is dropped when the queued message bytes would pass `maxMessageBytes`, except into an
/// empty queue (one frame always fits, so a large message never starves); control frames have
/// their own bound. A queued message frame is cancelled when the peer says IDONTWANT for its
/// message before it left (v1.2: the copies that matter most are the ones still waiting behind a
/// slow link), and one given a deadline is dropped unsent once the deadline has passed.
public struct OutboundFrameQueue<Frame: Sendable>: Sendable {
    /// What ``enqueue(_:bytes:lane:messageID:deadline:)`` did with a frame.
    public enum EnqueueResult: Hashable, Sendable {
        /// The frame waits in its lane; its bytes count towards ``queuedBytes``.
        case queued
        /// Over the bound: the frame was not queued.
        case dropped
    }

    /// The lanes frames wait in, in serving order.
    public typealias Lane = OutboundLane

    // Entries are structs, not tuples: a generic tuple type is looked up at run time.
    private struct Entry: Sendable {
        var frame: Frame
        var bytes: Int
        var id: MessageID?
        var deadline: Duration?
    }

    private var lanes = [Deque<Entry>](repeating: Deque(), count: Lane.allCases.count)
    /// Bytes waiting (control and messages).
    public private(set) var queuedBytes = 0
    /// Bytes of message frames waiting.
    public private(set) var messageBytes = 0
    /// Message frames dropped unsent because their deadline had passed, and their bytes.
    public private(set) var expiredFrames = 0
    /// The bytes of the ``expiredFrames``.
    public private(set) var expiredBytes = 0
    /// Message bytes that may wait before further message frames are dropped (one frame always
    /// fits into a queue without message bytes, however large).
    public let maxMessageBytes: Int
    /// Control bytes that may wait before further control frames are dropped (a hard bound).
    public let maxControlBytes: Int

    /// An empty queue with the given byte bounds.
    public init(maxMessageBytes: Int, maxControlBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
        self.maxControlBytes = maxControlBytes
    }

    /// True when no frame waits in any lane.
    public var isEmpty: Bool { lanes.allSatisfy(\.isEmpty) }

    /// Queues `frame` of `bytes` in `lane`. `messageID`: the one message the frame carries, which
    /// IDONTWANT may cancel. `deadline`: when a message frame still waiting is no longer worth
    /// sending (ignored for control frames, which never expire).
    public mutating func enqueue(_ frame: Frame, bytes: Int, lane: Lane, messageID: MessageID? = nil,
                                 deadline: Duration? = nil) -> EnqueueResult {
        if lane == .control {
            guard queuedBytes - messageBytes + bytes <= maxControlBytes else { return .dropped }
            lanes[lane.rawValue].append(Entry(frame: frame, bytes: bytes))
        } else {
            guard messageBytes == 0 || messageBytes + bytes <= maxMessageBytes else { return .dropped }
            lanes[lane.rawValue].append(Entry(frame: frame, bytes: bytes, id: messageID, deadline: deadline))
            messageBytes += bytes
        }
        queuedBytes += bytes
        return .queued
    }

    /// Queues `frame` of `bytes`: `control` frames in the control lane, the others as forwards.
    public mutating func enqueue(_ frame: Frame, bytes: Int, control isControl: Bool, messageID: MessageID? = nil) -> EnqueueResult {
        enqueue(frame, bytes: bytes, lane: isControl ? .control : .forward, messageID: messageID)
    }

    /// Hands `body` the next frames in lane order, as long as their bytes stay within `limit` (at
    /// least one frame when any waits); returns the bytes taken. With `now`, message frames whose
    /// deadline is before it are dropped on the way (``expiredFrames``).
    @discardableResult
    public mutating func take(upTo limit: Int, now: Duration? = nil, _ body: (Frame) -> Void) -> Int {
        var taken = 0
        serving: for lane in Lane.allCases {
            let l = lane.rawValue
            while let entry = lanes[l].first {
                if let now, let deadline = entry.deadline, deadline < now {
                    lanes[l].removeFirst()
                    queuedBytes -= entry.bytes
                    messageBytes -= entry.bytes
                    expiredFrames += 1
                    expiredBytes += entry.bytes
                    continue
                }
                guard taken == 0 || taken + entry.bytes <= limit else { break serving }
                lanes[l].removeFirst()
                body(entry.frame)
                taken += entry.bytes
                queuedBytes -= entry.bytes
                if lane != .control { messageBytes -= entry.bytes }
            }
        }
        return taken
    }

    /// Removes queued message frames carrying one of `ids`; returns how many were removed and
    /// their bytes.
    public mutating func cancel(_ ids: Set<MessageID>) -> (frames: Int, bytes: Int) {
        var removed = 0, bytes = 0
        for lane in Lane.allCases where lane != .control {
            lanes[lane.rawValue].removeAll { entry in
                guard let id = entry.id, ids.contains(id) else { return false }
                removed += 1
                bytes += entry.bytes
                return true
            }
        }
        queuedBytes -= bytes
        messageBytes -= bytes
        return (removed, bytes)
    }

    /// Drops everything.
    public mutating func removeAll() {
        lanes = [Deque<Entry>](repeating: Deque(), count: Lane.allCases.count)
        queuedBytes = 0
        messageBytes = 0
    }
}

/// Where a frame waits in an ``OutboundFrameQueue``; lanes are served in this order.
public enum OutboundLane: Int, CaseIterable, Hashable, Sendable {
    /// Frames without messages (subscriptions, GRAFT/PRUNE, IHAVE/IWANT, IDONTWANT).
    case control
    /// Messages the peer asked for with IWANT. They go before pushed messages because the
    /// peer counts a promise broken when the answer is late (the follow-up time, 3 s), and
    /// an answer queued behind a backlog of forwards to a slow peer is late without malice.
    case reply
    /// Messages this node publishes: no other copy of them exists yet.
    case publish
    /// Messages this node forwards after validating them.
    case forward
}
