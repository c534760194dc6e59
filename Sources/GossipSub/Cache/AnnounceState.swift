import DequeModule

/// What lazy mesh push (IANNOUNCE / INEED) keeps between router calls: for each message not yet
/// received, the peers asked for it and until when they have to answer, the other peers that
/// announced it, and for each peer how it answered INEEDs so far. Entries go when the message
/// arrives or no announcer is left.
///
/// A peer that lets more INEEDs time out than it answers is asked only when no other announcer
/// is left: an attacker that announces everything and sends nothing then costs one timeout now
/// and then, not one per message.
///
/// A peer that let an INEED time out still owes the message (``debtsDue(now:followUp:maxWait:isConnected:)``):
/// its copy settles the debt, as a late answer from a distant or busy honest peer does, and only
/// a debt left unpaid is a broken promise. It is judged the IWANT follow-up time after the
/// message reached this node from anyone, or, while it reached it from nobody, at the latest
/// ``AnnounceParameters/maxDebtWait`` after the timeout: a node whose own downlink is
/// saturated receives every copy late, the debtor's among them, and would otherwise blame its
/// peers for its backlog. Until then the node sends the debtor no IDONTWANT for the message
/// (``owes(_:_:)``), which would cancel the very copy that pays. A debtor that delivered other
/// messages after its INEED timed out is busy, not silent (its copies wait behind others in
/// its queue to this node): its unpaid debt is dropped without a penalty, and still counts as
/// unanswered when choosing whom to ask first.
///
/// How long answers take is remembered as well (the last ``answerDelaySamples``, late ones
/// included): ``AnnounceParameters/ineedTimeoutCeiling`` lets the timeout follow them.
struct AnnounceState<Peer: GossipPeerID>: Sendable {
    struct Request: Sendable {
        /// Peers asked (INEED) whose answer is awaited; empty while only unreliable peers
        /// announced it (the deadline then says when to ask one of them anyway).
        var asked: [Peer]
        var deadline: Duration
        /// When the last of `asked` was asked.
        var askedAt: Duration
        /// Announcers not asked yet, earliest first.
        var others: [Peer] = []
    }

    /// How a peer answered INEEDs: counts that decay at every heartbeat (``decayRecords(by:)``).
    struct Record: Sendable {
        var answered = 0.0
        var unanswered = 0.0
        /// Let more INEEDs time out than it answered (at least one, recently).
        var isUnreliable: Bool { unanswered >= 0.5 && unanswered > answered }
    }

    private(set) var requests: [MessageID: Request] = [:]
    private(set) var records: [Peer: Record] = [:]
    /// Peers that let an INEED for the message time out and have not sent it since, each with
    /// when it timed out and when it was asked.
    private(set) var debtors: [MessageID: [(peer: Peer, since: Duration, askedAt: Duration)]] = [:]
    /// When each debt is looked at next, in order (every entry is pushed at `now` plus one
    /// constant): `since` is when the INEED timed out; `afterArrival` marks the last look, the
    /// follow-up time after the message arrived.
    private var debts = Deque<Debt>()
    /// Messages owed by someone that have arrived (from anyone); dropped with their last debt.
    private var arrived: Set<MessageID> = []
    /// When each connected peer last delivered a message while debts were outstanding.
    private var lastDeliveries: [Peer: Duration] = [:]

    struct Debt: Sendable {
        var due: Duration
        var id: MessageID
        var peer: Peer
        var since: Duration
        var afterArrival = false
    }
    /// Every deadline set, in order (the timeout changes at heartbeats only, so nearly every
    /// new one goes last); an entry whose request is gone or has a later deadline is skipped.
    private var deadlines = Deque<(deadline: Duration, id: MessageID)>()
    /// The delays of the last answers (INEED to the asked peer's copy, late ones included), a ring
    /// of at most ``answerDelaySamples``.
    private var answerDelays: [Duration] = []
    private var nextDelaySlot = 0
    /// The timeout chosen at the last ``followAnswers(floor:ceiling:)``; nil: the floor.
    private var followedTimeout: Duration?

    /// How many answer delays the followed timeout looks at.
    static var answerDelaySamples: Int { 64 }

    /// Whether nothing is remembered (the router's hot paths skip the extension then).
    var isEmpty: Bool { requests.isEmpty && records.isEmpty && debtors.isEmpty }

