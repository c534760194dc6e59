import AztecP2P
import DiscV5
import ENR
import GossipSub
import LibP2PCore
import P2PCrypto

/// An Aztec network in virtual time: every node runs the project's own sans-IO cores, unchanged
/// (`DiscoveryNode` with real packets and cryptography, `PeerDialPlanner`, a
/// `GossipSubRouter` with peer scoring and the node's GossipSub parameters), and every byte
/// they send goes through the ``LinkModel``.
///
/// What is simulated and what is not:
/// - Discovery datagrams are the real encrypted packets, lost with the model's datagram loss.
/// - A dial becomes a connection both ends use after ``JoinSettings/connectionSetupRoundTrips``
///   round trips; the handshake bytes are not charged. A dial to a node that is gone fails after
///   the dial timeout, one to a node at its inbound limit after a round trip.
/// - GossipSub RPCs go from router to router as values, not through the protobuf codec; each is
///   charged on the links for its wire size (``wireSize(of:)``), exact to within a few bytes.
/// - Transactions are real Aztec transactions, Snappy-compressed SSZ as on the topic, with
///   Aztec's message ids; every copy shares one array (`SimulatedTransactions`).
/// - Validation is the node's path: decompression, SSZ decoding and the structural rules (run
///   once per transaction, the same bytes giving the same outcome everywhere), then the proof
///   check's cost, `validationMilliseconds` per transaction with at most `validationConcurrency`
///   at once and at most `TxValidationConfig.maxQueuedValidations` waiting (more are ignored,
///   as the node's validation slots do), then admission into the node's own `TxPool`: the
///   router hears accept when the pool took it, ignore otherwise, reject when decoding or the
///   rules failed. The scenario's own transactions have valid proofs and unspent nullifiers; the
///   invalid ones of a `spam` scenario are judged as `SimulatedSpam` describes.
/// - Every second each node bans the peers its router scores below the graylist threshold, as
///   `PeerBanList` does in the node: disconnected, and refused both ways for 10 minutes.
/// - A killed node's peers learn it one one-way latency later (the kernel closes its sockets).
///
/// Not thread-safe: one simulation runs on one thread (its mutable properties skip the
/// runtime's exclusivity checks, see `SimulatedNode`).
public final class AztecNetworkSimulation {
    /// The GossipSub router each running Aztec node has, its peers named by node index (`IndexedPeer`).
    public typealias Router = GossipSubRouter<IndexedPeer>
    static let aztecTopic = AztecTopic(aztecChainID: 1, messageVersion: 1)
    /// The GossipSub topic the transactions travel on: `/aztec/1/tx/1` (Aztec chain id 1, message
    /// version 1).
    public static let topic = aztecTopic.description
    /// The discv5 topic Aztec nodes advertise and search (``TopicSettings``): their GossipSub topic's name.
    public static let discoveryTopic = TopicID(hashing: topic)

    enum Event {
        case start(Int32)
        case kill(Int32)
        case killShare
        case replace
        case heartbeat(Int32)
        /// The router's own timer (``GossipSubRouter/nextDeadline``): an INEED timing out.
        case routerTimer(Int32)
        case dialTick(Int32)
        case discoveryTimer(Int32)
        case datagramArrives(from: Int32, to: Int32, packet: [UInt8])
        case datagram(from: Int32, to: Int32, packet: [UInt8])
        case dialArrives(from: Int32, to: Int32, sent: SimulatedInstant)
        case connectionUp(from: Int32, to: Int32)
        case dialFailed(from: Int32, to: Int32)
        case peerGone(node: Int32, peer: Int32)
        case rpcArrives(from: Int32, to: Int32, frame: SimulatedFrame)
        case rpc(from: Int32, to: Int32, frame: SimulatedFrame)
        /// A sender waiting on a full window is woken by an acknowledgement (``ConnectionWindow``).
        case windowAcknowledged(node: Int32, peer: Int32)
        case publish(Int32)
        /// An attacker publishes the next invalid transaction (``SpamSettings``).
        case spam(Int32)
        /// A sybil of an `eclipse` scenario dials the victim (``EclipseSettings``).
        case eclipseDial(Int32)
        case validated(node: Int32, id: MessageID)
        case uplinkFree(Int32)
        /// The discovery flood's next batch (``FloodSettings``), and its forged packets on the way.
        case floodTick
        case spoofedArrives(to: Int32, ip: UInt32, packet: [UInt8])
        case spoofed(to: Int32, ip: UInt32, packet: [UInt8])
        case sample
    }

    /// The GossipSub host's per-stream queue bounds (its defaults): 16 MiB of messages, 4 MiB of control.
    static let queuedMessageBytes = 16 << 20
    static let queuedControlBytes = 4 << 20

    /// The scenario this simulation runs, as given to ``init(_:)``.
    public let scenario: SimulationScenario
    /// Lookups started from outside (``startLookup(at:of:)``) not yet finished, and those finished
    /// with what they found.
    @exclusivity(unchecked) var pendingLookups: Set<LookupKey> = []
    @exclusivity(unchecked) var finishedLookups: [LookupKey: [NodeRecord]] = [:]
    /// Topic searches of the Aztec nodes (``TopicSettings``): started, and the Aztec advertisers
    /// each finished one found.
    @exclusivity(unchecked) var topicSearchesStarted = 0
    @exclusivity(unchecked) var topicSearchResults: [Int] = []
    /// Of the advertisers honest searches found, the sybils (``TopicSettings/sybils``).
    @exclusivity(unchecked) var topicSybilsFound = 0
    @exclusivity(unchecked) var nodes: [SimulatedNode] = []
    @exclusivity(unchecked) var links: LinkModel
    @exclusivity(unchecked) var linkLatencies: LatencyTable
    @exclusivity(unchecked) var queue = EventQueue<Event>()
    @exclusivity(unchecked) var rng: SplitMix64
    /// The simulated time: when the last event processed was due, or the end of the last
    /// ``run(until:progress:)``, whichever is later.
    @exclusivity(unchecked) public internal(set) var now = SimulatedInstant.zero
    /// The digest of the events so far; ``SimulationReport/traceHash`` is its value at the end.
    @exclusivity(unchecked) public internal(set) var trace = TraceHash()
    /// Events taken off the queue and handled so far.
    @exclusivity(unchecked) public internal(set) var eventsProcessed = 0

    let gossipConfig: GossipSubConfig
    /// The routers' configuration per bandwidth class: ``gossipConfig`` with the class's mesh
    /// degrees (``SimulationScenario/GossipOverrides/meshByClass``).
    let gossipConfigByClass: [GossipSubConfig]
    /// Inbound connections a node accepts, per bandwidth class (``JoinSettings/maximumInboundPeersByClass``).
    let maximumInboundPeers: [Int]
    let peerScore: PeerScore<IndexedPeer>
    let discoveryConfig: DiscoveryConfig
    let dialSettings: PeerDialSettings
    let meshLow: Int
    @exclusivity(unchecked) var transactions: SimulatedTransactions
    /// The most validations a node keeps waiting for a slot (the node's own bound).
    let maxQueuedValidations = TxValidationConfig.default.maxQueuedValidations
    /// Discovery mode: each node's key, and its libp2p peer id bytes (which end dials first).
    @exclusivity(unchecked) var keys: [Secp256k1.PrivateKey] = []
    @exclusivity(unchecked) var records: [NodeRecord] = []
    @exclusivity(unchecked) var peerIDBytes: [[UInt8]] = []
    @exclusivity(unchecked) var bootRecords: [NodeRecord] = []
    @exclusivity(unchecked) var indexByNodeID: [NodeID: Int32] = [:]
    /// Addresses of nodes placed in shared /24s (``CensorSettings/subnets``), both ways.
    @exclusivity(unchecked) var sharedAddresses: [Int32: [UInt8]] = [:]
    @exclusivity(unchecked) var nodesBySharedAddress: [[UInt8]: Int32] = [:]

