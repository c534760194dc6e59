import AztecP2P
import GossipSub

/// Attackers publishing invalid transactions (``SpamSettings``) and what the
/// honest nodes paid (``SpamReport``).
extension AztecNetworkSimulation {
    /// What the `spam` attack measured, seen from the honest nodes.
    struct SpamLedger {
        var published = 0
        var unpublished = 0
        var publishedByKind = Array(repeating: 0, count: SimulatedSpam.Kind.allCases.count)
        /// (honest node, attacker) → when the node first received an invalid transaction from it.
        var firstContact: [UInt64: SimulatedInstant] = [:]
        /// (honest node, attacker) → seconds from that first receipt to the node's ban.
        var banDelays: [UInt64: Double] = [:]
        /// Of those bans, how many the node made after the attacker had left (its retained score
        /// fell below the threshold once the verdict came).
        var bannedAfterLeaving = 0
        /// Invalid messages honest nodes sent on (to peers or in answer to IWANT); the goal is none.
        var forwardedByHonest = 0
        /// Invalid transactions an honest pool took; the goal is none.
        var pooledByHonest = 0
        /// Invalid message bytes that reached each honest node, and those its router processed
        /// (from a peer still above the graylist threshold).
        var bytesReceived: [UInt64] = []
        var bytesProcessed: [UInt64] = []
        /// (honest node, attacker) → invalid messages the node's router processed from it.
        var processedPerPair: [UInt64: Int] = [:]
        /// The most invalid messages one RPC from an attacker carried (an answer to IWANT can
        /// carry many; a publication or a forward, one).
        var largestBatch = 0
    }

    static func pair(_ node: Int, _ attacker: Int) -> UInt64 { UInt64(node) << 32 | UInt64(attacker) }

    /// Picks the attackers among the first nodes and schedules their invalid transactions.
    func prepareSpam(_ settings: SpamSettings, limits: TxLimits) {
        spam = SimulatedSpam(seed: scenario.seed, transactionBytes: scenario.transactionBytes, limits: limits)
        hasSpam = true
        spamLedger.bytesReceived = Array(repeating: 0, count: nodes.count)
        spamLedger.bytesProcessed = Array(repeating: 0, count: nodes.count)
        var candidates = Array(0..<scenario.nodes)
        let count = max(1, Int((Double(scenario.nodes) * settings.share).rounded()))
        for i in 0..<count {
            candidates.swapAt(i, i + Int(rng.next() % UInt64(candidates.count - i)))
            nodes[candidates[i]].attack = .spam
        }
        let rate = settings.transactionsPerSecond ?? 10 * scenario.transactionsPerSecond
        let start = settings.startSeconds ?? scenario.warmupSeconds
        let end = scenario.warmupSeconds + scenario.publishSeconds
        let total = Int(((end - start) * rate).rounded(.down))
        for k in 0..<max(0, total) {
            queue.push(.spam(Int32(k)), at: .seconds(start + Double(k) / rate))
        }
    }

    /// A random running attacker with a connection publishes the next invalid transaction, as
    /// its own, without validating it.
    func publishSpam() {
        var attacker: Int?
        for _ in 0..<64 {
            let candidate = Int(rng.next() % UInt64(scenario.nodes))
            if nodes[candidate].isSpammer, nodes[candidate].hasRouter, !nodes[candidate].connections.isEmpty {
                attacker = candidate
                break
            }
        }
        guard let attacker, spam != nil else {
            spamLedger.unpublished += 1
            return
        }
        let (id, kind, payload) = spam!.make()
        spamLedger.published += 1
        spamLedger.publishedByKind[kind.rawValue] += 1
        trace.mix(0x5BA4 << 32 | UInt64(attacker))
        do {
            let (published, actions) = try nodes[attacker].router!.publish(topic: Self.topic, data: payload, now: now.sinceStart)
            assert(published == id)
            apply(attacker, actions)
        } catch {
            trace.mix(0xBAD5)
        }
    }

