import GossipSub

/// What an ``AztecNetworkSimulation`` run measured.
///
/// A transaction is *expected* at a node that was ready (a heartbeat had left it with a mesh peer)
/// when the transaction was published and that ran to the end of the run: gossip does not
/// backfill nodes that join later, and a node killed later may have died before it arrived.
public struct SimulationReport: Hashable, Sendable, Codable {
    /// How a figure is spread over nodes (or pairs): mean, median, 99th percentile and maximum
    /// (percentiles by nearest rank); all 0 when there were no values.
    public struct Spread: Hashable, Sendable, Codable {
        /// The arithmetic mean.
        public var mean: Double
        /// The median: the smallest value with at least half of the values at or below it.
        public var p50: Double
        /// The smallest value with at least 99% of the values at or below it.
        public var p99: Double
        /// The largest value.
        public var max: Double
    }

    /// One bandwidth class: how its nodes fared.
    public struct ClassRow: Hashable, Sendable, Codable {
        /// The class's name in ``NetworkModel/bandwidthClasses``, e.g. `home-25`.
        public var name: String
        /// Honest Aztec nodes of the class that ran through the whole publishing window.
        public var nodes: Int
        /// Median milliseconds from publication to receipt, over every receipt at an honest node
        /// of the class.
        public var latencyP50Milliseconds: Double
        /// 99th percentile of the same latencies, in milliseconds.
        public var latencyP99Milliseconds: Double
        /// Bytes per second one of the class's ``nodes`` uploaded during the publishing window, mean.
        public var uploadBytesPerSecondMean: Double
        /// Bytes per second one of the class's ``nodes`` downloaded during the publishing window, mean.
        public var downloadBytesPerSecondMean: Double
    }

    /// The transactions published at or after a mass kill.
    public struct AfterKill: Hashable, Sendable, Codable {
        /// How many were published then.
        public var published: Int
        /// How many of them reached every survivor that was ready when each was published
        /// (`churn`'s goal: all).
        public var reachedEverySurvivor: Int
    }

    /// The discovery-only bootnodes' load over the whole run.
    public struct BootnodeLoad: Hashable, Sendable, Codable {
        /// Discovery packets one bootnode received over the run, mean over the bootnodes.
        public var packetsReceivedMean: Double
        /// The most discovery packets one bootnode received over the run.
        public var packetsReceivedMax: Int
        /// The most bytes one bootnode received over the run (all its traffic through its downlink).
        public var bytesReceivedMax: UInt64
        /// The most bytes one bootnode sent over the run.
        public var bytesSentMax: UInt64
    }