    /// Follows one node through the run (``NodeWatch``); set before ``run(progress:)``.
    public var watch: NodeWatch? {
        didSet { watchedNode = watch?.node ?? -1 }
    }
    /// The watched node, -1 for none (read on every RPC).
    @exclusivity(unchecked) var watchedNode = -1
    @exclusivity(unchecked) var watchedMesh: [Int] = []

    // Transactions.
    @exclusivity(unchecked) var transactionIndex: [MessageID: Int] = [:]
    @exclusivity(unchecked) var publishedAt: [SimulatedInstant] = []
    /// The node each transaction was published at; -1 when none could take it.
    @exclusivity(unchecked) var publisher: [Int32] = []
    /// Per node, a bit per transaction: received (or published) it.
    @exclusivity(unchecked) var delivered: [[UInt64]] = []
    @exclusivity(unchecked) var lastDelivery: [SimulatedInstant] = []
    /// Time from a transaction's publication to each receipt at an honest node (the publisher's own
    /// copy not counted), over all transactions.
    @exclusivity(unchecked) public internal(set) var latencies = LatencyHistogram()
    @exclusivity(unchecked) var latenciesByClass: [LatencyHistogram]
    /// Discovery packets each bootnode received (read when the run ends).
    @exclusivity(unchecked) var bootnodePacketsReceived: [Int: Int] = [:]
    /// Transactions not published because no running honest node with a mesh peer was found to take
    /// them (a node refuses submissions without one).
    @exclusivity(unchecked) public internal(set) var unpublished = 0
    /// Messages a node ignored because its validation queue was full.
    @exclusivity(unchecked) public internal(set) var validationsDropped = 0
    /// Transactions a node's pool refused (the router heard ignore).
    @exclusivity(unchecked) public internal(set) var poolRefusals = 0
    /// Frames dropped at a full per-connection queue.
    @exclusivity(unchecked) public internal(set) var framesDropped = 0
    /// Connections dropped by nodes whose dial planner replaced a peer that kept them out of a
    /// short mesh (`PeerDialPlanner.Plan.disconnects`).
    @exclusivity(unchecked) public internal(set) var meshRotations = 0
    /// Penalties honest nodes gave honest peers, by reason, and honest peers they banned, by
    /// the banned peer's bandwidth class: the defences' false positives.
    @exclusivity(unchecked) var honestPenalties: [PenaltyReason: Int] = [:]
    /// Penalties honest nodes gave attackers, by reason.
    @exclusivity(unchecked) var attackerPenalties: [PenaltyReason: Int] = [:]
    @exclusivity(unchecked) var honestBansByClass: [Int] = []
    @exclusivity(unchecked) var honestBansByBannerClass: [Int] = []
    /// Queued message frames IDONTWANT cancelled before they left.
    @exclusivity(unchecked) public internal(set) var idontwantCancelledFrames = 0
    /// Test Extension messages sent on v1.3 connections, and v1.3 extension messages of any kind
    /// sent on older ones (which must never happen).
    @exclusivity(unchecked) public internal(set) var testExtensionMessages = 0
    /// RPCs with a v1.3 extension message sent on connections older than v1.3: a protocol violation
    /// (zero in every correct run).
    @exclusivity(unchecked) public internal(set) var extensionMessagesToOlderPeers = 0
    /// Forwards dropped unsent because they waited past `gossip.forwardExpiryMilliseconds`.
    @exclusivity(unchecked) public internal(set) var framesExpired = 0
    /// PREAMBLE / IMRECEIVING: message bodies announced before they were sent.
    @exclusivity(unchecked) public internal(set) var preamblesSent = 0
    /// PREAMBLE / IMRECEIVING: IMRECEIVING entries sent.
    @exclusivity(unchecked) public internal(set) var imReceivingSent = 0
    /// PREAMBLE / IMRECEIVING: queued message frames an IMRECEIVING cancelled before they left.
    @exclusivity(unchecked) public internal(set) var imReceivingCancelledFrames = 0
    /// Lazy mesh push: IANNOUNCE entries sent (forwards replaced by an id).
    @exclusivity(unchecked) public internal(set) var iannounceSent = 0
    /// Lazy mesh push: the IANNOUNCE entries of ``iannounceSent`` that honest nodes sent.
    @exclusivity(unchecked) var iannounceSentByHonest = 0
    /// Lazy mesh push: INEED entries sent.
    @exclusivity(unchecked) public internal(set) var ineedSent = 0
    /// Message ids honest nodes asked for with IWANT (gossip filling what the mesh did not bring).
    @exclusivity(unchecked) public internal(set) var iwantRequests = 0
    /// Times a router delivered a transaction its node already had: a broken duplicate filter
    /// (zero in every correct run).
    @exclusivity(unchecked) public internal(set) var duplicateDeliveries = 0
    /// RPCs with IDONTWANT sent to a peer that negotiated `/meshsub/1.1.0`: a protocol violation
    /// (zero in every correct run).
    @exclusivity(unchecked) public internal(set) var idontwantsToV11Peers = 0
    /// One row per simulated second (see ``SecondSample``).
    @exclusivity(unchecked) public internal(set) var samples: [SecondSample] = []
    @exclusivity(unchecked) var deliveriesThisSecond = 0
    @exclusivity(unchecked) var trafficAtPublishStart: [(sent: UInt64, received: UInt64)] = []
    @exclusivity(unchecked) var trafficAtPublishEnd: [(sent: UInt64, received: UInt64)] = []
    @exclusivity(unchecked) var killedAt: SimulatedInstant?
    /// The `spam` attack's messages and figures (``SpamSettings``).
    @exclusivity(unchecked) var spam: SimulatedSpam?
    /// Whether ``spam`` is set, read on every RPC (testing the optional copies the whole value).
    @exclusivity(unchecked) var hasSpam = false
    @exclusivity(unchecked) var spamLedger = SpamLedger()
    /// When the censors of a `censor` scenario stop forwarding (``CensorSettings``), and how
    /// honest nodes saw them, a row per simulated second.
    @exclusivity(unchecked) var censorStopsAt = SimulatedInstant(nanoseconds: .max)
    /// One ``CensorSample`` per simulated second of a `censor` scenario; empty in other scenarios.
    @exclusivity(unchecked) public internal(set) var censorSamples: [CensorSample] = []
    /// The censors when they claim every message (``CensorSettings/claimsEveryMessage``), the
    /// messages claimed so far, and the IDONTWANTs they sent.
    @exclusivity(unchecked) var claimants: [Int] = []
    @exclusivity(unchecked) var claimedMessages: Set<MessageID> = []
    @exclusivity(unchecked) var falseIDontWants = 0
    /// The victim of an `eclipse` scenario, and how its peers looked, a row per simulated second.
    @exclusivity(unchecked) var eclipseVictim: Int?
    /// `eclipse` through discovery: the sybils' and victim's records the sybils start from, and
    /// the victim's dials (all, and to sybils).
    @exclusivity(unchecked) var eclipseThroughDiscovery = false
    @exclusivity(unchecked) var eclipseSeeds: [NodeRecord] = []
    @exclusivity(unchecked) var victimDials = 0
    @exclusivity(unchecked) var victimSybilDials = 0
    /// One ``EclipseSample`` per simulated second of an `eclipse` scenario; empty in other scenarios.
    @exclusivity(unchecked) public internal(set) var eclipseSamples: [EclipseSample] = []
    /// The discovery flood's counters (``FloodSettings``).
    @exclusivity(unchecked) var flood = FloodLedger()

