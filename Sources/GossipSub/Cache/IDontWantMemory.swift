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

        mutating func record(_ id: MessageID, heartbeat: Int, maxPerPeer: Int) {
            guard ids[id] == nil else { return }
            if ids.count >= maxPerPeer {
                let (old, _) = order[head]
                ids[old] = nil
                head += 1
            }
            ids[id] = heartbeat
            order.append((id, heartbeat))
            compact()
        }

        mutating func expire(before heartbeat: Int, ttl: Int) {
            while head < order.count, heartbeat - order[head].1 >= ttl {
                let (id, at) = order[head]
                if ids[id] == at { ids[id] = nil }
                head += 1
            }
            compact()
        }

        mutating func compact() {
            if head > 64, head * 2 > order.count {
                order.removeFirst(head)
                head = 0
            }
        }
    }

    private var peers: [Peer: PeerEntry] = [:]
    private var heartbeat = 0
    /// Heartbeats an id is remembered (`idontwantTTLHeartbeats`).
    public let ttlHeartbeats: Int
    /// Most ids held per peer (`maxIDontWantMessages`); 0 remembers nothing.
    public let maxPerPeer: Int

    /// An empty memory with the given expiry and per-peer bound.
    public init(ttlHeartbeats: Int, maxPerPeer: Int) {
        self.ttlHeartbeats = ttlHeartbeats
        self.maxPerPeer = maxPerPeer
    }

    /// Remembers that `peer` does not want `id`.
    public mutating func record(_ peer: Peer, id: MessageID) {
        guard maxPerPeer > 0 else { return }
        // In place: a copy of the entry taken out and written back would copy its tables on
        // every IDONTWANT (they are shared while the copy exists).
        peers[peer, default: PeerEntry()].record(id, heartbeat: heartbeat, maxPerPeer: maxPerPeer)
    }

    /// Whether `peer` said IDONTWANT for `id` within the TTL (so `id` need not be sent to it).
    public func contains(_ peer: Peer, id: MessageID) -> Bool { peers[peer]?.ids[id] != nil }

    /// Ids currently remembered for `peer`.
    public func count(_ peer: Peer) -> Int { peers[peer]?.ids.count ?? 0 }

    /// Advances one heartbeat and forgets entries older than the TTL.
    public mutating func heartbeatTick() {
        heartbeat += 1
        for peer in Array(peers.keys) {
            peers[peer]?.expire(before: heartbeat, ttl: ttlHeartbeats)
            if peers[peer]?.ids.isEmpty == true { peers[peer] = nil }
        }
    }

    /// Forgets everything `peer` said (on disconnect).
    public mutating func removePeer(_ peer: Peer) { peers[peer] = nil }
}
