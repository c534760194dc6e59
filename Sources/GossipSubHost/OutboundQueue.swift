import GossipSub
import Synchronization

/// The bounded queue of frames waiting to be written to one peer's pubsub stream.
///
/// Control frames (no messages) go before message frames. Message frames past
/// `maxMessageBytes` are dropped and counted instead of growing memory; control frames have
/// their own, larger bound (they are small and carry the mesh). The writer takes everything
/// queued, up to a batch size, in one call. A queued message frame is cancelled when the peer
/// says IDONTWANT for its message before it left (v1.2: the copies that matter most are the
/// ones still waiting behind a slow link).
final class OutboundQueue: Sendable {
    enum EnqueueResult: Equatable {
        case queued
        /// The queue was full: the frame was dropped.
        case dropped
        case closed
    }

    private struct State {
        var control: [[UInt8]] = []
        var messages: [(frame: [UInt8], id: MessageID?)] = []
        var messageHead = 0
        var queuedBytes = 0
        var messageBytes = 0
        var closed = false
        var waiter: CheckedContinuation<[UInt8]?, Never>?
    }

    let maxMessageBytes: Int
    let maxControlBytes: Int
    let batchBytes: Int
    private let state = Mutex(State())

    init(maxMessageBytes: Int, maxControlBytes: Int, batchBytes: Int = 256 * 1024) {
        self.maxMessageBytes = maxMessageBytes
        self.maxControlBytes = maxControlBytes
        self.batchBytes = batchBytes
    }

    /// Bytes waiting (control and messages).
    var queuedBytes: Int { state.withLock { $0.queuedBytes } }

    /// Queues `frame`; `control` frames jump ahead of message frames.
    func enqueue(_ frame: [UInt8], control: Bool, messageID: MessageID? = nil) -> EnqueueResult {
        let (result, wake): (EnqueueResult, (CheckedContinuation<[UInt8]?, Never>, [UInt8])?) = state.withLock { s in
            if s.closed { return (.closed, nil) }
            if control {
                guard s.queuedBytes - s.messageBytes + frame.count <= maxControlBytes else { return (.dropped, nil) }
                s.control.append(frame)
            } else {
                // One frame always fits an empty queue, so a message never starves.
                guard s.messageBytes == 0 || s.messageBytes + frame.count <= maxMessageBytes else { return (.dropped, nil) }
                s.messages.append((frame, messageID))
                s.messageBytes += frame.count
            }
            s.queuedBytes += frame.count
            guard let waiter = s.waiter else { return (.queued, nil) }
            s.waiter = nil
            return (.queued, (waiter, Self.takeBatch(&s, limit: batchBytes)))
        }
        if let (waiter, batch) = wake { waiter.resume(returning: batch) }
        return result
    }

    private static func takeBatch(_ s: inout State, limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        while !s.control.isEmpty, out.isEmpty || out.count + s.control[0].count <= limit {
            let f = s.control.removeFirst()
            out += f
            s.queuedBytes -= f.count
        }
        while s.messageHead < s.messages.count, out.isEmpty || out.count + s.messages[s.messageHead].frame.count <= limit {
            let f = s.messages[s.messageHead].frame
            s.messageHead += 1
            out += f
            s.queuedBytes -= f.count
            s.messageBytes -= f.count
        }
        if s.messageHead == s.messages.count {
            s.messages.removeAll(keepingCapacity: true)
            s.messageHead = 0
        }
        return out
    }

    /// Removes queued message frames carrying one of `ids`; returns how many were removed and
    /// their bytes.
    func cancel(_ ids: Set<MessageID>) -> (frames: Int, bytes: Int) {
        state.withLock { s in
            var removed = 0
            var bytes = 0
            var kept: [(frame: [UInt8], id: MessageID?)] = []
            kept.reserveCapacity(s.messages.count - s.messageHead)
            for entry in s.messages[s.messageHead...] {
                if let id = entry.id, ids.contains(id) {
                    removed += 1
                    bytes += entry.frame.count
                    s.queuedBytes -= entry.frame.count
                    s.messageBytes -= entry.frame.count
                } else {
                    kept.append(entry)
                }
            }
            if removed > 0 {
                s.messages = kept
                s.messageHead = 0
            }
            return (removed, bytes)
        }
    }

    /// The next batch of bytes to write; waits while empty; `nil` once closed.
    func next() async -> [UInt8]? {
        await withCheckedContinuation { (c: CheckedContinuation<[UInt8]?, Never>) in
            let immediate: [UInt8]?? = state.withLock { s in
                if s.queuedBytes > 0 { return .some(Self.takeBatch(&s, limit: batchBytes)) }
                if s.closed { return .some(nil) }
                s.waiter = c
                return .none
            }
            if let immediate { c.resume(returning: immediate) }
        }
    }

    /// Drops everything and wakes the writer with `nil`.
    func close() {
        let waiter = state.withLock { s in
            s.closed = true
            s.control = []
            s.messages = []
            s.messageHead = 0
            s.queuedBytes = 0
            s.messageBytes = 0
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }
}