    /// Prepares a run of `scenario`: places the nodes, makes their identities and schedules their
    /// starts, the publications and the attacks. No event is processed before ``run(progress:)``.
    ///
    /// - Throws: ``SimulationError`` when ``SimulationScenario/problem`` names one, when the nodes do
    ///   not fit the simulated address space, or when the gossip parameters are invalid.
    public init(_ scenario: SimulationScenario) throws(SimulationError) {
        if let problem = scenario.problem { throw SimulationError(problem) }
        self.scenario = scenario
        queuePolicy = Self.queuePolicy(for: scenario)
        usesPreambles = scenario.gossip.preamble == true
        hasV11Nodes = (scenario.gossip.v11Share ?? 0) > 0
        usesAnnounce = scenario.gossip.announce == true
        controlFirst = scenario.network.controlFirst
        rng = SplitMix64(seed: scenario.seed)
        latenciesByClass = Array(repeating: LatencyHistogram(), count: scenario.network.bandwidthClasses.count)
        honestBansByClass = Array(repeating: 0, count: scenario.network.bandwidthClasses.count)
        honestBansByBannerClass = honestBansByClass
        let join = scenario.join
        let bootnodes = join.mode == .discovery ? join.bootnodes : 0
        let others = join.mode == .discovery ? join.otherDiscoveryNodes : 0
        let flooders = scenario.flood?.identities ?? 0
        let total = scenario.nodes + bootnodes + others + flooders
        guard total < SimulatedAddressing.capacity / 2 else { throw SimulationError("too many nodes") }

        let count = Int((scenario.publishSeconds * scenario.transactionsPerSecond).rounded(.down))
        var limits = TxLimits.default
        limits.maxTransactionBytes = max(limits.maxTransactionBytes, scenario.transactionBytes + 4096)
        transactions = SimulatedTransactions(count: count, bytes: scenario.transactionBytes, seed: scenario.seed, limits: limits)
        let parameters = Self.parameters(scenario, messageID: transactions.messageIDFunction,
                                         maxMessageBytes: limits.maxMessageBytes)
        meshLow = parameters.dLow
        holdsForwards = parameters.forwardHold.isEnabled
        do {
            let config = try GossipSubConfig(validating: parameters)
            gossipConfig = config
            gossipConfigByClass = try scenario.network.bandwidthClasses.map { link in
                guard let mesh = scenario.gossip.meshByClass?[link.name] else { return config }
                var p = parameters
                Self.setMeshDegrees(d: mesh.d, dLow: mesh.dLow, dHigh: mesh.dHigh, dScore: mesh.dScore, in: &p)
                return try GossipSubConfig(validating: p)
            }
            var scoreParameters = AztecGossipParameters.peerScore
            scoreParameters.topics[Self.topic] = AztecGossipParameters.topicScore
            peerScore = try PeerScore<IndexedPeer>(parameters: scoreParameters)
        } catch {
            throw SimulationError("gossip parameters: \(error)")
        }
        maximumInboundPeers = scenario.network.bandwidthClasses.map {
            scenario.join.maximumInboundPeersByClass?[$0.name] ?? scenario.join.maximumInboundPeers
        }
        var discovery = DiscoveryConfig()
        let network = AztecPeerFilter(aztecChainID: 1, ethereumChainID: 1)
        discovery.filter = PeerFilter { network.isOnNetwork($0) }
        // A record is decoded and its signature checked once for all nodes (every node would
        // reach the same verdict); each node keeps its own cache in front of the shared one.
        discovery.session.sharedRecords = SharedRecordCache(capacity: max(4_096, 4 * total))
        if let topics = scenario.topics {
            var registrar = TopicRegistrarConfig()
            registrar.adLifetime = .seconds(topics.adLifetimeSeconds)
            registrar.admissionControl = topics.admissionControl
            discovery.topicRegistrar = registrar
        }
        discoveryConfig = discovery
        dialSettings = PeerDialSettings(targetPeerCount: join.targetPeers, meshTopUp: join.meshTopUp,
                                        minimumOutboundPeers: join.minimumOutboundPeers)

        let (regions, classes) = scenario.network.place(total, using: &rng)
        links = LinkModel(bandwidths: classes.map { scenario.network.bandwidthClasses[$0].bandwidth })
        linkLatencies = LatencyTable(model: scenario.network)
        nodes.reserveCapacity(total)
        for index in 0..<total {
            let role: SimulatedNode.Role = index < scenario.nodes ? .aztec : index < scenario.nodes + bootnodes ? .bootnode
                : index < total - flooders ? .other : .flooder
            nodes.append(SimulatedNode(role: role, region: regions[index],
                                       bandwidthClass: classes[index], dialSettings: dialSettings))
            linkLatencies.addNode(region: regions[index])
        }
        for index in 0..<scenario.nodes { drawGossipProtocol(index) }
        for index in (scenario.nodes + bootnodes..<total - flooders).prefix(scenario.topics?.sybils ?? 0) {
            nodes[index].isTopicSybil = true
        }
        delivered = Array(repeating: [], count: total)
        if join.mode == .discovery {
            for index in 0..<total { try makeIdentity(index) }
            if let subnets = scenario.topics?.sybilSubnets {
                try moveToSharedSubnets(nodes.indices.filter { nodes[$0].isTopicSybil }, subnets: subnets)
            }
            bootRecords = Array(records[scenario.nodes..<scenario.nodes + bootnodes])
            for boot in scenario.nodes..<scenario.nodes + bootnodes { queue.push(.start(Int32(boot)), at: .zero) }
            for node in Array(0..<scenario.nodes) + Array(scenario.nodes + bootnodes..<total - flooders) {
                let offset = Double(rng.next() >> 11) / Double(1 << 53) * join.startWithinSeconds
                queue.push(.start(Int32(node)), at: .seconds(offset))
            }
        } else {
            for node in 0..<scenario.nodes { start(node) }
            connectStatically()
            // The node's checks every dial interval (bans; there is nothing to dial), spread evenly.
            for node in 0..<scenario.nodes {
                queue.push(.dialTick(Int32(node)), at: SimulatedInstant(dialSettings.dialInterval * (Double(node) / Double(scenario.nodes))))
            }
        }
        if let churn = scenario.churn {
            if churn.killShare > 0 { queue.push(.killShare, at: .seconds(churn.killAtSeconds)) }
            if churn.replacedPerMinute > 0 {
                queue.push(.replace, at: .seconds(churn.replaceFromSeconds) + replacementInterval(churn))
            }
        }
        for (tx, id) in transactions.ids.enumerated() { transactionIndex[id] = tx }
        let start = SimulatedInstant.seconds(scenario.warmupSeconds)
        for tx in stride(from: 0, to: count, by: scenario.transactionsPerPublish) {
            queue.push(.publish(Int32(tx)), at: start + .seconds(Double(tx) / scenario.transactionsPerSecond))
        }
        publishedAt.reserveCapacity(count)
        queue.push(.sample, at: .seconds(1))
        if let settings = scenario.spam { prepareSpam(settings, limits: limits) }
        if let settings = scenario.censor { try prepareCensors(settings) }
        if let settings = scenario.eclipse { prepareEclipse(settings) }
        if let settings = scenario.flood { prepareFlood(settings) }
    }