    /// The scenario's name (``SimulationScenario/name``).
    public var scenario: String
    /// Aztec nodes at the start (``SimulationScenario/nodes``), attackers included; bootnodes,
    /// other networks' nodes and churn replacements not.
    public var nodes: Int
    /// The seed the run drew from (``SimulationScenario/seed``).
    public var seed: UInt64
    /// How nodes joined: `discovery` or `static` (``JoinSettings/Mode``).
    public var joinMode: String
    /// Honest transactions published at a node: ``SimulationScenario/transactionsPerSecond`` ×
    /// ``SimulationScenario/publishSeconds``, rounded down, less ``unpublished``.
    public var published: Int
    /// Transactions no node could take (no running node had a mesh peer).
    public var unpublished: Int
    /// Transactions that reached every node expecting them.
    public var reachedEveryExpectingNode: Int
    /// (transaction, node) pairs expected, and those delivered.
    public var expectedDeliveries: Int
    /// Of the ``expectedDeliveries``, those where the node received the transaction.
    public var deliveredExpected: Int
    /// ``deliveredExpected`` / ``expectedDeliveries``; 1 when no delivery was expected.
    public var deliveryRatio: Double
    /// Milliseconds from publication to each node's receipt.
    public var latencyP50Milliseconds: Double
    /// 90th percentile of those latencies, over every receipt at an honest node, in milliseconds.
    public var latencyP90Milliseconds: Double
    /// 99th percentile of the same latencies, in milliseconds.
    public var latencyP99Milliseconds: Double
    /// Milliseconds from publication to the last node that received it, among the nodes that
    /// expected it (ready when it was published, as in ``deliveryRatio``); the median over transactions.
    public var lastNodeP50Milliseconds: Double
    /// 99th percentile over transactions of that time to the last node, in milliseconds.
    public var lastNodeP99Milliseconds: Double
    /// The longest time from a publication to its last receipt, in milliseconds.
    public var lastNodeMaxMilliseconds: Double
    /// Bytes per second each Aztec node that ran throughout uploaded and downloaded while
    /// transactions were published.
    public var uploadBytesPerSecond: Spread
    /// Bytes per second the same nodes downloaded in the same window.
    public var downloadBytesPerSecond: Spread
    /// The rate of distinct payload bytes published: transactions per second × size.
    public var uniquePayloadBytesPerSecond: Double
    /// One row per bandwidth class, in the order of ``NetworkModel/bandwidthClasses``.
    public var bandwidthClasses: [ClassRow]
    /// Mesh sizes at the end over running Aztec nodes: `meshDegrees[k]` nodes had `k` mesh peers.
    public var meshDegrees: [Int]
    /// Seconds from the start until 99% of the scenario's nodes had at least D_low mesh peers.
    public var meshReadySeconds: Double?
    /// Seconds from the mass kill until 99% of the running nodes had D_low mesh peers again
    /// (counted from a second after the kill, once the survivors know).
    public var meshRecoverySeconds: Double?
    /// Seconds from the mass kill until the share of running nodes with D_low mesh peers was
    /// back at its share in the last second before the kill (99% if that was higher): with a
    /// high D_low (9 for a mesh of 10) the network may not hold 99% even before the kill.
    public var meshRecoveryToPreKillShareSeconds: Double?
    /// That share before the kill, between 0 and 0.99; `nil` without a kill.
    public var meshReadyShareBeforeKill: Double?
    /// Transactions published at or after the mass kill; `nil` without one.
    public var afterKill: AfterKill?
    /// The discovery-only bootnodes' load; `nil` when the run had none (`static` join mode).
    public var bootnodes: BootnodeLoad?
    /// How honest Aztec nodes found their peers (`discovery` join mode).
    public var join: JoinReport?
    /// The PREAMBLE / IMRECEIVING extension's figures, when the scenario turned it on.
    public var preamble: PreambleReport?
    /// Lazy mesh push's figures (IANNOUNCE / INEED), when the scenario turned it on.
    public var announce: AnnounceReport?
    /// Forwards held back (`ForwardHoldParameters`), when the scenario holds them: summed over
    /// the routers running at the end.
    public var heldForwards: HeldForwardCounts?
    /// What topic discovery did (``TopicSettings``).
    public var topics: TopicReport?
    /// Over the surviving Aztec nodes: transactions they received or published, and those in
    /// their pools at the end (equal when every valid transaction a node saw was pooled).
    public var receivedTransactions: Int
    /// Transactions in those nodes' pools at the end, summed over the nodes.
    public var pooledTransactions: Int
    /// Transactions still in validation (or waiting for a slot) at the end, on those nodes.
    public var validationsInProgress: Int
    /// Transactions a pool refused, and messages ignored because a validation queue was full.
    public var poolRefusals: Int
    /// Messages ignored because the node's validation queue was full
    /// (``AztecNetworkSimulation/validationsDropped``).
    public var validationsDropped: Int
    /// Frames dropped at a full per-connection queue (each a slow-peer penalty).
    public var framesDropped: Int
    /// Connections nodes dropped to replace a peer that kept them out of a short mesh with a
    /// PRUNE backoff (``AztecNetworkSimulation/meshRotations``).
    public var meshRotations: Int
    /// Forwards dropped unsent for waiting past `gossip.forwardExpiryMilliseconds`, and queued
    /// copies an IDONTWANT cancelled.
    public var framesExpired: Int
    /// Queued message frames an IDONTWANT from the receiving peer cancelled before they were sent.
    public var idontwantCancelledFrames: Int
    /// Penalties honest nodes gave honest peers, by reason (`PenaltyReason`), and honest peers
    /// they banned, by the banned peer's bandwidth class: the defences' false positives.
    public var honestPenalties: [String: Int]
    /// Penalties honest nodes gave attackers, by reason (`PenaltyReason`): the defences at work.
    public var attackerPenalties: [String: Int]
    /// Honest peers honest nodes banned, keyed by the banned peer's bandwidth class name (every
    /// class listed, 0 included).
    public var honestPeersBanned: [String: Int]
    /// The same bans keyed by the bandwidth class of the honest node that banned (every class
    /// listed): a saturated node that blames its peers for its own backlog shows here.
    public var honestPeersBannedBy: [String: Int]
    /// The `spam` attack's figures (``SpamSettings``), when attackers ran.
    public var spam: SpamReport?
    /// The `censor` attack's figures (``CensorSettings``), when attackers ran.
    public var censor: CensorReport?
    /// The `eclipse` attack's figures.
    public var eclipse: EclipseReport?
    /// The discovery flood's figures (``FloodSettings``).
    public var flood: FloodReport?
    /// Events the run processed (``AztecNetworkSimulation/eventsProcessed``).
    public var events: Int
    /// The run's ``TraceHash`` as 16 hex digits: the same scenario and seed give the same value on
    /// any machine, so it tells whether a change altered what the run did.
    public var traceHash: String

