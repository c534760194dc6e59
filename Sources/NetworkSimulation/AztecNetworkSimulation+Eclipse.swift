import DiscV5
import GossipSub
import P2PCrypto

/// Sybils that go for one victim (``EclipseSettings``), and how the victim's peers looked over
/// time (``EclipseSample``).
extension AztecNetworkSimulation {
    /// One simulated second of an `eclipse` run, at the victim.
    public struct EclipseSample: Hashable, Sendable, Codable {
        /// When the row was taken, in whole simulated seconds from the start (the first row is 1).
        public var second: Int
        /// The victim's open connections.
        public var connections: Int
        /// Of those, connections with sybils, whichever end dialed.
        public var sybilConnections: Int
        /// Connections the victim dialed itself to honest nodes.
        public var honestOutbound: Int
        /// The victim's mesh peers on the topic.
        public var meshPeers: Int
        /// Of those, sybils.
        public var sybilMeshPeers: Int
        /// Transactions the victim has received so far.
        public var received: Int
        /// The victim's discovery table, and the sybils in it.
        public var tableEntries: Int
        /// Of those entries, sybils.
        public var sybilTableEntries: Int
        /// Connections the victim dialed to sybils.
        public var sybilOutbound: Int
    }

    /// Picks the victim and the sybils (they forward nothing from the start, as censors do); they
    /// dial the victim when it starts, or at ``EclipseSettings/attackAtSeconds``.
    func prepareEclipse(_ settings: EclipseSettings) {
        let victim = Int(rng.next() % UInt64(scenario.nodes))
        eclipseVictim = victim
        var candidates = (0..<scenario.nodes).filter { $0 != victim }
        for i in 0..<min(settings.sybils, candidates.count) {
            candidates.swapAt(i, i + Int(rng.next() % UInt64(candidates.count - i)))
            nodes[candidates[i]].attack = .censor
        }
        censorStopsAt = .zero
        if settings.throughDiscovery {
            eclipseThroughDiscovery = true
            let sybils = nodes.indices.filter { nodes[$0].attack == .censor }
            if settings.closeIDBits > 0 {
                let target = records[victim].discoveryNodeID
                for sybil in sybils { grindCloseIdentity(sybil, to: target, bits: settings.closeIDBits) }
            }
            eclipseSeeds = sybils.map { records[$0] } + [records[victim]]
            return
        }
        if let at = settings.attackAtSeconds {
            for sybil in nodes.indices where nodes[sybil].attack == .censor { queue.push(.eclipseDial(Int32(sybil)), at: .seconds(at)) }
        } else if nodes[victim].alive {
            victimStarted()   // a `static` join started every node already
        }
    }

    /// Gives `sybil` a fresh key whose node id shares `bits` leading bits with `target`.
    func grindCloseIdentity(_ sybil: Int, to target: NodeID, bits: Int) {
        var key = Secp256k1.PrivateKey.generate(using: &rng)
        while NodeID(publicKey: key.publicKey).logDistance(to: target) > 256 - bits {
            key = Secp256k1.PrivateKey.generate(using: &rng)
        }
        indexByNodeID[records[sybil].discoveryNodeID] = nil
        keys[sybil] = key
        try? makeIdentity(sybil)
    }

    /// Whether a datagram between `a` and `b` is one the discovery sybils refuse: they talk to
    /// each other and to the victim only.
    func sybilsIgnore(_ a: Int, _ b: Int) -> Bool {
        guard a != eclipseVictim, b != eclipseVictim else { return false }
        return nodes[a].isAttacker != nodes[b].isAttacker
    }

    /// The victim started: unless the attack waits for a set time, every sybil dials it now.
    func victimStarted() {
        guard scenario.eclipse?.attackAtSeconds == nil, !eclipseThroughDiscovery else { return }
        for sybil in nodes.indices where nodes[sybil].attack == .censor { queue.push(.eclipseDial(Int32(sybil)), at: now) }
    }

    /// A sybil dials the victim (once it runs itself).
    func eclipseDial(_ sybil: Int) {
        guard let victim = eclipseVictim, nodes[victim].alive else { return }
        guard nodes[sybil].alive else {
            queue.push(.eclipseDial(Int32(sybil)), at: now + .seconds(1))
            return
        }
        guard nodes[sybil].connections[Int32(victim)] == nil else { return }
        queue.push(.dialArrives(from: Int32(sybil), to: Int32(victim), sent: now), at: now + latency(sybil, victim))
    }

    /// A sybil connected to the victim asks for a mesh place at once.
    func graftVictim(from sybil: Int) {
        guard let victim = eclipseVictim else { return }
        enqueue(RPC(control: ControlMessage(graft: [ControlGraft(topic: Self.topic)])), from: sybil, to: Int32(victim))
    }

