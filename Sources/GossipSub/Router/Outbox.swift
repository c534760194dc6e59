/// Collects what one router call wants to send, merged per peer, and turns it into actions in
/// a defined order: control RPCs by peer, then message RPCs by peer, then local actions in the
/// order they occurred.
///
/// Entries are appended to flat lists and grouped by peer once, in ``actions(limits:)``, by a
/// stable sort: a heartbeat addresses hundreds of peers, and a table keyed by peer would hash
/// each of them for every entry.
struct Outbox<Peer: GossipPeerID> {
    private enum ControlEntry {
        case subscription(SubOpts)
        case graft(String)
        case prune(ControlPrune)
        case ihave(ControlIHave)
        case iwant([MessageID])
        case idontwant(MessageID)
        case extensions(ControlExtensions)
        case testExtension
        case imReceiving(IMReceiving)
        case iannounce(IAnnounce)
        case ineed(MessageID)
    }

    private var control: [(peer: Peer, entry: ControlEntry)] = []
    private var messages: [(peer: Peer, raw: RawMessage)] = []
    private var local: [GossipSubAction<Peer>] = []

    mutating func subscription(_ peer: Peer, _ sub: SubOpts) { control.append((peer, .subscription(sub))) }
    mutating func graft(_ peer: Peer, topic: String) { control.append((peer, .graft(topic))) }
    mutating func prune(_ peer: Peer, _ prune: ControlPrune) { control.append((peer, .prune(prune))) }
    mutating func ihave(_ peer: Peer, _ ihave: ControlIHave) { control.append((peer, .ihave(ihave))) }
    /// IWANT ids for one peer go into a single entry.
    mutating func iwant(_ peer: Peer, _ ids: [MessageID]) { control.append((peer, .iwant(ids))) }
    /// IDONTWANT ids for one peer go into a single entry.
    mutating func idontwant(_ peer: Peer, _ id: MessageID) { control.append((peer, .idontwant(id))) }
    /// Our v1.3 Extensions message; it must be in the first RPC to `peer`.
    mutating func extensions(_ peer: Peer, _ extensions: ControlExtensions) { control.append((peer, .extensions(extensions))) }
    /// The Test Extension's message.
    mutating func testExtension(_ peer: Peer) { control.append((peer, .testExtension)) }
    /// IMRECEIVING entries for one peer go into one PREAMBLE / IMRECEIVING extension message.
    mutating func imReceiving(_ peer: Peer, _ entry: IMReceiving) { control.append((peer, .imReceiving(entry))) }
    /// Lazy mesh push: IANNOUNCE and INEED entries for one peer go into one extension message.
    mutating func iannounce(_ peer: Peer, _ entry: IAnnounce) { control.append((peer, .iannounce(entry))) }
    mutating func ineed(_ peer: Peer, _ id: MessageID) { control.append((peer, .ineed(id))) }
    mutating func message(_ peer: Peer, _ raw: RawMessage) { messages.append((peer, raw)) }

    mutating func deliver(_ message: Message, source: Peer) {
        local.append(.deliver(message, source: source))
    }

    mutating func event(_ event: GossipSubEvent<Peer>) {
        local.append(.event(event))
    }