    init(simulation s: AztecNetworkSimulation) {
        scenario = s.scenario.name
        nodes = s.scenario.nodes
        seed = s.scenario.seed
        joinMode = s.scenario.join.mode.rawValue
        published = s.publishedAt.count - s.unpublished
        unpublished = s.unpublished
        func ms(_ t: SimulatedInstant) -> Double { Double(t.nanoseconds) / 1e6 }

        // Expected deliveries.
        // Honest nodes only: attackers (``SpamSettings``, ``CensorSettings``) are not the network's users.
        let survivors = s.nodes.indices.filter { s.nodes[$0].role == .aztec && !s.nodes[$0].isAttacker && s.nodes[$0].diedAt == nil }
        var expected = 0, got = 0, complete = 0
        var publishedAfterKill = 0, completeAfterKill = 0
        var last = LatencyHistogram()
        for tx in s.publishedAt.indices where s.publisher[tx] >= 0 {
            var all = true
            for node in survivors {
                guard let ready = s.nodes[node].readyAt, ready <= s.publishedAt[tx] else { continue }
                expected += 1
                if s.hasDelivered(tx, at: node) { got += 1 } else { all = false }
            }
            if all { complete += 1 }
            if let killed = s.killedAt, s.publishedAt[tx] >= killed {
                publishedAfterKill += 1
                if all { completeAfterKill += 1 }
            }
            last.record(s.lastDelivery[tx] - s.publishedAt[tx])
        }
        expectedDeliveries = expected
        deliveredExpected = got
        reachedEveryExpectingNode = complete
        if s.killedAt != nil {
            afterKill = AfterKill(published: publishedAfterKill, reachedEverySurvivor: completeAfterKill)
        }
        deliveryRatio = expected == 0 ? 1 : Double(got) / Double(expected)
        latencyP50Milliseconds = ms(s.latencies.percentile(0.5))
        latencyP90Milliseconds = ms(s.latencies.percentile(0.9))
        latencyP99Milliseconds = ms(s.latencies.percentile(0.99))
        lastNodeP50Milliseconds = ms(last.percentile(0.5))
        lastNodeP99Milliseconds = ms(last.percentile(0.99))
        lastNodeMaxMilliseconds = ms(last.maximum)

        let rows = s.nodeRows()
        let measured = rows.filter { $0.role == "aztec" && $0.ranThroughout }
        uploadBytesPerSecond = Self.spread(measured.map(\.uploadBytesPerSecond))
        downloadBytesPerSecond = Self.spread(measured.map(\.downloadBytesPerSecond))
        uniquePayloadBytesPerSecond = s.scenario.transactionsPerSecond * Double(s.scenario.transactionBytes)
        bandwidthClasses = s.scenario.network.bandwidthClasses.indices.map { link in
            let name = s.scenario.network.bandwidthClasses[link].name
            let members = measured.filter { $0.bandwidthClass == name }
            let divisor = Double(max(members.count, 1))
            return ClassRow(name: name, nodes: members.count,
                            latencyP50Milliseconds: ms(s.latenciesByClass[link].percentile(0.5)),
                            latencyP99Milliseconds: ms(s.latenciesByClass[link].percentile(0.99)),
                            uploadBytesPerSecondMean: members.map(\.uploadBytesPerSecond).reduce(0, +) / divisor,
                            downloadBytesPerSecondMean: members.map(\.downloadBytesPerSecond).reduce(0, +) / divisor)
        }
        let degrees = s.nodes.filter { $0.alive && $0.role == .aztec && !$0.isAttacker }.map(\.meshDegree)
        meshDegrees = (0...(degrees.max() ?? 0)).map { k in degrees.filter { $0 == k }.count }

        let target = 0.99 * Double(s.scenario.nodes - s.nodes.prefix(s.scenario.nodes).filter(\.isAttacker).count)
        meshReadySeconds = s.samples.first { Double($0.meshReady) >= target }.map { Double($0.second) }
        if let killed = s.killedAt {
            // From a second after the kill: by then every peer has learned of the deaths (one
            // one-way latency), so the sample shows the meshes the survivors are left with.
            func secondsUntilReady(share: Double) -> Double? {
                s.samples.first { Double($0.second) >= killed.seconds + 1 && Double($0.meshReady) >= share * Double($0.nodes) }
                    .map { Double($0.second) - killed.seconds }
            }
            meshRecoverySeconds = secondsUntilReady(share: 0.99)
            if let before = s.samples.last(where: { Double($0.second) < killed.seconds && $0.nodes > 0 }) {
                let share = min(0.99, Double(before.meshReady) / Double(before.nodes))
                meshReadyShareBeforeKill = share
                meshRecoveryToPreKillShareSeconds = secondsUntilReady(share: share)
            }
        }
        let boots = s.nodes.indices.filter { s.nodes[$0].role == .bootnode }
        if !boots.isEmpty {
            let packets = boots.map { s.bootnodePacketsReceived[$0] ?? 0 }
            bootnodes = BootnodeLoad(packetsReceivedMean: Double(packets.reduce(0, +)) / Double(boots.count),
                                     packetsReceivedMax: packets.max() ?? 0,
                                     bytesReceivedMax: boots.map { s.links.traffic(of: $0).received }.max() ?? 0,
                                     bytesSentMax: boots.map { s.links.traffic(of: $0).sent }.max() ?? 0)
        }
        receivedTransactions = survivors.reduce(0) { sum, node in sum + s.delivered[node].reduce(0) { $0 + $1.nonzeroBitCount } }
        pooledTransactions = survivors.reduce(0) { $0 + (s.nodes[$1].pool?.count ?? 0) }
        validationsInProgress = survivors.reduce(0) { $0 + s.nodes[$1].validating + s.nodes[$1].waitingCount }
        poolRefusals = s.poolRefusals
        validationsDropped = s.validationsDropped
        framesDropped = s.framesDropped
        meshRotations = s.meshRotations
        framesExpired = s.framesExpired
        idontwantCancelledFrames = s.idontwantCancelledFrames
        honestPenalties = Dictionary(uniqueKeysWithValues: s.honestPenalties.map { ("\($0.key)", $0.value) })
        attackerPenalties = Dictionary(uniqueKeysWithValues: s.attackerPenalties.map { ("\($0.key)", $0.value) })
        honestPeersBanned = Dictionary(uniqueKeysWithValues: s.scenario.network.bandwidthClasses.indices.map {
            (s.scenario.network.bandwidthClasses[$0].name, s.honestBansByClass[$0])
        })
        honestPeersBannedBy = Dictionary(uniqueKeysWithValues: s.scenario.network.bandwidthClasses.indices.map {
            (s.scenario.network.bandwidthClasses[$0].name, s.honestBansByBannerClass[$0])
        })
        if s.scenario.join.mode == .discovery { join = JoinReport(simulation: s) }
        if s.usesPreambles {
            preamble = PreambleReport(preamblesSent: s.preamblesSent, imReceivingSent: s.imReceivingSent,
                                      imReceivingCancelledFrames: s.imReceivingCancelledFrames)
        }
        if s.scenario.gossip.announce == true { announce = AnnounceReport(iannounceSent: s.iannounceSent, ineedSent: s.ineedSent) }
        if s.holdsForwards {
            heldForwards = s.nodes.reduce(into: HeldForwardCounts()) { total, node in
                guard let counts = node.router?.heldForwardCounts else { return }
                total.held += counts.held
                total.sent += counts.sent
                total.dropped += counts.dropped
            }
        }
        if s.scenario.topics != nil { topics = TopicReport(simulation: s) }
        if s.spam != nil { spam = SpamReport(simulation: s, honest: measured.map(\.node)) }
        if s.scenario.censor != nil { censor = CensorReport(simulation: s) }
        if s.eclipseVictim != nil { eclipse = EclipseReport(simulation: s) }
        if s.scenario.flood != nil { flood = FloodReport(simulation: s) }
        events = s.eventsProcessed
        traceHash = s.trace.description
    }

