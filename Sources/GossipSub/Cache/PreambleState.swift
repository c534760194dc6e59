/// What the PREAMBLE / IMRECEIVING extension keeps between router calls: bodies announced to
/// this node and not yet arrived, and messages peers said they are receiving. Both are bounded
/// per peer (``PreambleParameters/maxOngoingPerPeer``, ``PreambleParameters/maxIMReceivingPerPeer``).
struct PreambleState<Peer: GossipPeerID>: Sendable {
    /// A body announced by `announcer`, expected by `deadline`.
    struct Ongoing: Sendable {
        var announcer: Peer
        var deadline: Duration
    }

    /// A message a peer said it is receiving, and when to send it anyway if no IDONTWANT came.
    struct Receiving: Sendable {
        var id: MessageID
        var sendAt: Duration
    }

    /// Bodies on their way to this node, by message id.
    private(set) var ongoing: [MessageID: Ongoing] = [:]
    private var ongoingByPeer: [Peer: Int] = [:]
    /// Per peer, oldest first; a few dozen entries each, searched linearly.
    private var receiving: [Peer: [Receiving]] = [:]

    /// Whether nothing is remembered (the router's hot paths skip the extension then).
    var isEmpty: Bool { ongoing.isEmpty && receiving.isEmpty }

    /// Records that `announcer` is sending `id`; false when it already has `limit` bodies announced.
    mutating func startReceive(_ id: MessageID, from announcer: Peer, deadline: Duration, limit: Int) -> Bool {
        let count = ongoingByPeer[announcer, default: 0]
        guard count < limit, ongoing[id] == nil else { return false }
        ongoing[id] = Ongoing(announcer: announcer, deadline: deadline)
        ongoingByPeer[announcer] = count + 1
        return true
    }

    /// The body of `id` arrived (from anyone): nothing is awaited for it any more.
    mutating func finishReceive(_ id: MessageID) {
        guard let entry = ongoing.removeValue(forKey: id) else { return }
        release(entry.announcer)
    }

    /// Removes the receives overdue at `now` and returns their announcers, sorted by message id.
    mutating func expireReceives(now: Duration) -> [Peer] {
        let overdue = ongoing.filter { $0.value.deadline <= now }.sorted { $0.key < $1.key }
        for (id, entry) in overdue {
            ongoing[id] = nil
            release(entry.announcer)
        }
        return overdue.map(\.value.announcer)
    }

    private mutating func release(_ announcer: Peer) {
        let left = ongoingByPeer[announcer, default: 1] - 1
        ongoingByPeer[announcer] = left > 0 ? left : nil
    }

    /// `peer` said it is receiving `id`; the oldest entry goes when it already has `limit`.
    mutating func peerReceives(_ peer: Peer, id: MessageID, sendAt: Duration, limit: Int) {
        guard limit > 0 else { return }
        var list = receiving.removeValue(forKey: peer) ?? []
        guard !list.contains(where: { $0.id == id }) else { receiving[peer] = list; return }
        if list.count >= limit { list.removeFirst(list.count - limit + 1) }
        list.append(Receiving(id: id, sendAt: sendAt))
        receiving[peer] = list
    }

    /// Whether `peer` said it is receiving `id` and has not confirmed it yet.
    func isReceiving(_ peer: Peer, id: MessageID) -> Bool {
        receiving[peer]?.contains(where: { $0.id == id }) ?? false
    }

    /// `peer` has `id` now (its IDONTWANT): nothing is owed to it.
    mutating func confirmed(_ peer: Peer, id: MessageID) {
        guard var list = receiving[peer], let index = list.firstIndex(where: { $0.id == id }) else { return }
        list.remove(at: index)
        receiving[peer] = list.isEmpty ? nil : list
    }

    /// Removes and returns the (peer, message) pairs whose time to send anyway has come, by peer.
    mutating func dueSends(now: Duration) -> [(peer: Peer, id: MessageID)] {
        var due: [(peer: Peer, id: MessageID)] = []
        for peer in receiving.keys.sorted() {
            var list = receiving[peer]!
            list.removeAll { entry in
                guard entry.sendAt <= now else { return false }
                due.append((peer, entry.id))
                return true
            }
            receiving[peer] = list.isEmpty ? nil : list
        }
        return due
    }

    /// `peer` is gone: its announcements will not complete, and nothing is owed to it.
    mutating func removePeer(_ peer: Peer) {
        receiving[peer] = nil
        guard ongoingByPeer.removeValue(forKey: peer) != nil else { return }
        ongoing = ongoing.filter { $0.value.announcer != peer }
    }
}
