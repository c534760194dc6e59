import GossipSub

/// Follows one node through a run, to explain a rare miss (`missed.csv` names the node): every
/// RPC it queues and receives and every RPC queued for it, its connections, its mesh after each
/// heartbeat, and when each of its peers delivered a transaction (with whether that peer had the
/// node in its mesh then).
///
/// Watching reads the cores and changes nothing: the trace hash is the same with and without it.
public struct NodeWatch {
    /// The node followed (its index, as `nodes.csv` numbers it).
    public var node: Int
    /// Takes each line as it happens, in virtual-time order: `<seconds> <text>`.
    public var write: (String) -> Void

    /// Follows `node`, giving each line to `write`.
    public init(node: Int, write: @escaping (String) -> Void) {
        self.node = node
        self.write = write
    }
}

extension AztecNetworkSimulation {
    /// Whether `a` or `b` is the watched node.
    @inline(__always)
    func watches(_ a: Int, _ b: Int) -> Bool { watchedNode >= 0 && (a == watchedNode || b == watchedNode) }

    func noteWatched(_ text: String) {
        let micros = now.nanoseconds / 1000
        let seconds = "\(micros / 1_000_000)." + String(String(micros % 1_000_000 + 1_000_000).dropFirst())
        watch?.write(seconds + " " + text)
    }

    /// An RPC in a line: `t<index>` for the scenario's transactions, the id's first bytes otherwise.
    func describeForWatch(_ rpc: RPC) -> String {
        func ids(_ list: [MessageID]) -> String {
            list.map { id in
                transactionIndex[id].map { "t\($0)" } ?? id.bytes.prefix(4).map { String($0, radix: 16) }.joined()
            }.joined(separator: ",")
        }
        var parts: [String] = []
        for sub in rpc.subscriptions { parts.append(sub.subscribe ? "SUB" : "UNSUB") }
        if !rpc.publish.isEmpty {
            parts.append("MSG[" + ids(rpc.publish.map { gossipConfig.parameters.messageIDFunction.id(of: $0) }) + "]")
        }
        if let control = rpc.control {
            if !control.ihave.isEmpty { parts.append("IHAVE[" + ids(control.ihave.flatMap(\.messageIDs)) + "]") }
            if !control.iwant.isEmpty { parts.append("IWANT[" + ids(control.iwant.flatMap(\.messageIDs)) + "]") }
            if !control.graft.isEmpty { parts.append("GRAFT") }
            for prune in control.prune {
                parts.append("PRUNE(px \(prune.peers.count), backoff \(prune.backoffSeconds.map(String.init) ?? "-"))")
            }
            if !control.idontwant.isEmpty { parts.append("IDONTWANT[" + ids(control.idontwant.flatMap(\.messageIDs)) + "]") }
            if control.extensions != nil { parts.append("EXTENSIONS") }
        }
        if let preamble = rpc.preambleExtension {
            if !preamble.preambles.isEmpty { parts.append("PREAMBLE[" + ids(preamble.preambles.map(\.messageID)) + "]") }
            if !preamble.imReceiving.isEmpty { parts.append("IMRECEIVING[" + ids(preamble.imReceiving.map(\.messageID)) + "]") }
        }
        if let announce = rpc.announceExtension {
            if !announce.announcements.isEmpty { parts.append("IANNOUNCE[" + ids(announce.announcements.map(\.messageID)) + "]") }
            if !announce.needs.isEmpty { parts.append("INEED[" + ids(announce.needs.map(\.messageID)) + "]") }
        }
        if rpc.testExtension { parts.append("TEST") }
        return parts.isEmpty ? "(empty)" : parts.joined(separator: " ")
    }

    /// A delivery at `index`: the watched node's own, or one of its peers' (and whether that peer
    /// had the watched node in its mesh).
    func noteDeliveryForWatch(_ message: MessageID, at index: Int) {
        let tx = transactionIndex[message].map { "t\($0)" } ?? "?"
        if index == watchedNode {
            noteWatched("delivered \(tx)")
        } else if nodes[index].connections[Int32(watchedNode)] != nil {
            let inMesh = nodes[index].readRouter { $0.meshPeers(Self.topic).contains(IndexedPeer(watchedNode)) }
            noteWatched("peer \(index) delivered \(tx); watched node in its mesh: \(inMesh)")
        }
    }

    /// The watched node's mesh after its heartbeat, when it changed.
    func noteMeshForWatch(_ index: Int) {
        let mesh = nodes[index].readRouter { $0.meshPeers(Self.topic) }.map { Int($0.index) }
        guard mesh != watchedMesh else { return }
        watchedMesh = mesh
        noteWatched("mesh after heartbeat: \(mesh) of \(nodes[index].connections.count) connections")
    }
}
