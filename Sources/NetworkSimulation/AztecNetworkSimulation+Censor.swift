import AztecP2P
import GossipSub

/// Attackers that keep mesh places and forward nothing (``CensorSettings``), and how honest
/// nodes see them over time (``CensorSample``).
extension AztecNetworkSimulation {
    /// One simulated second of a `censor` run, over the honest nodes running.
    public struct CensorSample: Hashable, Sendable, Codable {
        /// When the row was taken, in whole simulated seconds from the start (the first row is 1).
        public var second: Int
        /// Share of the honest nodes' mesh places (on the topic) held by attackers.
        public var attackerMeshShare: Double
        /// Mean score honest nodes give their attacker peers, and their honest peers.
        public var attackerScoreMean: Double
        /// Mean score honest nodes give their honest peers.
        public var honestScoreMean: Double
        /// Honest nodes whose whole mesh is attackers.
        public var honestNodesMeshedOnlyWithAttackers: Int
    }

    /// Picks the censors among the honest nodes; they dial up to their own target.
    func prepareCensors(_ settings: CensorSettings) throws(SimulationError) {
        var candidates = (0..<scenario.nodes).filter { !nodes[$0].isAttacker }
        let count = max(1, Int((Double(scenario.nodes) * settings.share).rounded()))
        let attackerDials = PeerDialSettings(targetPeerCount: settings.targetPeers, meshTopUp: scenario.join.meshTopUp,
                                             minimumOutboundPeers: scenario.join.minimumOutboundPeers)
        for i in 0..<min(count, candidates.count) {
            candidates.swapAt(i, i + Int(rng.next() % UInt64(candidates.count - i)))
            nodes[candidates[i]].attack = .censor
            nodes[candidates[i]].planner = PeerDialPlanner(settings: attackerDials)
        }
        censorStopsAt = .seconds(settings.stopForwardingAtSeconds)
        if settings.claimsEveryMessage { claimants = nodes.indices.filter { nodes[$0].attack == .censor } }
        if let subnets = settings.subnets, scenario.join.mode == .discovery {
            try moveToSharedSubnets(nodes.indices.filter { nodes[$0].attack == .censor }, subnets: subnets)
        }
    }

    /// What a censor lets out of `rpc`: nothing of messages or IHAVE once it has stopped
    /// forwarding; `nil` when nothing is left.
    func censored(_ rpc: RPC) -> RPC? {
        guard now >= censorStopsAt else { return rpc }
        var kept = rpc
        kept.publish = []
        kept.control?.ihave = []
        if kept.control?.isEmpty == true { kept.control = nil }
        return kept.isEmpty ? nil : kept
    }

    /// The first censor to receive `id` tells the others at once; each says IDONTWANT for it to
    /// its honest mesh peers, whether it has the message or not.
    func claimEverywhere(_ id: MessageID) {
        guard now >= censorStopsAt, claimedMessages.insert(id).inserted else { return }
        let rpc = RPC(control: ControlMessage(idontwant: [ControlIDontWant(messageIDs: [id])]))
        for claimant in claimants where nodes[claimant].alive && nodes[claimant].hasRouter {
            for peer in nodes[claimant].readRouter({ $0.meshPeers(Self.topic) }) where !nodes[Int(peer.index)].isAttacker {
                falseIDontWants += 1
                enqueue(rpc, from: claimant, to: Int32(bitPattern: peer.index), lane: .forward)
            }
        }
    }

    /// Samples how the honest nodes see the censors (every simulated second).
    func sampleCensors() {
        let t = now.sinceStart
        var places = 0, attackerPlaces = 0, onlyAttackers = 0
        var attackerScores = 0.0, attackerCount = 0, honestScores = 0.0, honestCount = 0
        for index in 0..<nodes.count where nodes[index].hasRouter && !nodes[index].isAttacker {
            let mesh = nodes[index].readRouter { $0.meshPeers(Self.topic) }
            let attackers = mesh.filter { nodes[Int($0.index)].isAttacker }.count
            places += mesh.count
            attackerPlaces += attackers
            if !mesh.isEmpty, attackers == mesh.count { onlyAttackers += 1 }
            for peer in nodes[index].connections.keys {
                let score = nodes[index].readRouter { $0.peerScore(IndexedPeer(Int(peer)), now: t) }
                if nodes[Int(peer)].isAttacker {
                    attackerScores += score
                    attackerCount += 1
                } else {
                    honestScores += score
                    honestCount += 1
                }
            }
        }
        censorSamples.append(CensorSample(
            second: Int(now.nanoseconds / 1_000_000_000),
            attackerMeshShare: Double(attackerPlaces) / Double(max(places, 1)),
            attackerScoreMean: attackerScores / Double(max(attackerCount, 1)),
            honestScoreMean: honestScores / Double(max(honestCount, 1)),
            honestNodesMeshedOnlyWithAttackers: onlyAttackers))
    }
}

/// The `censor` attack's figures (``SimulationReport/censor``), over the publishing window.
public struct CensorReport: Hashable, Sendable, Codable {
    /// Censoring nodes in the run: ``CensorSettings/share`` of the scenario's nodes, at least 1.
    public var attackers: Int
    /// When the attackers stopped forwarding.
    public var stopForwardingAtSeconds: Double
    /// Share of the honest nodes' mesh places held by attackers: mean and largest over the
    /// publishing window's seconds.
    public var attackerMeshShareMean: Double
    /// The largest attacker share of honest mesh places in any second of the publishing window.
    public var attackerMeshShareMax: Double
    /// Mean scores honest nodes gave attacker and honest peers at the end of the run.
    public var attackerScoreAtEnd: Double
    /// Mean score honest nodes gave their honest peers at the end of the run.
    public var honestScoreAtEnd: Double
    /// Most honest nodes meshed only with attackers in any second of the publishing window.
    public var honestNodesMeshedOnlyWithAttackersMax: Int
    /// IDONTWANTs the attackers sent to honest mesh peers for every message they claimed
    /// (``CensorSettings/claimsEveryMessage``; 0 otherwise).
    public var falseIDontWants: Int

    init(simulation s: AztecNetworkSimulation) {
        attackers = s.nodes.filter { $0.attack == .censor }.count
        stopForwardingAtSeconds = s.scenario.censor?.stopForwardingAtSeconds ?? 0
        let from = Int(s.scenario.warmupSeconds), to = Int(s.scenario.warmupSeconds + s.scenario.publishSeconds)
        let window = s.censorSamples.filter { (from...to).contains($0.second) }
        attackerMeshShareMean = window.map(\.attackerMeshShare).reduce(0, +) / Double(max(window.count, 1))
        attackerMeshShareMax = window.map(\.attackerMeshShare).max() ?? 0
        attackerScoreAtEnd = s.censorSamples.last?.attackerScoreMean ?? 0
        honestScoreAtEnd = s.censorSamples.last?.honestScoreMean ?? 0
        honestNodesMeshedOnlyWithAttackersMax = window.map(\.honestNodesMeshedOnlyWithAttackers).max() ?? 0
        falseIDontWants = s.falseIDontWants
    }
}