    /// Splits a control RPC so that no part exceeds the receiver-side decode limits on
    /// subscriptions, control entries and message ids (a receiver with our limits would reject
    /// the whole RPC otherwise). Single entries never exceed them: the config guarantees
    /// `maxIHaveLength <= maxMessageIDsPerRPC`. The Extensions message and the Test
    /// Extension's stay in the first part.
    static func split(_ rpc: RPC, limits: RPCLimits) -> [RPC] {
        let control = rpc.control ?? ControlMessage()
        let ids = control.ihave.reduce(0) { $0 + $1.messageIDs.count } + control.iwant.reduce(0) { $0 + $1.messageIDs.count }
            + control.idontwant.reduce(0) { $0 + $1.messageIDs.count }
        let preamble = rpc.preambleExtension ?? PreambleExtension()
        let lazy = rpc.announceExtension ?? AnnounceExtension()
        let preambleEntries = preamble.preambles.count + preamble.imReceiving.count + lazy.announcements.count + lazy.needs.count
        let entries = control.ihave.count + control.iwant.count + control.graft.count + control.prune.count + control.idontwant.count
            + preambleEntries
        if rpc.subscriptions.count <= limits.maxSubscriptionsPerRPC, entries <= limits.maxControlEntriesPerRPC,
           ids + preambleEntries <= limits.maxMessageIDsPerRPC {
            return [rpc]
        }
        var parts: [RPC] = []
        for chunk in stride(from: 0, to: rpc.subscriptions.count, by: limits.maxSubscriptionsPerRPC) {
            parts.append(RPC(subscriptions: Array(rpc.subscriptions[chunk..<min(chunk + limits.maxSubscriptionsPerRPC, rpc.subscriptions.count)])))
        }
        var current = RPC(control: ControlMessage())
        var currentEntries = 0
        var currentIDs = 0
        func add(_ idCount: Int, _ put: (inout RPC) -> Void) {
            if currentEntries + 1 > limits.maxControlEntriesPerRPC || currentIDs + idCount > limits.maxMessageIDsPerRPC {
                if current.control?.isEmpty == true { current.control = nil }
                parts.append(current)
                current = RPC(control: ControlMessage())
                currentEntries = 0
                currentIDs = 0
            }
            put(&current)
            currentEntries += 1
            currentIDs += idCount
        }
        for e in control.graft { add(0) { $0.control!.graft.append(e) } }
        for e in control.prune { add(0) { $0.control!.prune.append(e) } }
        for e in control.idontwant { add(e.messageIDs.count) { $0.control!.idontwant.append(e) } }
        for e in preamble.imReceiving { add(1) { $0.append(e) } }
        for e in preamble.preambles { add(1) { $0.append(e) } }
        for e in lazy.announcements { add(1) { $0.append(e) } }
        for e in lazy.needs { add(1) { $0.append(e) } }
        for e in control.iwant { add(e.messageIDs.count) { $0.control!.iwant.append(e) } }
        for e in control.ihave { add(e.messageIDs.count) { $0.control!.ihave.append(e) } }
        if current.control?.isEmpty == true { current.control = nil }
        if !current.isEmpty { parts.append(current) }
        if parts.isEmpty { parts.append(RPC()) }
        if let extensions = control.extensions {
            if parts[0].control == nil { parts[0].control = ControlMessage() }
            parts[0].control?.extensions = extensions
        }
        parts[0].testExtension = rpc.testExtension
        return parts
    }

    /// The actions, with RPCs split to respect `limits`.
    func actions(limits: RPCLimits) -> [GossipSubAction<Peer>] {
        var out: [GossipSubAction<Peer>] = []
        var i = 0
        let sortedControl = Self.groupedByPeer(control.count) { control[$0].peer }
        while i < sortedControl.count {
            let peer = control[sortedControl[i]].peer
            var rpc = RPC()
            var c = ControlMessage()
            while i < sortedControl.count, control[sortedControl[i]].peer == peer {
                switch control[sortedControl[i]].entry {
                case .subscription(let sub): rpc.subscriptions.append(sub)
                case .graft(let topic): c.graft.append(ControlGraft(topic: topic))
                case .prune(let prune): c.prune.append(prune)
                case .ihave(let ihave): c.ihave.append(ihave)
                case .iwant(let ids):
                    if c.iwant.isEmpty { c.iwant.append(ControlIWant(messageIDs: ids)) } else { c.iwant[0].messageIDs += ids }
                case .idontwant(let id):
                    if c.idontwant.isEmpty { c.idontwant.append(ControlIDontWant(messageIDs: [id])) } else { c.idontwant[0].messageIDs.append(id) }
                case .extensions(let extensions): c.extensions = extensions
                case .testExtension: rpc.testExtension = true
                case .imReceiving(let entry): rpc.append(entry)
                case .iannounce(let entry): rpc.append(entry)
                case .ineed(let id): rpc.append(INeed(messageID: id))
                }
                i += 1
            }
            if !c.isEmpty { rpc.control = c }
            guard !rpc.isEmpty else { continue }
            for part in Self.split(rpc, limits: limits) { out.append(.send(to: peer, rpc: part)) }
        }
        // Room for the per-message framing (topic, tags, optional small fields).
        let overhead = 64 + limits.maxTopicLength + 4 * limits.maxSmallFieldLength
        let sortedMessages = Self.groupedByPeer(messages.count) { messages[$0].peer }
        i = 0
        while i < sortedMessages.count {
            let peer = messages[sortedMessages[i]].peer
            var batch: [RawMessage] = []
            var size = 0
            while i < sortedMessages.count, messages[sortedMessages[i]].peer == peer {
                let raw = messages[sortedMessages[i]].raw
                let cost = (raw.data?.count ?? 0) + overhead
                if !batch.isEmpty, batch.count >= limits.maxMessagesPerRPC || size + cost > limits.maxRPCSize {
                    out.append(.send(to: peer, rpc: RPC(publish: batch)))
                    batch = []
                    size = 0
                }
                batch.append(raw)
                size += cost
                i += 1
            }
            if !batch.isEmpty { out.append(.send(to: peer, rpc: RPC(publish: batch))) }
        }
        out += local
        return out
    }

    /// The indices `0..<count` ordered by peer, entries for one peer in the order they were added.
    private static func groupedByPeer(_ count: Int, _ peer: (Int) -> Peer) -> [Int] {
        let peers = (0..<count).map(peer)
        var order = Array(0..<count)
        order.sort { peers[$0] < peers[$1] || (peers[$0] == peers[$1] && $0 < $1) }
        return order
    }
}