    func sampleEclipse() {
        guard let victim = eclipseVictim else { return }
        let node = nodes[victim]
        var sample = EclipseSample(second: Int(now.nanoseconds / 1_000_000_000), connections: node.connections.count,
                                   sybilConnections: 0, honestOutbound: 0, meshPeers: 0, sybilMeshPeers: 0,
                                   received: delivered[victim].reduce(0) { $0 + $1.nonzeroBitCount },
                                   tableEntries: 0, sybilTableEntries: 0, sybilOutbound: 0)
        for (peer, outbound) in node.connections {
            if nodes[Int(peer)].isAttacker {
                sample.sybilConnections += 1
                if outbound { sample.sybilOutbound += 1 }
            } else if outbound {
                sample.honestOutbound += 1
            }
        }
        if let table = node.discovery?.table {
            let entries = table.allEntries
            sample.tableEntries = entries.count
            sample.sybilTableEntries = entries.filter { indexByNodeID[$0.nodeID].map { nodes[Int($0)].isAttacker } ?? false }.count
        }
        if node.hasRouter {
            let mesh = node.readRouter { $0.meshPeers(Self.topic) }
            sample.meshPeers = mesh.count
            sample.sybilMeshPeers = mesh.filter { nodes[Int($0.index)].isAttacker }.count
        }
        eclipseSamples.append(sample)
    }
}

/// The `eclipse` attack's figures (``SimulationReport/eclipse``).
public struct EclipseReport: Hashable, Sendable, Codable {
    /// The victim, by node index (one of the scenario's Aztec nodes, drawn with the seed).
    public var victim: Int
    /// Sybils in the run (``EclipseSettings/sybils``).
    public var sybils: Int
    /// Transactions published while the victim ran (after its start, honest publishers), and of
    /// those the ones it received.
    public var victimExpected: Int
    /// Of those, the transactions the victim received.
    public var victimReceived: Int
    /// The sybils' share of the victim's mesh, mean and largest over the publishing window.
    public var sybilMeshShareMean: Double
    /// The largest sybil share of the victim's mesh in any second of the publishing window.
    public var sybilMeshShareMax: Double
    /// At the end: the victim's connections, how many were sybils, and how many honest ones it had dialed.
    public var connectionsAtEnd: Int
    /// Of the victim's connections at the end, those with sybils.
    public var sybilConnectionsAtEnd: Int
    /// Of the victim's connections at the end, those it had dialed itself to honest nodes.
    public var honestOutboundAtEnd: Int
    /// The sybils' share of the victim's discovery table, at the end and at most (any second).
    public var sybilTableShareAtEnd: Double
    /// The largest sybil share of the victim's discovery table in any second of the run.
    public var sybilTableShareMax: Double
    /// Dials the victim made, and of those to sybils.
    public var victimDials: Int
    /// Of those dials, the ones to sybils.
    public var victimSybilDials: Int

    init(simulation s: AztecNetworkSimulation) {
        let victim = s.eclipseVictim ?? 0
        self.victim = victim
        sybils = s.nodes.filter { $0.attack == .censor }.count
        var expected = 0, received = 0
        if let started = s.nodes[victim].startedAt {
            for tx in s.publishedAt.indices where s.publisher[tx] >= 0 && s.publishedAt[tx] >= started && Int(s.publisher[tx]) != victim {
                expected += 1
                if s.hasDelivered(tx, at: victim) { received += 1 }
            }
        }
        victimExpected = expected
        victimReceived = received
        let from = Int(s.scenario.warmupSeconds), to = Int(s.scenario.warmupSeconds + s.scenario.publishSeconds)
        let shares = s.eclipseSamples.filter { (from...to).contains($0.second) }
            .map { Double($0.sybilMeshPeers) / Double(max($0.meshPeers, 1)) }
        sybilMeshShareMean = shares.reduce(0, +) / Double(max(shares.count, 1))
        sybilMeshShareMax = shares.max() ?? 0
        let last = s.eclipseSamples.last
        connectionsAtEnd = last?.connections ?? 0
        sybilConnectionsAtEnd = last?.sybilConnections ?? 0
        honestOutboundAtEnd = last?.honestOutbound ?? 0
        func tableShare(_ sample: AztecNetworkSimulation.EclipseSample) -> Double {
            Double(sample.sybilTableEntries) / Double(max(sample.tableEntries, 1))
        }
        sybilTableShareAtEnd = last.map(tableShare) ?? 0
        sybilTableShareMax = s.eclipseSamples.map(tableShare).max() ?? 0
        victimDials = s.victimDials
        victimSybilDials = s.victimSybilDials
    }
}
