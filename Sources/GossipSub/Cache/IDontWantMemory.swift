/// Message ids each peer said it does not want (gossipsub v1.2 `IDONTWANT`).
///
/// Entries expire after `ttlHeartbeats` heartbeats; each peer holds at most `maxPerPeer` ids
/// (the oldest go first), so a peer cannot grow this without bound.
public struct IDontWantMemory<Peer: Hashable & Sendable>: Sendable {
    private struct PeerEntry: Sendable {
        var ids: [MessageID: Int] = [:]
        /// Insertion order with the heartbeat each id arrived in.
        var order: [(MessageID, Int)] = []
        var head = 0
    }

    private var peers: [Peer: PeerEntry] = [:]
    private var heartbeat = 0
    public let ttlHeartbeats: Int
    public let maxPerPeer: Int

    public init(ttlHeartbeats: Int, maxPerPeer: Int) {
        self.ttlHeartbeats = ttlHeartbeats
        self.maxPerPeer = maxPerPeer
    }

    /// Remembers that `peer` does not want `id`.
    public mutating func record(_ peer: Peer, id: MessageID) {
        guard maxPerPeer > 0 else { return }
        var entry = peers[peer] ?? PeerEntry()
        guard entry.ids[id] == nil else { return }
        if entry.ids.count >= maxPerPeer {
            let (old, _) = entry.order[entry.head]
            entry.ids[old] = nil
            entry.head += 1
        }
        entry.ids[id] = heartbeat
        entry.order.append((id, heartbeat))
        compact(&entry)
        peers[peer] = entry
    }

    public func contains(_ peer: Peer, id: MessageID) -> Bool { peers[peer]?.ids[id] != nil }

    public func count(_ peer: Peer) -> Int { peers[peer]?.ids.count ?? 0 }

    /// Advances one heartbeat and forgets entries older than the TTL.
    public mutating func heartbeatTick() {
        heartbeat += 1
        for peer in Array(peers.keys) {
            guard var entry = peers[peer] else { continue }
            while entry.head < entry.order.count, heartbeat - entry.order[entry.head].1 >= ttlHeartbeats {
                let (id, at) = entry.order[entry.head]
                if entry.ids[id] == at { entry.ids[id] = nil }
                entry.head += 1
            }
            compact(&entry)
            peers[peer] = entry.ids.isEmpty ? nil : entry
        }
    }

    public mutating func removePeer(_ peer: Peer) { peers[peer] = nil }

    private func compact(_ entry: inout PeerEntry) {
        if entry.head > 64, entry.head * 2 > entry.order.count {
            entry.order.removeFirst(entry.head)
            entry.head = 0
        }
    }
}
