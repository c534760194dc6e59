/// The bytes one connection has in flight (sent, not yet acknowledged): TCP's window as the
/// simulator models it.
///
/// Acknowledgements come back in order. They are recorded when the receiver has the bytes and
/// applied when the window is next looked at, so they cost no event of their own; only a sender
/// waiting on a full window is woken, at the acknowledgement it waits for.
struct ConnectionWindow {
    private(set) var inFlight = 0
    private var acks: [(at: SimulatedInstant, bytes: Int)] = []
    private var head = 0
    private var lastAck = SimulatedInstant.zero
    /// The sender found the window full and waits for an acknowledgement.
    var blocked = false
    /// When the sender is to be woken (at most one wake is current).
    var wakeAt: SimulatedInstant?

    mutating func sent(_ bytes: Int) { inFlight += bytes }

    /// `bytes` are acknowledged at `time`, or with the acknowledgement before them if that is later.
    /// Returns the wake-up a blocked sender needs, if none is set yet.
    mutating func acknowledge(_ bytes: Int, at time: SimulatedInstant) -> SimulatedInstant? {
        lastAck = max(lastAck, time)
        // In order, acknowledgements often share an instant: one entry for them.
        if acks.count > head, acks[acks.count - 1].at == lastAck {
            acks[acks.count - 1].bytes += bytes
        } else {
            acks.append((lastAck, bytes))
        }
        guard blocked, wakeAt == nil else { return nil }
        wakeAt = lastAck
        return lastAck
    }

    /// Applies the acknowledgements due by `now`.
    mutating func settle(now: SimulatedInstant) {
        while head < acks.count, acks[head].at <= now {
            inFlight = max(0, inFlight - acks[head].bytes)
            head += 1
        }
        if head == acks.count {
            acks.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 32, head * 2 > acks.count {
            acks.removeFirst(head)
            head = 0
        }
    }

    /// The sender found the window full: it waits. Returns when to wake it, if that is known and not set yet.
    mutating func block() -> SimulatedInstant? {
        blocked = true
        guard wakeAt == nil, head < acks.count else { return nil }
        wakeAt = acks[head].at
        return wakeAt
    }
}
