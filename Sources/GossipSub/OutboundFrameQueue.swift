/// The frames waiting to go to one peer, as a sans-IO core: the GossipSub host keeps one per
/// pubsub stream (with bytes as frames), the network simulator one per simulated connection.
///
/// Control frames (no messages) go before message frames. A message frame is dropped when the
/// queued message bytes would pass `maxMessageBytes`, except into an empty queue (one frame always
/// fits, so a large message never starves); control frames have their own bound. A queued message
/// frame is cancelled when the peer says IDONTWANT for its message before it left (v1.2: the
/// copies that matter most are the ones still waiting behind a slow link).
public struct OutboundFrameQueue<Frame: Sendable>: Sendable {
    public enum EnqueueResult: Hashable, Sendable {
        case queued
        /// Over the bound: the frame was not queued.
        case dropped
    }

    // Entries are structs, not tuples: a generic tuple type is looked up at run time.
    private struct Entry: Sendable {
        var frame: Frame
        var bytes: Int
        var id: MessageID?
    }

    private var control: [Entry] = []
    private var controlHead = 0
    private var messages: [Entry] = []
    private var messageHead = 0
    /// Bytes waiting (control and messages).
    public private(set) var queuedBytes = 0
    /// Bytes of message frames waiting.
    public private(set) var messageBytes = 0
    public let maxMessageBytes: Int
    public let maxControlBytes: Int

    public init(maxMessageBytes: Int, maxControlBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
        self.maxControlBytes = maxControlBytes
    }

    public var isEmpty: Bool { controlHead == control.count && messageHead == messages.count }

    /// Queues `frame` of `bytes`; `control` frames go ahead of message frames. `messageID`: the
    /// one message the frame carries, which IDONTWANT may cancel.
    public mutating func enqueue(_ frame: Frame, bytes: Int, control isControl: Bool, messageID: MessageID? = nil) -> EnqueueResult {
        if isControl {
            guard queuedBytes - messageBytes + bytes <= maxControlBytes else { return .dropped }
            control.append(Entry(frame: frame, bytes: bytes))
        } else {
            guard messageBytes == 0 || messageBytes + bytes <= maxMessageBytes else { return .dropped }
            messages.append(Entry(frame: frame, bytes: bytes, id: messageID))
            messageBytes += bytes
        }
        queuedBytes += bytes
        return .queued
    }

    /// Hands `body` the next frames in order, control first, as long as their bytes stay within
    /// `limit` (at least one frame when any waits); returns the bytes taken.
    @discardableResult
    public mutating func take(upTo limit: Int, _ body: (Frame) -> Void) -> Int {
        var taken = 0
        while controlHead < control.count, taken == 0 || taken + control[controlHead].bytes <= limit {
            let entry = control[controlHead]
            controlHead += 1
            body(entry.frame)
            taken += entry.bytes
            queuedBytes -= entry.bytes
        }
        while messageHead < messages.count, taken == 0 || taken + messages[messageHead].bytes <= limit {
            let entry = messages[messageHead]
            messageHead += 1
            body(entry.frame)
            taken += entry.bytes
            queuedBytes -= entry.bytes
            messageBytes -= entry.bytes
        }
        compact()
        return taken
    }

    /// Removes queued message frames carrying one of `ids`; returns how many were removed and
    /// their bytes.
    public mutating func cancel(_ ids: Set<MessageID>) -> (frames: Int, bytes: Int) {
        var removed = 0, bytes = 0
        var kept: [Entry] = []
        kept.reserveCapacity(messages.count - messageHead)
        for entry in messages[messageHead...] {
            if let id = entry.id, ids.contains(id) {
                removed += 1
                bytes += entry.bytes
            } else {
                kept.append(entry)
            }
        }
        if removed > 0 {
            messages = kept
            messageHead = 0
            queuedBytes -= bytes
            messageBytes -= bytes
        }
        return (removed, bytes)
    }

    /// Drops everything.
    public mutating func removeAll() {
        control = []
        controlHead = 0
        messages = []
        messageHead = 0
        queuedBytes = 0
        messageBytes = 0
    }

    private mutating func compact() {
        if controlHead == control.count {
            control.removeAll(keepingCapacity: true)
            controlHead = 0
        }
        if messageHead == messages.count {
            messages.removeAll(keepingCapacity: true)
            messageHead = 0
        }
    }
}
