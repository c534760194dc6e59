/// What lazy mesh push (IANNOUNCE / INEED) keeps between router calls: for each message not yet
/// received, the peer last asked for it (and until when it has to answer) and the other peers
/// that announced it, earliest first. Entries go when the message arrives or no announcer is left.
struct AnnounceState<Peer: GossipPeerID>: Sendable {
    struct Request: Sendable {
        var asked: Peer
        var deadline: Duration
        /// Announcers not asked yet, earliest first.
        var others: [Peer] = []
    }

    private(set) var requests: [MessageID: Request] = [:]

    /// Whether nothing is remembered (the router's hot paths skip the extension then).
    var isEmpty: Bool { requests.isEmpty }

    /// `peer` announced `id`. True when it is the first announcer: the caller asks it (INEED) now.
    mutating func announced(_ id: MessageID, by peer: Peer, deadline: Duration, limit: Int) -> Bool {
        guard var request = requests[id] else {
            requests[id] = Request(asked: peer, deadline: deadline)
            return true
        }
        if request.asked != peer, request.others.count < limit, !request.others.contains(peer) {
            request.others.append(peer)
            requests[id] = request
        }
        return false
    }

    /// The message arrived: nothing is awaited for it any more.
    mutating func received(_ id: MessageID) { requests[id] = nil }

    /// For every request overdue at `now`, the next announcer to ask (with a new deadline), by
    /// message id; requests with nobody left to ask are dropped (gossip may still bring them).
    mutating func retries(now: Duration, timeout: Duration, isConnected: (Peer) -> Bool) -> [(peer: Peer, id: MessageID)] {
        let overdue = requests.filter { $0.value.deadline <= now }.keys.sorted()
        var out: [(peer: Peer, id: MessageID)] = []
        for id in overdue {
            var request = requests[id]!
            request.others.removeAll { !isConnected($0) }
            guard !request.others.isEmpty else { requests[id] = nil; continue }
            request.asked = request.others.removeFirst()
            request.deadline = now + timeout
            requests[id] = request
            out.append((request.asked, id))
        }
        return out
    }
}