    /// The earliest deadline of a request still awaited (deadlines that no longer apply are dropped first).
    mutating func nextDeadline() -> Duration? {
        dropStaleDeadlines()
        return deadlines.first?.deadline
    }

    func isUnreliable(_ peer: Peer) -> Bool { records[peer]?.isUnreliable ?? false }

    /// The INEED timeout now: `floor`, or what ``followAnswers(floor:ceiling:)`` chose.
    func timeout(floor: Duration) -> Duration { followedTimeout ?? floor }

    /// With a `ceiling`, sets the timeout to twice the median of the remembered answer delays,
    /// at least `floor` and at most `ceiling` (the median: peers that answer late on purpose
    /// would have to be most of those answering to lengthen it; silent ones give no delay at all).
    mutating func followAnswers(floor: Duration, ceiling: Duration?) {
        guard let ceiling, !answerDelays.isEmpty else { followedTimeout = nil; return }
        let median = answerDelays.sorted()[answerDelays.count / 2]
        followedTimeout = min(max(median * 2, floor), max(ceiling, floor))
    }

    private mutating func recordAnswer(after delay: Duration) {
        if answerDelays.count < Self.answerDelaySamples {
            answerDelays.append(delay)
        } else {
            answerDelays[nextDelaySlot] = delay
            nextDelaySlot = (nextDelaySlot + 1) % Self.answerDelaySamples
        }
    }

    /// Whether `peer` let an INEED for `id` time out and still owes the message.
    func owes(_ peer: Peer, _ id: MessageID) -> Bool { debtors[id]?.contains { $0.peer == peer } ?? false }

    /// `peer` announced `id`. Returns true when the caller asks it (INEED) now: it is the first
    /// reliable announcer while no reliable one is asked. Others are remembered, `limit` at most.
    mutating func announced(_ id: MessageID, by peer: Peer, now: Duration, timeout: Duration, limit: Int) -> Bool {
        let reliable = !isUnreliable(peer)
        guard var request = requests[id] else {
            requests[id] = reliable ? Request(asked: [peer], deadline: now + timeout, askedAt: now)
                                    : Request(asked: [], deadline: now + timeout, askedAt: now, others: [peer])
            pushDeadline(now + timeout, id)
            return reliable
        }
        guard !request.asked.contains(peer), !request.others.contains(peer) else { return false }
        if reliable, request.asked.allSatisfy(isUnreliable) {
            request.asked.append(peer)
            request.deadline = now + timeout
            request.askedAt = now
            requests[id] = request
            pushDeadline(now + timeout, id)
            return true
        }
        if request.others.count < limit {
            request.others.append(peer)
            requests[id] = request
        }
        return false
    }

    /// The message arrived from `peer` at `now`: nothing is awaited for it any more, and `peer`
    /// answered if it was asked, or settled its debt if it owed it (a late answer counts as an
    /// answer, and its delay as one). Its first arrival gives the other debtors `followUp` from now.
    mutating func received(_ id: MessageID, from peer: Peer, now: Duration, followUp: Duration) {
        if let request = requests.removeValue(forKey: id), request.asked.contains(peer) {
            records[peer, default: Record()].answered += 1
            recordAnswer(after: now - request.askedAt)
        }
        if !debtors.isEmpty { lastDeliveries[peer] = now }
        if let askedAt = settle(id, by: peer) {
            records[peer, default: Record()].answered += 1
            recordAnswer(after: now - askedAt)
        }
        guard let owing = debtors[id], arrived.insert(id).inserted else { return }
        for debtor in owing {
            debts.append(Debt(due: now + followUp, id: id, peer: debtor.peer, since: debtor.since, afterArrival: true))
        }
    }

    /// Removes `peer`'s debt for `id` and returns when it was asked; nil when it owed nothing.
    private mutating func settle(_ id: MessageID, by peer: Peer) -> Duration? {
        guard let index = debtors[id]?.firstIndex(where: { $0.peer == peer }) else { return nil }
        let askedAt = debtors[id]!.remove(at: index).askedAt
        if debtors[id]!.isEmpty {
            debtors[id] = nil
            arrived.remove(id)
        }
        return askedAt
    }

