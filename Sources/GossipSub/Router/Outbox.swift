/// Collects what one router call wants to send, merged per peer, and turns it into actions in
/// a defined order: control RPCs by peer, then message RPCs by peer, then local actions in the
/// order they occurred.
struct Outbox<Peer: GossipPeerID> {
    private var control: [Peer: RPC] = [:]
    private var messages: [Peer: [RawMessage]] = [:]
    private var local: [GossipSubAction<Peer>] = []

    mutating func subscription(_ peer: Peer, _ sub: SubOpts) {
        control[peer, default: RPC()].subscriptions.append(sub)
    }

    private mutating func withControl(_ peer: Peer, _ body: (inout ControlMessage) -> Void) {
        var rpc = control[peer] ?? RPC()
        var c = rpc.control ?? ControlMessage()
        body(&c)
        rpc.control = c
        control[peer] = rpc
    }

    mutating func graft(_ peer: Peer, topic: String) {
        withControl(peer) { $0.graft.append(ControlGraft(topic: topic)) }
    }

    mutating func prune(_ peer: Peer, _ prune: ControlPrune) {
        withControl(peer) { $0.prune.append(prune) }
    }

    mutating func ihave(_ peer: Peer, _ ihave: ControlIHave) {
        withControl(peer) { $0.ihave.append(ihave) }
    }

    mutating func iwant(_ peer: Peer, _ ids: [MessageID]) {
        withControl(peer) { c in
            if c.iwant.isEmpty { c.iwant.append(ControlIWant(messageIDs: ids)) } else { c.iwant[0].messageIDs += ids }
        }
    }

    mutating func idontwant(_ peer: Peer, _ id: MessageID) {
        withControl(peer) { c in
            if c.idontwant.isEmpty { c.idontwant.append(ControlIDontWant(messageIDs: [id])) } else { c.idontwant[0].messageIDs.append(id) }
        }
    }

    mutating func message(_ peer: Peer, _ raw: RawMessage) {
        messages[peer, default: []].append(raw)
    }

    mutating func deliver(_ message: Message, source: Peer) {
        local.append(.deliver(message, source: source))
    }

    mutating func event(_ event: GossipSubEvent<Peer>) {
        local.append(.event(event))
    }

    /// The actions, with message RPCs split to respect `limits`.
    func actions(limits: RPCLimits) -> [GossipSubAction<Peer>] {
        var out: [GossipSubAction<Peer>] = []
        for peer in control.keys.sorted() {
            if let rpc = control[peer], !rpc.isEmpty { out.append(.send(to: peer, rpc: rpc)) }
        }
        // Room for the per-message framing (topic, tags, optional small fields).
        let overhead = 64 + limits.maxTopicLength + 4 * limits.maxSmallFieldLength
        for peer in messages.keys.sorted() {
            guard let list = messages[peer] else { continue }
            var batch: [RawMessage] = []
            var size = 0
            for raw in list {
                let cost = (raw.data?.count ?? 0) + overhead
                if !batch.isEmpty, batch.count >= limits.maxMessagesPerRPC || size + cost > limits.maxRPCSize {
                    out.append(.send(to: peer, rpc: RPC(publish: batch)))
                    batch = []
                    size = 0
                }
                batch.append(raw)
                size += cost
            }
            if !batch.isEmpty { out.append(.send(to: peer, rpc: RPC(publish: batch))) }
        }
        out += local
        return out
    }
}