    static func spread(_ values: [Double]) -> Spread {
        guard !values.isEmpty else { return Spread(mean: 0, p50: 0, p99: 0, max: 0) }
        let sorted = values.sorted()
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)] }
        // Summed in sorted order: the same values give the same mean whatever order they came in.
        return Spread(mean: sorted.reduce(0, +) / Double(values.count), p50: at(0.5), p99: at(0.99), max: sorted[sorted.count - 1])
    }
}

extension AztecNetworkSimulation {
    /// A transaction a node expected and did not get.
    public struct MissedDelivery: Hashable, Sendable, Codable {
        /// The transaction's index, in publication order from 0.
        public var transaction: Int
        /// The honest node that expected it, by index (the scenario's Aztec nodes are `0..<nodes`).
        public var node: Int
        /// When the transaction was published, in simulated seconds.
        public var publishedSeconds: Double
        /// When the node became ready (a heartbeat left it with a mesh peer), in simulated seconds.
        public var readySeconds: Double
        /// The node's connections when the list was made (at the end of the run).
        public var connections: Int
        /// The node's mesh peers on the Aztec topic when the list was made.
        public var meshDegree: Int
    }

    /// Up to `limit` expected deliveries that did not happen (see ``SimulationReport``).
    public func missedDeliveries(limit: Int = 100) -> [MissedDelivery] {
        var missed: [MissedDelivery] = []
        for tx in publishedAt.indices where publisher[tx] >= 0 {
            for node in nodes.indices where nodes[node].role == .aztec && !nodes[node].isAttacker && nodes[node].diedAt == nil {
                guard let ready = nodes[node].readyAt, ready <= publishedAt[tx], !hasDelivered(tx, at: node) else { continue }
                missed.append(MissedDelivery(transaction: tx, node: node, publishedSeconds: publishedAt[tx].seconds,
                                             readySeconds: ready.seconds, connections: nodes[node].connections.count,
                                             meshDegree: nodes[node].meshDegree))
                if missed.count >= limit { return missed }
            }
        }
        return missed
    }
}

