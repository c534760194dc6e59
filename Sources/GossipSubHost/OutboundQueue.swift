import DequeModule
import GossipSub
import Synchronization

/// The bounded queue of frames waiting to be written to one peer's pubsub stream: the sans-IO
/// `OutboundFrameQueue` (lanes, bounded, IDONTWANT cancels, deadlines) behind a lock, with the
/// writer waiting while it is empty. The writer takes everything queued, up to a batch size, in
/// one call; frames whose deadline passed by then (by `now`) are dropped instead.
final class OutboundQueue: Sendable {
    enum EnqueueResult: Equatable {
        case queued
        /// The frame's class was full: the frame was dropped.
        case dropped
        /// A subscription frame did not fit: the peer takes nothing and must be let go.
        case overflowed
        case closed
    }

    /// A queued frame, and the PREAMBLE announcing its message when there is one: the two wait,
    /// expire and are cancelled together, and the announcement is written on its own just ahead
    /// of the body, so that the peer reads it while the body is still arriving.
    struct Frame: Sendable {
        var lead: [UInt8]?
        var body: [UInt8]
        var bytes: Int { body.count + (lead?.count ?? 0) }
    }

    private struct State {
        var frames: OutboundFrameQueue<Frame>
        /// Writes already taken from `frames` (a batch split at an announcement), in order.
        var ready: Deque<[UInt8]> = []
        var closed = false
        var waiter: CheckedContinuation<[UInt8]?, Never>?
        /// Publishers waiting for the message bytes to fall to their limit.
        var spaceWaiters: [SpaceWaiter] = []
        var nextSpaceWaiter = 0

        /// Removes and returns the space waiters that may go on (all of them once closed).
        mutating func satisfiedSpaceWaiters() -> [SpaceWaiter] {
            guard !spaceWaiters.isEmpty else { return [] }
            let (bytes, closed) = (frames.messageBytes, closed)
            var ready: [SpaceWaiter] = []
            spaceWaiters.removeAll { waiter in
                guard closed || bytes <= waiter.limit else { return false }
                ready.append(waiter)
                return true
            }
            return ready
        }
    }

    private struct SpaceWaiter {
        let id: Int
        let limit: Int
        let continuation: CheckedContinuation<Void, Never>
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

    /// Bytes waiting (every lane).
    var queuedBytes: Int { state.withLock { $0.frames.queuedBytes } }

    /// Bytes of message frames waiting.
    var messageBytes: Int { state.withLock { $0.frames.messageBytes } }

    /// Returns once at most `limit` message bytes wait, the queue is closed, `deadline` (on the
    /// `now` clock) has passed or the task is cancelled, whichever comes first.
    func waitForMessageBytes(atMost limit: Int, until deadline: Duration) async {
        let id: Int? = state.withLock { s in
            guard !s.closed, s.frames.messageBytes > limit else { return nil }
            defer { s.nextSpaceWaiter += 1 }
            return s.nextSpaceWaiter
        }
        guard let id else { return }
        let delay = deadline - now()
        let timer = Task { [weak self] in
            do { try await Task.sleep(for: delay) } catch { return }
            self?.resumeSpaceWaiter(id)
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { s in
                    // Drained meanwhile, closed, timed out or cancelled before the waiter was registered.
                    guard !s.closed, s.frames.messageBytes > limit, now() < deadline, !Task.isCancelled else { return true }
                    s.spaceWaiters.append(SpaceWaiter(id: id, limit: limit, continuation: c))
                    return false
                }
                if ready { c.resume() }
            }
        } onCancel: {
            resumeSpaceWaiter(id)
        }
    }

    private func resumeSpaceWaiter(_ id: Int) {
        let waiter = state.withLock { s -> SpaceWaiter? in
            guard let index = s.spaceWaiters.firstIndex(where: { $0.id == id }) else { return nil }
            return s.spaceWaiters.remove(at: index)
        }
        waiter?.continuation.resume()
    }

    private static func resume(_ waiters: [SpaceWaiter]) {
        for waiter in waiters { waiter.continuation.resume() }
    }

    /// The ids of single-message frames dropped past their deadline and not yet taken (with
    /// `onceDrained`, none while message frames wait).
    func takeExpiredMessageIDs(onceDrained: Bool) -> [MessageID] {
        state.withLock { $0.frames.takeExpiredMessageIDs(onceDrained: onceDrained) }
    }

