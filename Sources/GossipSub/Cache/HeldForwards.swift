import DequeModule

/// Copies held back (``ForwardHoldParameters``) and when each is due, in order: the delay is one
/// constant, so a queue ordered by insertion is ordered by deadline.
struct HeldForwards<Peer: GossipPeerID>: Sendable {
    private var entries = Deque<(due: Duration, peer: Peer, id: MessageID)>()

    var isEmpty: Bool { entries.isEmpty }
    /// When the earliest held copy is due.
    var nextDue: Duration? { entries.first?.due }

    /// Holds `id` for `peer` until `due`, unless `limit` copies are held already (then false:
    /// the caller sends it at once).
    mutating func hold(_ id: MessageID, for peer: Peer, until due: Duration, limit: Int) -> Bool {
        guard entries.count < limit else { return false }
        entries.append((due, peer, id))
        return true
    }

    /// Removes and returns the copies due at `now`, earliest first.
    mutating func due(now: Duration) -> [(peer: Peer, id: MessageID)] {
        var due: [(peer: Peer, id: MessageID)] = []
        while let first = entries.first, first.due <= now {
            entries.removeFirst()
            due.append((first.peer, first.id))
        }
        return due
    }
}

/// What holding back forwards did (``ForwardHoldParameters``).
public struct HeldForwardCounts: Hashable, Sendable, Codable {
    /// Copies held back.
    public var held = 0
    /// Held copies sent when due.
    public var sent = 0
    /// Held copies dropped: the peer said IDONTWANT or IMRECEIVING, or left, or the message left
    /// the cache.
    public var dropped = 0

    /// All zero.
    public init() {}
}
