import DequeModule

/// The messages a router published itself in the last few seconds, each with the peers it has
/// reached, so that peers which arrive later (a node that just started, a reconnection) are
/// told of them by IHAVE and can ask for them.
///
/// Bounded by count: publishing past ``capacity`` forgets the oldest entry.
struct PublishedMessages<Peer: Hashable & Sendable>: Sendable {
    struct Entry: Sendable {
        var message: Message
        var publishedAt: Duration
        /// Peers it was sent or announced to since it was published (or since the re-announcement).
        var reached: Set<Peer>
        /// Whether the one re-announcement to every topic peer has been made.
        var reannounced = false
        /// Times it was sent to each peer through IWANT.
        var iwantCounts: [Peer: Int] = [:]
    }

    /// Oldest first; the router updates `reached` in place.
    var entries = Deque<Entry>()
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var isEmpty: Bool { entries.isEmpty }

    mutating func add(_ message: Message, reached: Set<Peer>, now: Duration) {
        guard capacity > 0 else { return }
        if entries.count == capacity { entries.removeFirst() }
        entries.append(Entry(message: message, publishedAt: now, reached: reached))
    }

    /// Forgets every entry published at or before `cutoff`.
    mutating func expire(publishedAtOrBefore cutoff: Duration) {
        let old = entries.prefix { $0.publishedAt <= cutoff }.count
        if old > 0 { entries.removeFirst(old) }
    }

    /// `peer` disconnected: whatever was sent to it may have died with the connection.
    mutating func forget(_ peer: Peer) {
        for i in entries.indices { entries[i].reached.remove(peer) }
    }

    /// The message with `id` for an IWANT from `peer`, with the times it has now been sent to
    /// that peer this way.
    mutating func getForPeer(_ id: MessageID, peer: Peer) -> (Message, Int)? {
        guard let i = entries.lastIndex(where: { $0.message.id == id }) else { return nil }
        let n = (entries[i].iwantCounts[peer] ?? 0) + 1
        entries[i].iwantCounts[peer] = n
        return (entries[i].message, n)
    }
}
