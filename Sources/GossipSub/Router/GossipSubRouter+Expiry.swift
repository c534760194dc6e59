import Multiformats

extension GossipSubRouter {
    /// Forwards to `peer` that its send queue dropped unsent past their deadline, as the
    /// embedding layer reports them (`OutboundFrameQueue.takeExpiredMessageIDs()`): with
    /// ``GossipSubConfig/Parameters/gossipExpiredForwards`` an IHAVE of those still in the
    /// message cache that the peer has not declined (IDONTWANT), so that a peer that got them
    /// from nobody else can ask (IWANT) while they can still be served.
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public mutating func forwardsExpired(_ ids: [MessageID], to peer: Peer, now: Duration) -> [Action] {
        guard params.gossipExpiredForwards, !ids.isEmpty, acceptsGossip(peer, now: now) else { return [] }
        var byTopic: [String: [MessageID]] = [:]
        for id in ids where !dontWant.contains(peer, id: id) {
            guard let message = mcache.get(id) else { continue }
            byTopic[message.topic, default: []].append(id)
        }
        var out = Outbox<Peer>()
        for topic in byTopic.keys.sorted() {
            let announced = byTopic[topic]!.suffix(params.maxIHaveLength)  // the newest
            out.ihave(peer, ControlIHave(topic: topic, messageIDs: Array(announced)))
        }
        return out.actions(limits: params.rpcLimits)
    }
}