/// How honest Aztec nodes found their peers through discovery: the time from a node's start
/// until it first had its target peer count (``JoinSettings/targetPeers``) of Aztec peers, and
/// the discovery packets it sent until then. Among other networks' discovery nodes
/// (``JoinSettings/otherDiscoveryNodes``) this is what a minority pays to find its own.
public struct JoinReport: Hashable, Sendable, Codable {
    /// Discovery-only nodes of other networks in the run.
    public var otherDiscoveryNodes: Int
    /// Honest Aztec nodes that ran, and of those the ones that reached the target.
    public var nodes: Int
    /// Of those, the nodes that reached the target.
    public var reachedTargetPeers: Int
    /// Seconds from a node's start until it reached the target, over the nodes that did.
    public var seconds: SimulationReport.Spread
    /// Discovery packets a node had sent by then, over the same nodes.
    public var discoveryPackets: SimulationReport.Spread

    init(simulation s: AztecNetworkSimulation) {
        otherDiscoveryNodes = s.nodes.filter { $0.role == .other }.count
        let honest = s.nodes.filter { $0.role == .aztec && !$0.isAttacker && $0.startedAt != nil }
        let joined = honest.filter { $0.joinedAt != nil }
        nodes = honest.count
        reachedTargetPeers = joined.count
        seconds = SimulationReport.spread(joined.map { ($0.joinedAt! - $0.startedAt!).seconds })
        discoveryPackets = SimulationReport.spread(joined.map { Double($0.packetsWhenJoined) })
    }
}

/// What the PREAMBLE / IMRECEIVING extension did in a run.
public struct PreambleReport: Hashable, Sendable, Codable {
    /// Message bodies announced before they were sent.
    public var preamblesSent: Int
    /// IMRECEIVING entries sent (a node telling a mesh peer it is receiving a message elsewhere).
    public var imReceivingSent: Int
    /// Queued copies an IMRECEIVING cancelled before they left.
    public var imReceivingCancelledFrames: Int
}

/// What lazy mesh push (IANNOUNCE / INEED) did in a run.
public struct AnnounceReport: Hashable, Sendable, Codable {
    /// IANNOUNCE entries sent: forwards replaced by the message's id.
    public var iannounceSent: Int
    /// INEED entries sent: announced messages asked for.
    public var ineedSent: Int
}