    /// Frames dropped unsent because their deadline had passed, and their bytes.
    var expired: (frames: Int, bytes: Int) { state.withLock { ($0.frames.expiredFrames, $0.frames.expiredBytes) } }

    /// Queues `frame`; `control` frames (in the GRAFT/PRUNE/IDONTWANT lane) jump ahead of message
    /// frames.
    func enqueue(_ frame: [UInt8], control: Bool, messageID: MessageID? = nil) -> EnqueueResult {
        enqueue(frame, lane: control ? .control : .forward, messageID: messageID)
    }

    /// Queues `frame` in `lane`; a message frame with a `deadline` (on the `now` clock) still
    /// waiting after it is dropped.
    /// `lead`: the PREAMBLE frame announcing the frame's message, written just before it.
    func enqueue(_ frame: [UInt8], lane: OutboundLane, messageID: MessageID? = nil,
                 deadline: Duration? = nil, lead: [UInt8]? = nil) -> EnqueueResult {
        let queued = Frame(lead: lead, body: frame)
        let (result, wake, space): (EnqueueResult, (CheckedContinuation<[UInt8]?, Never>, [UInt8])?, [SpaceWaiter]) = state.withLock { s in
            if s.closed { return (.closed, nil, []) }
            switch s.frames.enqueue(queued, bytes: queued.bytes, lane: lane, messageID: messageID, deadline: deadline) {
            case .queued: break
            case .dropped: return (.dropped, nil, [])
            case .overflowed: return (.overflowed, nil, [])
            }
            guard let waiter = s.waiter else { return (.queued, nil, []) }
            let batch = takeBatch(&s)
            // Everything queued may have expired; the writer keeps waiting then.
            guard !batch.isEmpty else { return (.queued, nil, s.satisfiedSpaceWaiters()) }
            s.waiter = nil
            return (.queued, (waiter, batch), s.satisfiedSpaceWaiters())
        }
        if let (waiter, batch) = wake { waiter.resume(returning: batch) }
        Self.resume(space)
        return result
    }

    /// The frames next in line, up to ``batchBytes``, as one write: a single frame is the frame
    /// itself, not a copy. An announcement splits the batch: what came before it, the
    /// announcement, then its body with what follows, each a write of its own.
    private func takeBatch(_ s: inout State) -> [UInt8] {
        if let write = s.ready.popFirst() { return write }
        var writes: [[UInt8]] = []
        var out: [UInt8] = []
        s.frames.take(upTo: batchBytes, now: now()) { frame in
            if let lead = frame.lead {
                if !out.isEmpty { writes.append(out) }
                writes.append(lead)
                out = frame.body
            } else if out.isEmpty {
                out = frame.body
            } else {
                out += frame.body
            }
        }
        guard !writes.isEmpty else { return out }
        if !out.isEmpty { writes.append(out) }
        s.ready.append(contentsOf: writes.dropFirst())
        return writes[0]
    }

    /// Removes queued message frames carrying one of `ids`; returns how many were removed and
    /// their bytes.
    func cancel(_ ids: Set<MessageID>) -> (frames: Int, bytes: Int) {
        let (cancelled, space) = state.withLock { s in (s.frames.cancel(ids), s.satisfiedSpaceWaiters()) }
        Self.resume(space)
        return cancelled
    }

    /// The next batch of bytes to write; waits while empty; `nil` once closed.
    func next() async -> [UInt8]? {
        await withCheckedContinuation { (c: CheckedContinuation<[UInt8]?, Never>) in
            let (immediate, space): ([UInt8]??, [SpaceWaiter]) = state.withLock { s in
                if !s.frames.isEmpty || !s.ready.isEmpty {
                    let batch = takeBatch(&s)
                    if !batch.isEmpty { return (.some(batch), s.satisfiedSpaceWaiters()) }
                }
                if s.closed { return (.some(nil), []) }
                s.waiter = c
                return (.none, s.satisfiedSpaceWaiters())
            }
            Self.resume(space)
            if let immediate { c.resume(returning: immediate) }
        }
    }

    /// Drops everything and wakes the writer with `nil`.
    func close() {
        let (waiter, space) = state.withLock { s in
            s.closed = true
            s.frames.removeAll()
            s.ready.removeAll()
            defer { s.waiter = nil }
            return (s.waiter, s.satisfiedSpaceWaiters())
        }
        waiter?.resume(returning: nil)
        Self.resume(space)
    }
}