    /// The node's GossipSub parameters (``AztecGossipParameters``) with the scenario's changes and
    /// Aztec's message ids computed once per transaction.
    static func parameters(_ scenario: SimulationScenario, messageID: MessageIDFunction,
                           maxMessageBytes: Int) -> GossipSubConfig.Parameters {
        var p = AztecGossipParameters.router(topic: aztecTopic, maxMessageBytes: maxMessageBytes)
        p.messageIDFunction = messageID
        let o = scenario.gossip
        setMeshDegrees(d: o.d, dLow: o.dLow, dHigh: o.dHigh, dScore: o.dScore, in: &p)
        if let limit = o.inboundGraftLimit { p.inboundGraftLimit = limit }
        if let keeps = o.keepsFreshGrafts { p.keepsFreshGrafts = keeps }
        if let dOut = o.dOut { p.dOut = dOut }
        if let ms = o.heartbeatMilliseconds { p.heartbeatInterval = .milliseconds(ms) }
        if let flood = o.floodPublish { p.floodPublish = flood }
        if o.idontwant == false { p.idontwantMessageSizeThreshold = Int.max }
        if let onPublish = o.idontwantOnPublish { p.idontwantOnPublish = onPublish }
        if let window = o.gossipWindowOnGraft { p.gossipWindowOnGraft = window }
        if let refused = o.gossipToRefusedPeers { p.gossipToRefusedPeers = refused }
        if let expired = o.gossipExpiredForwards { p.gossipExpiredForwards = expired }
        if let drained = o.gossipExpiredForwardsOnceDrained { p.gossipExpiredForwardsOnceDrained = drained }
        // Every router advertises it; only v1.3 connections (both ends v1.3) carry it.
        if (o.v13Share ?? 0) > 0 { p.extensions.testExtension = true }
        if o.preamble == true { p.extensions.preamble = true }
        if o.announce == true { p.extensions.announce = true }
        if let dAnnounce = o.dAnnounce { p.announce.dAnnounce = dAnnounce }
        if let slope = o.announceSpreadSlope { p.announce.spreadSlope = slope }
        if let choice = o.announceChoice { p.announce.choice = choice }
        if let far = o.announceBodiesBeyondMilliseconds { p.announce.bodiesBeyondRoundTrip = .milliseconds(far) }
        if let claims = o.announceClaimsPerCopy { p.announce.claimsPerCopy = claims }
        if let ms = o.announceNeedTimeoutMilliseconds { p.announce.ineedTimeout = .milliseconds(ms) }
        if let ms = o.announceNeedTimeoutCeilingMilliseconds { p.announce.ineedTimeoutCeiling = .milliseconds(ms) }
        if let ms = o.forwardHoldMilliseconds { p.forwardHold.delay = .milliseconds(ms) }
        if let slope = o.forwardHoldSpreadSlope { p.forwardHold.spreadSlope = slope }
        if let length = o.maxIHaveLength { p.maxIHaveLength = length }
        if let ms = o.iwantFollowupMilliseconds { p.iwantFollowupTime = .milliseconds(ms) }
        return p
    }

    /// Sets the mesh degrees a scenario gives, as the node's settings do
    /// (`AztecGossipParameters.setMeshDegrees(d:dLow:dHigh:dOut:in:)`), and `D_score`.
    static func setMeshDegrees(d: Int?, dLow: Int?, dHigh: Int?, dScore: Int?, in p: inout GossipSubConfig.Parameters) {
        AztecGossipParameters.setMeshDegrees(d: d, dLow: dLow, dHigh: dHigh, in: &p)
        if let dScore { p.dScore = dScore }
    }

    var endOfRun: SimulatedInstant { .seconds(scenario.durationSeconds) }

    /// Runs the scenario to its end and reports.
    public func run(progress: ((SimulatedInstant, Int) -> Void)? = nil) -> SimulationReport {
        let publishStart = SimulatedInstant.seconds(scenario.warmupSeconds)
        let publishEnd = SimulatedInstant.seconds(scenario.warmupSeconds + scenario.publishSeconds)
        run(until: publishStart, progress: progress)
        trafficAtPublishStart = (0..<nodes.count).map { links.traffic(of: $0) }
        run(until: publishEnd, progress: progress)
        trafficAtPublishEnd = (0..<nodes.count).map { links.traffic(of: $0) }
        run(until: endOfRun, progress: progress)
        for index in nodes.indices where nodes[index].role == .bootnode {
            bootnodePacketsReceived[index] = nodes[index].discovery?.statistics.packetsReceived ?? 0
        }
        return SimulationReport(simulation: self)
    }

    /// Processes every event due at or before `end`.
    public func run(until end: SimulatedInstant, progress: ((SimulatedInstant, Int) -> Void)? = nil) {
        run(until: end, progress: progress, stopWhen: nil)
    }

    /// Processes every event due at or before `end`, or until `done` holds after an event.
    /// - Returns: whether it stopped because `done` held.
    @discardableResult
    func run(until end: SimulatedInstant, progress: ((SimulatedInstant, Int) -> Void)? = nil, stopWhen done: (() -> Bool)?) -> Bool {
        var nextProgress = now + .seconds(1)
        while let (time, event) = queue.pop(notAfter: end) {
            now = time
            eventsProcessed += 1
            handle(event)
            if let done, done() { return true }
            if let progress, now >= nextProgress {
                progress(now, eventsProcessed)
                nextProgress = now + .seconds(1)
            }
        }
        now = max(now, end)
        return false
    }

    func handle(_ event: Event) {
        switch event {
        case .start(let node): start(Int(node))
        case .kill(let node): kill(Int(node))
        case .killShare: killShare()
        case .replace: replace()
        case .heartbeat(let node): heartbeat(Int(node))
        case .routerTimer(let node): routerTimer(Int(node))
        case .dialTick(let node): dialTick(Int(node))
        case .discoveryTimer(let node): discoveryTimer(Int(node))
        case .datagramArrives(let from, let to, let packet):
            let done = links.receive(bytes: packet.count, at: Int(to), now: now)
            queue.push(.datagram(from: from, to: to, packet: packet), at: done)
        case .datagram(let from, let to, let packet): datagram(packet, from: Int(from), to: Int(to))
        case .dialArrives(let from, let to, let sent): dialArrives(from: Int(from), to: Int(to), sent: sent)
        case .connectionUp(let from, let to): connectionUp(from: Int(from), to: Int(to))
        case .dialFailed(let from, let to): dialFinished(Int(from), peer: Int(to), connected: false)
        case .peerGone(let node, let peer): disconnect(Int(node), from: Int(peer))
        case .rpcArrives(let from, let to, let frame):
            guard nodes[Int(to)].alive else { return }
            let done = links.receive(bytes: frame.bytes, at: Int(to), now: now)
            queue.push(.rpc(from: from, to: to, frame: frame), at: done)
        case .rpc(let from, let to, let frame):
            // The acknowledgement's way back to the sender.
            let acknowledged = now + latency(Int(to), Int(from))
            if nodes[Int(from)].alive, let wake = nodes[Int(from)].links[to]?.window.acknowledge(frame.bytes, at: acknowledged) {
                queue.push(.windowAcknowledged(node: from, peer: to), at: wake)
            }
            receive(frame.rpc, from: Int(from), at: Int(to))
        case .windowAcknowledged(let node, let peer):
            let index = Int(node)
            guard nodes[index].alive, let link = nodes[index].links[peer], link.window.wakeAt == now else { return }
            link.window.wakeAt = nil
            link.window.blocked = false
            transmitNext(index)
        case .publish(let tx): publish(Int(tx))
        case .spam: publishSpam()
        case .eclipseDial(let sybil): eclipseDial(Int(sybil))
        case .validated(let node, let id): validated(Int(node), id)
        case .uplinkFree(let node):
            guard nodes[Int(node)].uplinkWakeAt == now else { return }
            nodes[Int(node)].uplinkWakeAt = nil
            transmitNext(Int(node))
        case .floodTick: floodTick()
        case .spoofedArrives(let to, let ip, let packet):
            let done = links.receive(bytes: packet.count, at: Int(to), now: now)
            queue.push(.spoofed(to: to, ip: ip, packet: packet), at: done)
        case .spoofed(let to, let ip, let packet): spoofedPacket(packet, ip: ip, at: Int(to))
        case .sample: sample()
        }
    }

    /// One-way latency between two nodes, with jitter.
    func latency(_ a: Int, _ b: Int) -> SimulatedInstant {
        linkLatencies.latency(a, b, using: &rng)
    }