    /// Accounts for invalid transactions an attacker's RPC carries to an honest node.
    func noteSpam(in rpc: RPC, from attacker: Int, at index: Int) {
        guard let spam else { return }
        let idFunction = gossipConfig.parameters.messageIDFunction
        var processed: Bool?
        var batch = 0
        defer { spamLedger.largestBatch = max(spamLedger.largestBatch, batch) }
        for message in rpc.publish {
            guard let record = spam.record(idFunction.id(of: message)) else { continue }
            batch += 1
            let key = Self.pair(index, attacker)
            if spamLedger.firstContact[key] == nil { spamLedger.firstContact[key] = now }
            guard index < spamLedger.bytesReceived.count else { continue }  // a churn replacement
            spamLedger.bytesReceived[index] &+= UInt64(record.bytes)
            if processed == nil {
                processed = nodes[index].readRouter { $0.peerScore(IndexedPeer(attacker), now: now.sinceStart) }
                    >= peerScore.thresholds.graylistThreshold
            }
            if processed == true {
                spamLedger.bytesProcessed[index] &+= UInt64(record.bytes)
                spamLedger.processedPerPair[key, default: 0] += 1
            }
        }
    }

    /// Counts invalid messages in an RPC an honest node sends.
    func noteForwardedSpam(in rpc: RPC) {
        guard let spam else { return }
        let idFunction = gossipConfig.parameters.messageIDFunction
        for message in rpc.publish where spam.record(idFunction.id(of: message)) != nil {
            spamLedger.forwardedByHonest += 1
        }
    }

    /// The router asked to validate a message that is none of the scenario's transactions: an
    /// attacker accepts its colleagues' spam; an honest node rejects what fails decoding or the
    /// rules at once and gives the rest a validation slot, as any transaction.
    func validateUnknown(_ id: MessageID, at index: Int) {
        let verdict: ValidationResult
        if let record = spam?.record(id) {
            if nodes[index].isSpammer {
                verdict = .accept
            } else if case .failure = record.decoded {
                verdict = .reject
            } else {
                return queueValidation(id, at: index)
            }
        } else {
            verdict = .reject
        }
        apply(index, nodes[index].router!.validationResult(id, verdict, now: now.sinceStart))
    }

    /// The slot's verdict on a spam transaction: the node's state and proof verifier.
    func spamVerdict(_ id: MessageID, at index: Int) -> ValidationResult {
        guard let record = spam?.record(id), case .success(let decoded) = record.decoded else { return .reject }
        guard spam!.slotVerdict(record, decoded) == nil else { return .reject }
        guard admit(decoded, at: index) else { return .ignore }
        if !nodes[index].isAttacker { spamLedger.pooledByHonest += 1 }
        return .accept
    }

    /// One (honest node, attacker) pair in contact: when the node first received an invalid
    /// transaction from the attacker and how long it took to ban it (`nil`: it never did).
    public struct SpamBanRow: Hashable, Sendable {
        /// The honest node, by index.
        public var node: Int
        /// The attacker, by index.
        public var attacker: Int
        /// When the node first received an invalid transaction from the attacker, in simulated seconds.
        public var firstInvalidSeconds: Double
        /// Seconds from then until the node banned the attacker; `nil` if it never did.
        public var banDelaySeconds: Double?
    }

    /// Every pair in contact, by node then attacker.
    public func spamBans() -> [SpamBanRow] {
        spamLedger.firstContact.keys.sorted().map { key in
            SpamBanRow(node: Int(key >> 32), attacker: Int(UInt32(truncatingIfNeeded: key)),
                       firstInvalidSeconds: spamLedger.firstContact[key]!.seconds, banDelaySeconds: spamLedger.banDelays[key])
        }
    }
}