    /// For every request overdue at `now`, the next announcer to ask, reliable ones first;
    /// requests with nobody left to ask are dropped (gossip may still bring them). The connected
    /// peers that did not answer are recorded, and with `debtUntil` owe the message until
    /// `now + debtUntil`.
    mutating func timeouts(now: Duration, timeout: Duration, debtUntil followUp: Duration?,
                           isConnected: (Peer) -> Bool) -> [(peer: Peer, id: MessageID)] {
        var ask: [(peer: Peer, id: MessageID)] = []
        while let (deadline, id) = deadlines.first, deadline <= now {
            deadlines.removeFirst()
            guard var request = requests[id], request.deadline <= now else { continue }
            // A peer gone meanwhile gets no record: it would outlive it (``removePeer(_:)``).
            for peer in request.asked where isConnected(peer) {
                records[peer, default: Record()].unanswered += 1
                if let followUp, !owes(peer, id) {
                    debtors[id, default: []].append((peer, now, request.askedAt))
                    debts.append(Debt(due: now + followUp, id: id, peer: peer, since: now))
                }
            }
            request.others.removeAll { !isConnected($0) }
            guard !request.others.isEmpty else { requests[id] = nil; continue }
            let next = request.others.firstIndex { !isUnreliable($0) } ?? 0
            request.asked = [request.others.remove(at: next)]
            request.deadline = now + timeout
            request.askedAt = now
            requests[id] = request
            pushDeadline(now + timeout, id)
            ask.append((request.asked[0], id))
        }
        dropStaleDeadlines()
        return ask
    }

    /// Debts due at `now` and not settled: the connected debtors that delivered nothing since
    /// the timeout, one entry per message (broken promises). A debt whose message has reached
    /// this node from nobody is looked at again `followUp` later, until `maxWait` has passed
    /// since the timeout. Settled debts and those of peers gone are dropped on the way.
    mutating func debtsDue(now: Duration, followUp: Duration, maxWait: Duration,
                           isConnected: (Peer) -> Bool) -> [Peer] {
        var broken: [Peer] = []
        var again: [Debt] = []
        while let debt = debts.first, debt.due <= now {
            debts.removeFirst()
            guard owes(debt.peer, debt.id) else { continue }
            if !isConnected(debt.peer) {
                _ = settle(debt.id, by: debt.peer)
                continue
            }
            if !debt.afterArrival {
                // Arrived meanwhile: the entry pushed then judges.
                if arrived.contains(debt.id) { continue }
                if now - debt.since < maxWait {
                    var later = debt
                    later.due = now + followUp
                    again.append(later)
                    continue
                }
            }
            guard settle(debt.id, by: debt.peer) != nil else { continue }
            if let last = lastDeliveries[debt.peer], last > debt.since { continue }   // busy, not silent
            broken.append(debt.peer)
        }
        // Pushed after the loop: `now + followUp` is no earlier than any entry still queued.
        debts.append(contentsOf: again)
        return broken
    }

    /// Ages every record by `factor` (once per heartbeat); records that faded out are dropped.
    mutating func decayRecords(by factor: Double) {
        guard !records.isEmpty else { return }
        var index = records.startIndex
        var faded: [Peer] = []
        while index != records.endIndex {
            records.values[index].answered *= factor
            records.values[index].unanswered *= factor
            if records.values[index].answered < 0.01, records.values[index].unanswered < 0.01 { faded.append(records.keys[index]) }
            records.formIndex(after: &index)
        }
        for peer in faded { records[peer] = nil }
    }

    /// `peer` disconnected: its record goes (requests still name it; they skip it when they
    /// time out).
    mutating func removePeer(_ peer: Peer) {
        records[peer] = nil
        lastDeliveries[peer] = nil
    }

    /// Keeps `deadlines` in order: after a followed timeout shrank, a new deadline may fall
    /// before ones already queued.
    private mutating func pushDeadline(_ deadline: Duration, _ id: MessageID) {
        guard let last = deadlines.last, last.deadline > deadline else {
            deadlines.append((deadline, id))
            return
        }
        var (low, high) = (0, deadlines.count)
        while low < high {
            let middle = (low + high) / 2
            if deadlines[middle].deadline <= deadline { low = middle + 1 } else { high = middle }
        }
        deadlines.insert((deadline, id), at: low)
    }

    /// Skips deadline entries whose request is gone or was given a later deadline.
    private mutating func dropStaleDeadlines() {
        while let (deadline, id) = deadlines.first {
            if let request = requests[id], request.deadline == deadline { break }
            deadlines.removeFirst()
        }
    }
}