    func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }

    // MARK: Life cycle

    func start(_ index: Int) {
        guard !nodes[index].alive, nodes[index].diedAt == nil else { return }
        nodes[index].alive = true
        nodes[index].startedAt = now
        trace.mix(0x5747 << 32 | UInt64(index))
        if index == watchedNode {
            noteWatched("started: \(scenario.network.regions.names[nodes[index].region]), \(scenario.network.bandwidthClasses[nodes[index].bandwidthClass].name)")
        }
        if nodes[index].role == .flooder { return startFlooder(index) }
        if nodes[index].role == .aztec {
            var router = Router(config: gossipConfigByClass[nodes[index].bandwidthClass],
                                seed: scenario.seed &* 1_000_003 &+ UInt64(index), scoring: peerScore)
            nodes[index].pool = TxPool()
            let actions = router.subscribe(Self.topic, now: now.sinceStart)
            nodes[index].router = router
            nodes[index].sampledMeshChanges = MeshChangeCounts()
            apply(index, actions)
            // The first heartbeat and dial check come at a random point of their interval.
            let interval = SimulatedInstant(gossipConfig.parameters.heartbeatInterval)
            queue.push(.heartbeat(Int32(index)), at: now + SimulatedInstant(nanoseconds: Int64(uniform() * Double(interval.nanoseconds))))
        }
        if index == eclipseVictim { victimStarted() }
        if scenario.join.mode == .discovery {
            do {
                var discovery = try DiscoveryNode(key: keys[index], record: records[index], config: discoveryConfig)
                discovery.addSeeds(eclipseThroughDiscovery && nodes[index].isAttacker ? eclipseSeeds : bootRecords)
                nodes[index].discovery = discovery
            } catch {
                trace.mix(0xBAD)
                return
            }
            let actions = nodes[index].discovery!.start(now: now.sinceStart, using: &rng)
            applyDiscovery(index, actions)
            if let topics = scenario.topics,
               topics.advertise && nodes[index].role == .aztec && !nodes[index].isAttacker || nodes[index].isTopicSybil {
                let settings = nodes[index].isTopicSybil ? topics.sybilAdvertiser : TopicAdvertiser.Settings()
                let (_, placing) = nodes[index].discovery!.advertiseTopic(Self.discoveryTopic, settings: settings, now: now.sinceStart,
                                                                          using: &rng)
                applyDiscovery(index, placing)
            }
            if nodes[index].role == .aztec { queue.push(.dialTick(Int32(index)), at: now + .milliseconds(1 + uniform() * 999)) }
        }
    }

    /// Whether a new Aztec node speaks only `/meshsub/1.1.0`, or `/meshsub/1.3.0` (one draw,
    /// and only when the scenario asks for such nodes, so other scenarios keep their traces).
    func drawGossipProtocol(_ index: Int) {
        let v11 = scenario.gossip.v11Share ?? 0, v13 = scenario.gossip.v13Share ?? 0
        guard v11 > 0 || v13 > 0, nodes[index].role == .aztec else { return }
        let draw = uniform()
        if draw < v11 { nodes[index].gossipProtocol = .meshsub11 } else if draw < v11 + v13 { nodes[index].gossipProtocol = .meshsub13 }
    }

    func kill(_ index: Int) {
        guard nodes[index].alive else { return }
        nodes[index].alive = false
        nodes[index].diedAt = now
        trace.mix(0xDEAD << 32 | UInt64(index))
        if index == watchedNode { noteWatched("killed") }
        for peer in nodes[index].connections.keys.sorted() {
            queue.push(.peerGone(node: peer, peer: Int32(index)), at: now + latency(index, Int(peer)))
        }
        nodes[index].connections = [:]
        nodes[index].links = [:]
        nodes[index].sendTurns = []
        nodes[index].router = nil
        nodes[index].pool = nil
        nodes[index].discovery = nil
        nodes[index].waiting = []
    }

    // MARK: Gossip

    func heartbeat(_ index: Int) {
        // The cores are mutated in place (`router!`): copying a router out and back retains
        // every one of its tables, which was a fifth of the run time.
        guard nodes[index].hasRouter else { return }
        if !nodes[index].peersWithExpiredForwards.isEmpty { announceExpiredForwards(index) }
        let actions = nodes[index].router!.heartbeat(now: now.sinceStart)
        let next = SimulatedInstant(nodes[index].readRouter { $0.nextHeartbeat(after: now.sinceStart) })
        if nodes[index].readyAt == nil, nodes[index].meshDegree > 0 {
            nodes[index].readyAt = now
            if index == watchedNode { noteWatched("ready") }
        }
        if index == watchedNode { noteMeshForWatch(index) }
        apply(index, actions)
        queue.push(.heartbeat(Int32(index)), at: next)
    }

    /// As the host does at each heartbeat: forwards that expired in a peer's send queue are
    /// announced to the peer (`GossipSubRouter.forwardsExpired(_:to:now:)`), by default once that
    /// queue has drained (peers whose queue has not stay for the next heartbeat).
    func announceExpiredForwards(_ index: Int) {
        let peers = nodes[index].peersWithExpiredForwards.sorted()
        let onceDrained = nodes[index].readRouter { $0.config.parameters.gossipExpiredForwardsOnceDrained }
        nodes[index].peersWithExpiredForwards = []
        for peer in peers {
            guard let link = nodes[index].links[peer] else { continue }
            let ids = link.queue.takeExpiredMessageIDs(onceDrained: onceDrained)
            if ids.isEmpty {
                if link.queue.hasExpiredMessageIDs { nodes[index].peersWithExpiredForwards.append(peer) }
                continue
            }
            apply(index, nodes[index].router!.forwardsExpired(ids, to: IndexedPeer(Int(peer)), now: now.sinceStart))
        }
    }

    /// Schedules node `index`'s router timer if the router wants to be called before the time
    /// already scheduled (only lazy mesh push and held forwards set one).
    func scheduleRouterTimer(_ index: Int) {
        // A mutating read: the router is not copied (a read of a struct held in a class is).
        guard let deadline = nodes[index].router?.nextDeadline,
              let time = timerTime(for: deadline, scheduled: &nodes[index].routerDeadline) else { return }
        queue.push(.routerTimer(Int32(index)), at: time)
    }

    func routerTimer(_ index: Int) {
        guard nodes[index].alive, nodes[index].routerDeadline == now, nodes[index].hasRouter else { return }
        nodes[index].routerDeadline = nil
        apply(index, nodes[index].router!.handleTimeout(now: now.sinceStart))
    }

    func receive(_ rpc: RPC, from: Int, at index: Int) {
        if watches(from, index) { noteWatched("\(from) -> \(index) arrived: " + describeForWatch(rpc)) }
        guard nodes[index].alive, nodes[index].connections[Int32(from)] != nil, nodes[index].hasRouter else { return }
        trace.mix(UInt64(now.nanoseconds) ^ UInt64(from) << 40 ^ UInt64(index) << 20)
        if let idontwant = rpc.control?.idontwant, !idontwant.isEmpty, let link = nodes[index].links[Int32(from)],
           link.queue.messageBytes > 0 {
            // As the host does: copies still waiting for this peer are not sent.
            let cancelled = link.queue.cancel(Set(idontwant.flatMap(\.messageIDs))).frames
            idontwantCancelledFrames += cancelled
            if cancelled > 0, watches(from, index) { noteWatched("\(index) -> \(from): \(cancelled) queued frames cancelled by IDONTWANT") }
        }
        if let receiving = rpc.preambleExtension?.imReceiving, !receiving.isEmpty,
           nodes[index].readRouter({ $0.usesPreamble(with: IndexedPeer(from)) }) {
            // Copies still waiting for a peer that is receiving the message elsewhere are not sent.
            let cancelled = nodes[index].links[Int32(from)]?.queue.cancel(Set(receiving.map(\.messageID))).frames ?? 0
            imReceivingCancelledFrames += cancelled
            if cancelled > 0, watches(from, index) { noteWatched("\(index) -> \(from): \(cancelled) queued frames cancelled by IMRECEIVING") }
        }
        if hasSpam, !rpc.publish.isEmpty, nodes[from].isSpammer, !nodes[index].isAttacker {
            noteSpam(in: rpc, from: from, at: index)
        }
        let actions = nodes[index].router!.rpcReceived(rpc, from: IndexedPeer(from), now: now.sinceStart)
        // The only messages an incoming RPC makes the router send are answers to IWANT.
        apply(index, actions, lane: .reply)
    }

    /// Publishes transaction `first` and the `transactionsPerPublish - 1` after it (if any) from
    /// one random running node with a peer on the topic (a node refuses submissions without one;
    /// among other networks' discovery nodes, proportionally more draws).
    func publish(_ first: Int) {
        let txs = first..<min(first + scenario.transactionsPerPublish, transactions.payloads.count)
        var publisher: Int?
        for _ in 0..<32 * max(1, nodes.count / max(1, scenario.nodes)) {
            let candidate = Int(rng.next() % UInt64(nodes.count))
            if nodes[candidate].alive, nodes[candidate].role == .aztec, !nodes[candidate].isAttacker, nodes[candidate].meshDegree > 0 {
                publisher = candidate
                break
            }
        }
        for _ in txs {
            publishedAt.append(now)
            lastDelivery.append(now)
            self.publisher.append(Int32(publisher ?? -1))
        }
        guard let node = publisher else {
            unpublished += txs.count
            return
        }
        for tx in txs {
            trace.mix(UInt64(tx) << 32 | UInt64(node))
            markDelivered(tx, at: node)
            if node == watchedNode { noteWatched("published t\(tx)") }
            // As the node's JSON-RPC submission: validated and pooled before it is published.
            if case .success(let decoded) = transactions.decoded(tx) { _ = admit(decoded, at: node) }
        }
        do {
            if txs.count > 1, scenario.gossip.batchPublishing == true {
                let (_, tagged) = try nodes[node].router!.publishBatch(topic: Self.topic, data: txs.map { transactions.payloads[$0] },
                                                                       now: now.sinceStart)
                apply(node, tagged.map(\.action), lane: .publish)
            } else {
                for tx in txs {
                    let (_, actions) = try nodes[node].router!.publish(topic: Self.topic, data: transactions.payloads[tx], now: now.sinceStart)
                    apply(node, actions, lane: .publish)
                }
            }
        } catch {
            trace.mix(0xDEAD)
        }
    }

    func markDelivered(_ tx: Int, at node: Int) {
        let word = tx >> 6
        if delivered[node].count <= word {
            delivered[node].append(contentsOf: repeatElement(0, count: word - delivered[node].count + 1))
        }
        delivered[node][word] |= 1 << UInt64(tx & 63)
    }

    func hasDelivered(_ tx: Int, at node: Int) -> Bool {
        let word = tx >> 6
        return word < delivered[node].count && delivered[node][word] & (1 << UInt64(tx & 63)) != 0
    }

    /// The proof check of `id` ended at `index`: the node pools the transaction and tells the router.
    func validated(_ index: Int, _ id: MessageID) {
        guard nodes[index].hasRouter else { return }
        nodes[index].validating -= 1
        var result = ValidationResult.ignore
        if let tx = transactionIndex[id] {
            if case .success(let decoded) = transactions.decoded(tx) { result = admit(decoded, at: index) ? .accept : .ignore }
        } else {
            result = spamVerdict(id, at: index)
        }
        let actions = nodes[index].router!.validationResult(id, result, now: now.sinceStart)
        apply(index, actions)
        if let next = nodes[index].nextWaiting() { startValidation(index, next) }
    }

    /// Inserts into the node's pool; whether it took the transaction.
    func admit(_ decoded: ValidatedTransaction, at index: Int) -> Bool {
        guard case .success = nodes[index].pool?.insert(decoded, now: now.sinceStart)
        else {
            poolRefusals += 1
            return false
        }
        return true
    }

    /// A message the router delivered for validation: decoding and the structural rules first
    /// (a failure is a reject, at once), then a validation slot, or the queue, or ignore when
    /// the queue is full.
    func validate(_ id: MessageID, at index: Int) {
        guard let tx = transactionIndex[id] else { return validateUnknown(id, at: index) }
        guard case .success = transactions.decoded(tx) else {
            apply(index, nodes[index].router!.validationResult(id, .reject, now: now.sinceStart))
            return
        }
        queueValidation(id, at: index)
    }

    /// A validation slot for `id`, or a place in the queue, or ignore when the queue is full.
    func queueValidation(_ id: MessageID, at index: Int) {
        if nodes[index].validating < scenario.validationConcurrency {
            startValidation(index, id)
        } else if nodes[index].waitingCount < maxQueuedValidations {
            nodes[index].waiting.append(id)
        } else {
            validationsDropped += 1
            apply(index, nodes[index].router!.validationResult(id, .ignore, now: now.sinceStart))
        }
    }

    func startValidation(_ index: Int, _ id: MessageID) {
        nodes[index].validating += 1
        queue.push(.validated(node: Int32(index), id: id), at: now + .milliseconds(scenario.validationMilliseconds))
    }

    /// Carries out `actions`; message sends wait in `lane` (the router call they came from says
    /// which: publications, answers to IWANT, or forwards after validation).
    func apply(_ index: Int, _ actions: [Router.Action], lane: OutboundLane = .forward) {
        for action in actions {
            switch action {
            case .send(let peer, var rpc):
                if let control = rpc.control {
                    if !control.iwant.isEmpty, !nodes[index].isAttacker { iwantRequests += control.iwant.reduce(0) { $0 + $1.messageIDs.count } }
                    // Only a scenario with `/meshsub/1.1.0` nodes reads the receiver (a cold object) for this.
                    if hasV11Nodes, !control.idontwant.isEmpty, nodes[Int(peer.index)].gossipProtocol < .meshsub12 {
                        idontwantsToV11Peers += 1
                    }
                }
                if rpc.testExtension || rpc.control?.extensions != nil || rpc.preambleExtension != nil || rpc.announceExtension != nil {
                    if min(nodes[index].gossipProtocol, nodes[Int(peer.index)].gossipProtocol) < .meshsub13 {
                        extensionMessagesToOlderPeers += 1
                    } else if rpc.testExtension {
                        testExtensionMessages += 1
                    }
                }
                if let receiving = rpc.preambleExtension?.imReceiving { imReceivingSent += receiving.count }
                if let lazy = rpc.announceExtension {
                    iannounceSent += lazy.announcements.count
                    if !nodes[index].isAttacker { iannounceSentByHonest += lazy.announcements.count }
                    ineedSent += lazy.needs.count
                }
                if hasSpam, !rpc.publish.isEmpty, !nodes[index].isAttacker { noteForwardedSpam(in: rpc) }
                if nodes[index].attack == .censor {
                    guard let kept = censored(rpc) else { continue }
                    rpc = kept
                }
                if watches(index, Int(peer.index)) { noteWatched("\(index) -> \(peer.index) queued: " + describeForWatch(rpc)) }
                enqueue(rpc, from: index, to: Int32(bitPattern: peer.index), lane: lane)
            case .deliver(let message, _):
                if watchedNode >= 0 { noteDeliveryForWatch(message.id, at: index) }
                let tx = transactionIndex[message.id]
                if let tx, hasDelivered(tx, at: index) {
                    duplicateDeliveries += 1
                } else if let tx {
                    markDelivered(tx, at: index)
                    if !nodes[index].isAttacker {
                        // The last node is the last that expected it: a node that joined later and
                        // got it by gossip (in `churn`, up to 50 s later) is not counted.
                        if let ready = nodes[index].readyAt, ready <= publishedAt[tx] {
                            lastDelivery[tx] = max(lastDelivery[tx], now)
                        }
                        let latency = now - publishedAt[tx]
                        if latency > .seconds(1) { nodes[index].lateDeliveries += 1 }
                        nodes[index].slowestDelivery = max(nodes[index].slowestDelivery, latency)
                        latencies.record(latency)
                        latenciesByClass[nodes[index].bandwidthClass].record(latency)
                        deliveriesThisSecond += 1
                    }
                }
                if !claimants.isEmpty, nodes[index].attack == .censor { claimEverywhere(message.id) }
                validate(message.id, at: index)
            case .event(.penalised(let peer, let reason, let count)):
                if !nodes[index].isAttacker {
                    if nodes[Int(peer.index)].isAttacker { attackerPenalties[reason, default: 0] += count } else { honestPenalties[reason, default: 0] += count }
                }
            case .event:
                break
            }
        }
        if usesAnnounce || holdsForwards { scheduleRouterTimer(index) }
    }

    // MARK: Uplink

    /// The send queues' policy: the GossipSub host's default unless the scenario sets its own.
    let queuePolicy: OutboundQueuePolicy

    static func queuePolicy(for scenario: SimulationScenario) -> OutboundQueuePolicy {
        var policy = OutboundQueuePolicy()
        if let lanes = scenario.gossip.queueLanes { policy.lanes = lanes }
        if let ms = scenario.gossip.forwardExpiryMilliseconds { policy.forwardExpiry = ms == 0 ? nil : .milliseconds(ms) }
        return policy
    }

    /// Queues `rpc` for `peer` as the GossipSub host does: split into its classes
    /// (`OutboundQueuePolicy.placements`), message frames may be cancelled by IDONTWANT until they
    /// leave, past a class's bound frames are dropped and the peer is penalised as slow, and a
    /// peer that cannot take a subscription is disconnected.
    func enqueue(_ rpc: RPC, from index: Int, to peer: Int32, lane: OutboundLane = .forward) {
        guard nodes[index].connections[peer] != nil else { return }
        let link = nodes[index].link(to: peer)
        let wasEmpty = link.queue.isEmpty
        for part in queuePolicy.placements(of: rpc, lane: lane, now: now.sinceStart) {
            let bytes = Self.wireSize(of: part.rpc)
            let single = part.rpc.publish.count == 1 ? gossipConfig.parameters.messageIDFunction.id(of: part.rpc.publish[0]) : nil
            let result = link.queue.enqueue(SimulatedFrame(rpc: part.rpc, bytes: bytes), bytes: bytes, lane: part.lane,
                                            messageID: single, deadline: part.deadline)
            switch result {
            case .queued:
                continue
            case .dropped:
                framesDropped += 1
                if watches(index, Int(peer)) { noteWatched("\(index) -> \(peer) dropped (queue bound): " + describeForWatch(part.rpc)) }
                nodes[index].router?.penalize(IndexedPeer(Int(peer)), reason: .slowPeer, count: 1)
                if !nodes[index].isAttacker, !nodes[Int(peer)].isAttacker { honestPenalties[.slowPeer, default: 0] += 1 }
            case .overflowed:
                framesDropped += 1
                if watches(index, Int(peer)) { noteWatched("\(index) -> \(peer) overflowed: disconnected") }
                disconnect(index, from: Int(peer))
                queue.push(.peerGone(node: peer, peer: Int32(index)), at: now + latency(index, Int(peer)))
                return
            }
        }
        if wasEmpty, !link.queue.isEmpty { nodes[index].sendTurns.append(peer) }
        if controlFirst, link.hasSmallFrames, !nodes[index].controlTurns.contains(peer) {
            nodes[index].controlTurns.append(peer)
        }
        transmitNext(index)
    }

    /// Puts the next waiting frame on the node's uplink once it is free: connections take turns,
    /// a frame each, skipping those whose window is full (they keep their turn, and an
    /// acknowledgement wakes the uplink again).
    func transmitNext(_ index: Int) {
        let node = nodes[index]
        guard node.alive else { return }
        guard now >= node.uplinkFreeAt else {
            if node.sendTurnHead < node.sendTurns.count { wakeUplink(index, at: node.uplinkFreeAt) }
            return
        }
        let window = scenario.network.connectionWindowBytes
        if controlFirst, !node.controlTurns.isEmpty, transmitSmallFrame(index, window: window) { return }
        var turns = node.sendTurns.count - node.sendTurnHead
        while turns > 0 {
            turns -= 1
            let peer = node.sendTurns[node.sendTurnHead]
            node.sendTurnHead += 1
            guard let link = node.links[peer], !link.queue.isEmpty else { continue }
            link.window.settle(now: now)
            if link.window.inFlight >= window {
                node.sendTurns.append(peer)
                if let wake = link.window.block() { queue.push(.windowAcknowledged(node: Int32(index), peer: peer), at: wake) }
                continue
            }
            let frame = takeFrame(from: link, at: index, to: peer)
            if !link.queue.isEmpty { node.sendTurns.append(peer) }
            compactTurns(index)
            guard let frame else { continue }
            put(frame, from: index, to: peer)
            return
        }
        compactTurns(index)
    }

    /// ``NetworkModel/controlFirst``: sends the first small frame waiting for a connection whose
    /// window has room; false when there is none.
    func transmitSmallFrame(_ index: Int, window: Int) -> Bool {
        let node = nodes[index]
        var i = 0
        while i < node.controlTurns.count {
            let peer = node.controlTurns[i]
            guard let link = node.links[peer], link.hasSmallFrames else { node.controlTurns.remove(at: i); continue }
            link.window.settle(now: now)
            guard link.window.inFlight < window else { i += 1; continue }
            let frame = takeFrame(from: link, at: index, to: peer)
            node.controlTurns.remove(at: i)
            if link.hasSmallFrames { node.controlTurns.append(peer) }
            guard let frame else { continue }
            put(frame, from: index, to: peer)
            return true
        }
        return false
    }

    /// The next frame waiting in node `index`'s queue for `peer`; forwards past their deadline are
    /// dropped on the way, counted, and left for the next heartbeat to announce.
    func takeFrame(from link: PeerLink, at index: Int, to peer: Int32) -> SimulatedFrame? {
        var frame: SimulatedFrame?
        let expiredBefore = link.queue.expiredFrames
        link.queue.take(upTo: 1, now: now.sinceStart) { frame = $0 }
        if link.queue.expiredFrames > expiredBefore {
            framesExpired += link.queue.expiredFrames - expiredBefore
            let node = nodes[index]
            if link.queue.hasExpiredMessageIDs, !node.peersWithExpiredForwards.contains(peer) { node.peersWithExpiredForwards.append(peer) }
            if watches(index, Int(peer)) { noteWatched("\(index) -> \(peer): \(link.queue.expiredFrames - expiredBefore) queued forwards expired") }
        }
        return frame
    }

    /// Puts `frame` on node `index`'s uplink towards `peer` (its announcement first, with
    /// PREAMBLE / IMRECEIVING) and wakes the uplink for what waits after it.
    func put(_ frame: SimulatedFrame, from index: Int, to peer: Int32) {
        let node = nodes[index]
        let link = node.links[peer]!
        link.window.sent(frame.bytes)
        let to = Int(peer)
        if usesPreambles, frame.rpc.publish.count == 1, let announce = preamble(for: frame.rpc.publish[0], from: index, to: to) {
            // The announcement leaves as the body starts, just ahead of it on the connection.
            let bytes = Self.wireSize(of: announce)
            link.window.sent(bytes)
            let (_, arrives) = links.transmit(bytes: bytes, from: index, to: to, latency: latency(index, to), ordered: true, now: now)
            queue.push(.rpcArrives(from: Int32(index), to: peer, frame: SimulatedFrame(rpc: announce, bytes: bytes)), at: arrives)
            preamblesSent += 1
            if min(node.gossipProtocol, nodes[to].gossipProtocol) < .meshsub13 { extensionMessagesToOlderPeers += 1 }
        }
        let (leaves, arrives) = links.transmit(bytes: frame.bytes, from: index, to: to, latency: latency(index, to),
                                               ordered: true, now: now)
        queue.push(.rpcArrives(from: Int32(index), to: peer, frame: frame), at: arrives)
        node.uplinkFreeAt = leaves
        // Only an uplink with more to send needs waking when this frame has left.
        if node.sendTurnHead < node.sendTurns.count || !node.controlTurns.isEmpty { wakeUplink(index, at: leaves) }
    }

    /// Whether routers advertise the PREAMBLE / IMRECEIVING extension in this scenario.
    let usesPreambles: Bool
    /// Whether some Aztec nodes speak only `/meshsub/1.1.0` (``SimulationScenario/GossipOverrides/v11Share``).
    let hasV11Nodes: Bool
    let usesAnnounce: Bool
    /// Whether routers hold back likely duplicates (``SimulationScenario/GossipOverrides/forwardHoldMilliseconds``).
    let holdsForwards: Bool
    /// ``NetworkModel/controlFirst``, read once.
    let controlFirst: Bool

    /// The announcement of `message` from node `index` to node `to`, when their routers use the extension.
    func preamble(for message: RawMessage, from index: Int, to: Int) -> RPC? {
        let id = gossipConfig.parameters.messageIDFunction.id(of: message)
        guard nodes[index].hasRouter else { return nil }
        return nodes[index].readRouter { $0.preamble(for: message, id: id, to: IndexedPeer(to)) }
    }

    func wakeUplink(_ index: Int, at time: SimulatedInstant) {
        guard nodes[index].uplinkWakeAt != time else { return }
        nodes[index].uplinkWakeAt = time
        queue.push(.uplinkFree(Int32(index)), at: time)
    }

    func compactTurns(_ index: Int) {
        if nodes[index].sendTurnHead == nodes[index].sendTurns.count {
            nodes[index].sendTurns.removeAll(keepingCapacity: true)
            nodes[index].sendTurnHead = 0
        } else if nodes[index].sendTurnHead > 64, nodes[index].sendTurnHead * 2 > nodes[index].sendTurns.count {
            nodes[index].sendTurns.removeFirst(nodes[index].sendTurnHead)
            nodes[index].sendTurnHead = 0
        }
    }

    // MARK: Samples

    /// What the network looked like at the end of one simulated second.
    public struct SecondSample: Hashable, Sendable, Codable {
        /// When the row was taken, in whole simulated seconds from the start (the first row is 1).
        public var second: Int
        /// Honest Aztec nodes running (attackers are not counted here).
        public var nodes: Int
        /// Of those, the nodes with at least D_low mesh peers on the topic.
        public var meshReady: Int
        /// Mesh peers on the topic per running honest node, mean.
        public var meanMeshDegree: Double
        /// Open connections per running honest node, mean.
        public var meanConnections: Double
        /// First receipts of transactions at honest nodes in this second.
        public var deliveries: Int
        /// Bytes all nodes sent in this second.
        public var bytesSent: UInt64
        /// How the running honest nodes' meshes changed in this second, by cause.
        public var meshChanges: MeshChangeCounts
    }

    @exclusivity(unchecked) var lastSampleBytes: UInt64 = 0

    func sample() {
        var running = 0, ready = 0, meshTotal = 0, connectionTotal = 0
        var sent: UInt64 = 0
        var changes = MeshChangeCounts()
        for index in nodes.indices {
            sent &+= links.traffic(of: index).sent
            guard nodes[index].alive, nodes[index].role == .aztec, !nodes[index].isAttacker else { continue }
            running += 1
            let degree = nodes[index].meshDegree
            meshTotal += degree
            connectionTotal += nodes[index].connections.count
            if degree >= meshLow { ready += 1 }
            let total = nodes[index].readRouter { $0.meshChanges }
            changes = changes + total.since(nodes[index].sampledMeshChanges)
            nodes[index].sampledMeshChanges = total
        }
        let divisor = Double(max(running, 1))
        samples.append(SecondSample(second: Int(now.nanoseconds / 1_000_000_000), nodes: running, meshReady: ready,
                                    meanMeshDegree: Double(meshTotal) / divisor, meanConnections: Double(connectionTotal) / divisor,
                                    deliveries: deliveriesThisSecond, bytesSent: sent &- lastSampleBytes, meshChanges: changes))
        lastSampleBytes = sent
        deliveriesThisSecond = 0
        if scenario.censor != nil { sampleCensors() }
        if scenario.eclipse != nil { sampleEclipse() }
        queue.push(.sample, at: now + .seconds(1))
    }

    // MARK: Results

    /// One node's place, links and measured traffic.
    public struct NodeRow: Hashable, Sendable {
        /// The node's index: the scenario's Aztec nodes are `0..<nodes`, then come bootnodes, other
        /// networks' nodes, flood identities and churn replacements.
        public var node: Int
        /// `aztec` (honest), `spam` or `censor` (attackers; eclipse sybils are `censor`), `bootnode`,
        /// `other` or `flooder`.
        public var role: String
        /// The node's region, one of the names of ``NetworkModel/regions``.
        public var region: String
        /// The name of the node's bandwidth class (``NetworkModel/bandwidthClasses``).
        public var bandwidthClass: String
        /// Whether the node ran through the whole publishing window (the traffic figures cover it).
        public var ranThroughout: Bool
        /// Bytes the node sent during the publishing window, divided by the window's seconds.
        public var uploadBytesPerSecond: Double
        /// Bytes the node received during the publishing window, divided by the window's seconds.
        public var downloadBytesPerSecond: Double
        /// Mesh peers on the topic when the rows were made (0 for a node without a router).
        public var meshDegree: Int
        /// Open connections when the rows were made.
        public var connections: Int
        /// Transactions published after the node was ready that reached it, and that did not.
        public var received: Int, missed: Int
        /// Transactions that reached it more than a second after they were published.
        public var lateDeliveries: Int
        /// The longest any transaction took to reach it, in milliseconds.
        public var slowestDeliveryMilliseconds: Double
    }

    /// Every node's row, traffic measured while transactions were published (after ``run(progress:)``).
    public func nodeRows() -> [NodeRow] {
        let window = max(scenario.publishSeconds, 1e-9)
        let publishStart = SimulatedInstant.seconds(scenario.warmupSeconds)
        return nodes.indices.map { index in
            let node = nodes[index]
            let start: (sent: UInt64, received: UInt64) = index < trafficAtPublishStart.count ? trafficAtPublishStart[index] : (0, 0)
            let end: (sent: UInt64, received: UInt64) = index < trafficAtPublishEnd.count ? trafficAtPublishEnd[index] : start
            let throughout = node.startedAt.map { $0 <= publishStart } == true && node.diedAt == nil
            let expected = expectedDeliveries(at: index)
            return NodeRow(node: index, role: node.role != .aztec ? "\(node.role)" : node.attack.map { "\($0)" } ?? "aztec",
                           region: scenario.network.regions.names[node.region],
                           bandwidthClass: scenario.network.bandwidthClasses[node.bandwidthClass].name,
                           ranThroughout: throughout,
                           uploadBytesPerSecond: Double(end.sent &- start.sent) / window,
                           downloadBytesPerSecond: Double(end.received &- start.received) / window,
                           meshDegree: node.meshDegree, connections: node.connections.count,
                           received: expected.received, missed: expected.missed, lateDeliveries: node.lateDeliveries,
                           slowestDeliveryMilliseconds: Double(node.slowestDelivery.nanoseconds) / 1e6)
        }
    }

    /// Of the transactions published after `index` was ready, how many reached it and how many did not.
    func expectedDeliveries(at index: Int) -> (received: Int, missed: Int) {
        guard let ready = nodes[index].readyAt else { return (0, 0) }
        var received = 0, missed = 0
        for tx in publishedAt.indices where publisher[tx] >= 0 && ready <= publishedAt[tx] {
            if hasDelivered(tx, at: index) { received += 1 } else { missed += 1 }
        }
        return (received, missed)
    }

    /// Bytes `rpc` takes on the wire with its length prefix: the protobuf encoding of everything but
    /// the message payloads, plus each payload with its field tag and length (the varint of the
    /// enclosing message's length may be a byte or two longer than counted).
    public static func wireSize(of rpc: RPC) -> Int {
        var stripped = rpc
        var payloadBytes = 0
        for index in stripped.publish.indices {
            let count = stripped.publish[index].data?.count ?? 0
            if count > 0 {
                payloadBytes += count + Self.varintSize(count) + 1 + Self.varintSize(count + 64) - 1
                stripped.publish[index].data = nil
            }
        }
        let body = stripped.encoded().count + payloadBytes
        return body + varintSize(body)
    }

    static func varintSize(_ value: Int) -> Int { UVarint.encodedLength(UInt64(max(0, value))) }
}

/// Why a simulation could not run.
public struct SimulationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, e.g. the scenario's ``SimulationScenario/problem``.
    public let description: String

    /// An error that says `description`.
    public init(_ description: String) {
        self.description = description
    }
}