/// The `spam` attack's figures (``SimulationReport/spam``).
public struct SpamReport: Hashable, Sendable, Codable {
    /// Spamming nodes in the run: ``SpamSettings/share`` of the scenario's nodes, at least 1.
    public var attackers: Int
    /// Invalid transactions published, and those no attacker could send (none was connected).
    public var published: Int
    /// Invalid transactions due that no attacker sent: no running attacker with a connection was found.
    public var unpublished: Int
    /// Published per kind: spent nullifier, bad proof, malformed SSZ, oversized Snappy.
    public var publishedByKind: [String: Int]
    /// Honest nodes that received an invalid transaction straight from an attacker, per pair.
    public var contactedPairs: Int
    /// Pairs whose first contact came in the last 10 s of the run, too late to judge the bans.
    public var pairsContactedInTheLast10s: Int
    /// Of the pairs contacted earlier, how many ended with the honest node banning the attacker,
    /// and the seconds from the node's first invalid receipt from it to the ban (every pair
    /// banned; the ban check runs every second).
    public var bannedPairs: Int
    /// Over those banned pairs, the seconds from the first invalid receipt to the ban.
    public var banDelaySeconds: SimulationReport.Spread
    /// Of all bans of attackers by honest nodes, those made after the attacker had left: the
    /// verdict on its message came when it was no longer connected.
    public var bannedAfterLeaving: Int
    /// Attackers every honest node they reached (10 s or more before the end) banned within 10 s
    /// of its first invalid receipt, and attackers that reached an honest node by then.
    public var attackersBannedEverywhereWithin10s: Int
    /// Attackers that reached an honest node 10 s or more before the end of the run.
    public var attackersInContact: Int
    /// The most invalid messages one RPC from an attacker carried (answers to IWANT).
    public var largestInvalidBatch: Int
    /// Invalid messages honest nodes sent on, and invalid transactions honest pools took (goal: 0;
    /// honest peers banned by honest nodes are in ``SimulationReport/honestPeersBanned``).
    public var forwardedByHonest: Int
    /// Invalid transactions honest pools took (goal: 0).
    public var pooledByHonest: Int
    /// Over honest nodes that ran throughout: invalid bytes that reached them, and those their
    /// routers processed before the sender fell below the graylist threshold.
    public var bytesReceivedPerHonestNode: SimulationReport.Spread
    /// Invalid bytes a node's router processed, from senders still above the graylist threshold.
    public var bytesProcessedPerHonestNode: SimulationReport.Spread
    /// Per (honest node, attacker) pair in contact: invalid messages the node's router processed.
    public var messagesProcessedPerPair: SimulationReport.Spread

    init(simulation s: AztecNetworkSimulation, honest: [Int]) {
        let ledger = s.spamLedger
        attackers = s.nodes.filter(\.isSpammer).count
        published = ledger.published
        unpublished = ledger.unpublished
        publishedByKind = Dictionary(uniqueKeysWithValues: SimulatedSpam.Kind.allCases.map { ("\($0)", ledger.publishedByKind[$0.rawValue]) })
        contactedPairs = ledger.firstContact.count
        let judged = ledger.firstContact.filter { $0.value.seconds <= s.scenario.durationSeconds - 10 }.map(\.key)
        pairsContactedInTheLast10s = contactedPairs - judged.count
        bannedPairs = judged.filter { ledger.banDelays[$0] != nil }.count
        bannedAfterLeaving = ledger.bannedAfterLeaving
        banDelaySeconds = SimulationReport.spread(judged.compactMap { ledger.banDelays[$0] })
        largestInvalidBatch = ledger.largestBatch
        var worst: [UInt32: Double] = [:]
        for key in judged {
            let attacker = UInt32(truncatingIfNeeded: key)
            worst[attacker] = max(worst[attacker] ?? 0, ledger.banDelays[key] ?? .infinity)
        }
        attackersInContact = worst.count
        attackersBannedEverywhereWithin10s = worst.values.filter { $0 <= 10 }.count
        forwardedByHonest = ledger.forwardedByHonest
        pooledByHonest = ledger.pooledByHonest
        bytesReceivedPerHonestNode = SimulationReport.spread(honest.map { Double(ledger.bytesReceived[$0]) })
        bytesProcessedPerHonestNode = SimulationReport.spread(honest.map { Double(ledger.bytesProcessed[$0]) })
        messagesProcessedPerPair = SimulationReport.spread(ledger.firstContact.keys.map { Double(ledger.processedPerPair[$0] ?? 0) })
    }
}
