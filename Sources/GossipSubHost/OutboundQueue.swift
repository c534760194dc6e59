import GossipSub
import Synchronization

/// The bounded queue of frames waiting to be written to one peer's pubsub stream: the sans-IO
/// ``OutboundFrameQueue`` (control first, bounded, IDONTWANT cancels) behind a lock, with the
/// writer waiting while it is empty. The writer takes everything queued, up to a batch size, in
/// one call.
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
    private let state: Mutex<State>

    init(maxMessageBytes: Int, maxControlBytes: Int, batchBytes: Int = 256 * 1024) {
        self.batchBytes = batchBytes
        state = Mutex(State(frames: OutboundFrameQueue(maxMessageBytes: maxMessageBytes, maxControlBytes: maxControlBytes)))
    }

    /// Bytes waiting (control and messages).
    var queuedBytes: Int { state.withLock { $0.frames.queuedBytes } }

    /// Queues `frame`; `control` frames jump ahead of message frames.
    func enqueue(_ frame: [UInt8], control: Bool, messageID: MessageID? = nil) -> EnqueueResult {
        let (result, wake): (EnqueueResult, (CheckedContinuation<[UInt8]?, Never>, [UInt8])?) = state.withLock { s in
            if s.closed { return (.closed, nil) }
            guard s.frames.enqueue(frame, bytes: frame.count, control: control, messageID: messageID) == .queued else {
                return (.dropped, nil)
            }
            guard let waiter = s.waiter else { return (.queued, nil) }
            s.waiter = nil
            return (.queued, (waiter, Self.takeBatch(&s, limit: batchBytes)))
        }
        if let (waiter, batch) = wake { waiter.resume(returning: batch) }
        return result
    }

    private static func takeBatch(_ s: inout State, limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        s.frames.take(upTo: limit) { out += $0 }
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
                if !s.frames.isEmpty { return .some(Self.takeBatch(&s, limit: batchBytes)) }
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
