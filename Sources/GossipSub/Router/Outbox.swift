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

    /// Splits a control RPC so that no part exceeds the receiver-side decode limits on
    /// subscriptions, control entries and message ids (a receiver with our limits would reject
    /// the whole RPC otherwise). Single entries never exceed them: the config guarantees
    /// `maxIHaveLength <= maxMessageIDsPerRPC`.
    static func split(_ rpc: RPC, limits: RPCLimits) -> [RPC] {
        let control = rpc.control ?? ControlMessage()
        let ids = control.ihave.reduce(0) { $0 + $1.messageIDs.count } + control.iwant.reduce(0) { $0 + $1.messageIDs.count }
            + control.idontwant.reduce(0) { $0 + $1.messageIDs.count }
        let entries = control.ihave.count + control.iwant.count + control.graft.count + control.prune.count + control.idontwant.count
        if rpc.subscriptions.count <= limits.maxSubscriptionsPerRPC, entries <= limits.maxControlEntriesPerRPC,
           ids <= limits.maxMessageIDsPerRPC {
            return [rpc]
        }
        var parts: [RPC] = []
        for chunk in stride(from: 0, to: rpc.subscriptions.count, by: limits.maxSubscriptionsPerRPC) {
            parts.append(RPC(subscriptions: Array(rpc.subscriptions[chunk..<min(chunk + limits.maxSubscriptionsPerRPC, rpc.subscriptions.count)])))
        }
        var current = ControlMessage()
        var currentEntries = 0
        var currentIDs = 0
        func add(_ idCount: Int, _ put: (inout ControlMessage) -> Void) {
            if currentEntries + 1 > limits.maxControlEntriesPerRPC || currentIDs + idCount > limits.maxMessageIDsPerRPC {
                parts.append(RPC(control: current))
                current = ControlMessage()
                currentEntries = 0
                currentIDs = 0
            }
            put(&current)
            currentEntries += 1
            currentIDs += idCount
        }
        for e in control.graft { add(0) { $0.graft.append(e) } }
        for e in control.prune { add(0) { $0.prune.append(e) } }
        for e in control.idontwant { add(e.messageIDs.count) { $0.idontwant.append(e) } }
        for e in control.iwant { add(e.messageIDs.count) { $0.iwant.append(e) } }
        for e in control.ihave { add(e.messageIDs.count) { $0.ihave.append(e) } }
        if !current.isEmpty { parts.append(RPC(control: current)) }
        return parts
    }

    /// The actions, with RPCs split to respect `limits`.
    func actions(limits: RPCLimits) -> [GossipSubAction<Peer>] {
        var out: [GossipSubAction<Peer>] = []
        for peer in control.keys.sorted() {
            guard let rpc = control[peer], !rpc.isEmpty else { continue }
            for part in Self.split(rpc, limits: limits) { out.append(.send(to: peer, rpc: part)) }
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
