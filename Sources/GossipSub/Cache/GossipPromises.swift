/// IWANT promises: after we ask a peer for messages it advertised, it has until a deadline to
/// deliver one of them; otherwise the promise is broken and the peer penalised.
///
/// As in the reference routers, one id per IWANT is tracked (chosen by the caller at random).
public struct GossipPromises<Peer: Hashable & Comparable & Sendable>: Sendable {
    private var promises: [MessageID: [Peer: Duration]] = [:]

    /// No promises.
    public init() {}

    /// True when no promise is outstanding.
    public var isEmpty: Bool { promises.isEmpty }

    /// Records that `peer` must deliver `id` before `deadline`.
    public mutating func add(_ peer: Peer, id: MessageID, deadline: Duration) {
        if promises[id]?[peer] == nil { promises[id, default: [:]][peer] = deadline }
    }

    /// The message arrived (from anyone): every promise for it is kept.
    public mutating func messageDelivered(_ id: MessageID) {
        promises[id] = nil
    }

    /// The message was invalid: the promise is void (the invalid-message penalty applies
    /// instead).
    public mutating func messageRejected(_ id: MessageID, from peer: Peer) {
        promises[id]?[peer] = nil
        if promises[id]?.isEmpty ?? false { promises[id] = nil }
    }

    /// Removes expired promises and returns how many each peer broke, sorted by peer.
    public mutating func brokenPromises(now: Duration) -> [(Peer, Int)] {
        var broken: [Peer: Int] = [:]
        for id in Array(promises.keys) {
            guard var peers = promises[id] else { continue }
            for (peer, deadline) in peers where deadline < now {
                broken[peer, default: 0] += 1
                peers[peer] = nil
            }
            promises[id] = peers.isEmpty ? nil : peers
        }
        return broken.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
