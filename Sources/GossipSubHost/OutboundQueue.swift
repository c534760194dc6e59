import GossipSub
import Synchronization

/// The bounded queue of frames waiting to be written to one peer's pubsub stream: the sans-IO
/// `OutboundFrameQueue` (lanes, bounded, IDONTWANT cancels, deadlines) behind a lock, with the
/// writer waiting while it is empty. The writer takes everything queued, up to a batch size, in
/// one call; frames whose deadline passed by then (by `now`) are dropped instead.
final class OutboundQueue: Sendable {
    enum EnqueueResult: Equatable {
        case queued
        /// The queue was full: the frame was dropped.
        case dropped
        case closed
    }

    private struct State {
        var frames: OutboundFrameQueue<[UInt8]>
        var closed = false
        var waiter: CheckedContinuation<[UInt8]?, Never>?
    }

    let batchBytes: Int
    private let now: @Sendable () -> Duration
    private let state: Mutex<State>

    init(maxMessageBytes: Int, maxControlBytes: Int, batchBytes: Int = 256 * 1024,
         now: @escaping @Sendable () -> Duration = { .zero }) {
        self.batchBytes = batchBytes
        self.now = now
        state = Mutex(State(frames: OutboundFrameQueue(maxMessageBytes: maxMessageBytes, maxControlBytes: maxControlBytes)))
    }

    /// Bytes waiting (control and messages).
    var queuedBytes: Int { state.withLock { $0.frames.queuedBytes } }

    /// Frames dropped unsent because their deadline had passed, and their bytes.
    var expired: (frames: Int, bytes: Int) { state.withLock { ($0.frames.expiredFrames, $0.frames.expiredBytes) } }

    /// Queues `frame`; `control` frames jump ahead of message frames.
    func enqueue(_ frame: [UInt8], control: Bool, messageID: MessageID? = nil) -> EnqueueResult {
        enqueue(frame, lane: control ? .control : .forward, messageID: messageID)
    }

    /// Queues `frame` in `lane`; a message frame with a `deadline` (on the `now` clock) still
    /// waiting after it is dropped.
    func enqueue(_ frame: [UInt8], lane: OutboundLane, messageID: MessageID? = nil,
                 deadline: Duration? = nil) -> EnqueueResult {
        let (result, wake): (EnqueueResult, (CheckedContinuation<[UInt8]?, Never>, [UInt8])?) = state.withLock { s in
            if s.closed { return (.closed, nil) }
            guard s.frames.enqueue(frame, bytes: frame.count, lane: lane, messageID: messageID, deadline: deadline) == .queued else {
                return (.dropped, nil)
            }
            guard let waiter = s.waiter else { return (.queued, nil) }
            let batch = takeBatch(&s)
            // Everything queued may have expired; the writer keeps waiting then.
            guard !batch.isEmpty else { return (.queued, nil) }
            s.waiter = nil
            return (.queued, (waiter, batch))
        }
        if let (waiter, batch) = wake { waiter.resume(returning: batch) }
        return result
    }

    private func takeBatch(_ s: inout State) -> [UInt8] {
        var out: [UInt8] = []
        s.frames.take(upTo: batchBytes, now: now()) { out += $0 }
        return out
    }

    /// Removes queued message frames carrying one of `ids`; returns how many were removed and
    /// their bytes.
    func cancel(_ ids: Set<MessageID>) -> (frames: Int, bytes: Int) {
        state.withLock { $0.frames.cancel(ids) }
    }

    /// The next batch of bytes to write; waits while empty; `nil` once closed.
    func next() async -> [UInt8]? {
        await withCheckedContinuation { (c: CheckedContinuation<[UInt8]?, Never>) in
            let immediate: [UInt8]?? = state.withLock { s in
                if !s.frames.isEmpty {
                    let batch = takeBatch(&s)
                    if !batch.isEmpty { return .some(batch) }
                }
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
            s.frames.removeAll()
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }
}
