import GossipSub

/// A simulated run: how many nodes, how they join, what load they carry, what fails and how the
/// network behaves. Decoded from a scenario file (`scenarios/*.json`); every field but `name` has
/// a default, so a file names only what it changes.
public struct SimulationScenario: Hashable, Sendable, Codable {
    /// The scenario's name, the one required key; the report carries it.
    public var name: String
    /// Aztec nodes at the start (bootnodes and churn replacements come on top).
    public var nodes = 200
    /// The seed of every random draw of the run (placement, identities, start times, publishers,
    /// attackers, jitter, losses): the same scenario and seed give the same run. 1 by default.
    public var seed: UInt64 = 1
    /// How nodes find their peers (``JoinSettings``).
    public var join = JoinSettings()
    /// Meshes form during the warm-up; transactions are published after it.
    public var warmupSeconds = 10.0
    /// Seconds of publishing after the warm-up.
    public var publishSeconds = 60.0
    /// Seconds after the last publication for the last copies to arrive.
    public var drainSeconds = 10.0
    /// Honest transactions published a second during ``publishSeconds``, network-wide, each at a
    /// random running node with a mesh peer; in (0, 100,000].
    public var transactionsPerSecond = 10.0
    /// Size of each transaction in SSZ bytes, before Snappy compression; 20...1,048,576. Approximate:
    /// a transaction is never smaller than its fixed overhead of about 700 bytes.
    public var transactionBytes = 40_000
    /// Transactions one node submits together (a wallet or an aggregator sending several at
    /// once), at the same average rate: every `transactionsPerPublish / transactionsPerSecond`
    /// seconds one node publishes that many; 1 (the default) to 1,000.
    public var transactionsPerPublish = 1
    /// The proof check: how long a node takes to validate a transaction, and how many at once.
    public var validationMilliseconds = 25.0
    /// Proof checks a node runs at once (at least 1); more wait, up to the node's queue bound.
    public var validationConcurrency = 4
    /// Nodes killed and replaced during the run (none by default).
    public var churn: ChurnSettings?
    /// Attackers publishing invalid transactions (none by default).
    public var spam: SpamSettings?
    /// Attackers that forward nothing (none by default).
    public var censor: CensorSettings?
    /// Sybils that go for one victim (none by default).
    public var eclipse: EclipseSettings?
    /// Discovery floods at the bootnodes (none by default).
    public var flood: FloodSettings?
    /// Discv5 topic discovery (none by default: random lookups only).
    public var topics: TopicSettings?
    /// Where nodes are and what links they have (``NetworkModel``).
    public var network = NetworkModel()
    /// Changes to the node's GossipSub parameters (none by default).
    public var gossip = GossipOverrides()

    /// The GossipSub parameters a scenario may change from the node's defaults.
    public struct GossipOverrides: Hashable, Sendable, Codable {
        /// `D`, the mesh degree a node aims for; `nil` keeps the node's 5. It sets `D_out` too, as
        /// the node's `meshDegree` does, unless ``dOut`` is given.
        public var d: Int?
        /// `D_low`: with fewer mesh peers a heartbeat grafts more; `nil` keeps the node's 4.
        public var dLow: Int?
        /// `D_high`: with more mesh peers a heartbeat prunes down to `D`; `nil` keeps the node's 6
        /// (inbound GRAFTs are taken up to the node's limit of 12, or up to this value when higher).
        public var dHigh: Int?
        /// `D_score`: of the peers a heartbeat keeps when it prunes, how many it picks by score
        /// (the rest at random); `nil` keeps the node's 4.
        public var dScore: Int?
        /// `D_out`: mesh peers a node keeps (and grafts) among the peers it dialed; `nil` keeps the
        /// node's (1, or for another `d` what the node derives from it,
        /// `AztecGossipParameters.outboundDegree(meshDegree:)`).
        public var dOut: Int?
        /// Mesh peers beyond which an inbound GRAFT is refused with a PRUNE; `nil` keeps the node's
        /// 12 (or `dHigh` when that is higher).
        public var inboundGraftLimit: Int?
        /// Whether an over-full mesh keeps the peers that grafted since the last heartbeat before
        /// its random rest (`GossipSubConfig.Parameters.keepsFreshGrafts`); `nil` keeps the node's.
        public var keepsFreshGrafts: Bool?
        /// The heartbeat interval, in milliseconds; `nil` keeps the node's 1,000.
        public var heartbeatMilliseconds: Double?
        /// Whether a node sends its own transactions to all its peers on the topic rather than to its
        /// mesh only; `nil` keeps the node's `true`.
        public var floodPublish: Bool?
        /// `false` turns IDONTWANT off (its size threshold set beyond any message).
        public var idontwant: Bool?
        /// `true` sends IDONTWANT for own messages too (`GossipSubConfig.Parameters.idontwantOnPublish`).
        public var idontwantOnPublish: Bool?
        /// `false` stops answering a new mesh link with an IHAVE of the gossip windows
        /// (`GossipSubConfig.Parameters.gossipWindowOnGraft`, on by default).
        public var gossipWindowOnGraft: Bool?
        /// `false` leaves peers refused for a full mesh to the gossip factor's draw
        /// (`GossipSubConfig.Parameters.gossipToRefusedPeers`, on by default).
        public var gossipToRefusedPeers: Bool?
        /// Whether a forward that expired in a send queue is announced to its peer instead
        /// (`GossipSubConfig.Parameters.gossipExpiredForwards`, on by default).
        public var gossipExpiredForwards: Bool?
        /// Whether they are announced only once the peer's send queue holds no message frames
        /// (`GossipSubConfig.Parameters.gossipExpiredForwardsOnceDrained`, on by default).
        public var gossipExpiredForwardsOnceDrained: Bool?
        /// Message ids a node asks one peer for per heartbeat (IWANT), at most.
        public var maxIHaveLength: Int?
        /// Milliseconds a peer has to deliver a message asked for with IWANT (from anyone) before
        /// its promise is broken; `nil` keeps the node's (`AztecGossipParameters`).
        public var iwantFollowupMilliseconds: Int?
        /// The share of nodes whose GossipSub speaks only `/meshsub/1.1.0` (no IDONTWANT), as
        /// older implementations do; their connections negotiate v1.1. None by default.
        public var v11Share: Double?
        /// The share of nodes that speak `/meshsub/1.3.0` and advertise the v1.3 Test Extension
        /// (the others v1.2, or v1.1 by `v11Share`): a mixed network of extension and plain
        /// peers. None by default.
        public var v13Share: Double?
        /// `true` queues answers to IWANT and own publications ahead of forwards on each
        /// connection (`OutboundLane`); the default is the GossipSub host's
        /// (`OutboundQueuePolicy`: lanes).
        public var queueLanes: Bool?
        /// Forwards still queued this many milliseconds after they were queued are dropped unsent;
        /// 0 keeps them until sent. The default is the GossipSub host's
        /// (`OutboundQueuePolicy`: 1,000).
        public var forwardExpiryMilliseconds: Int?
        /// `true` makes every router advertise the PREAMBLE / IMRECEIVING extension (used on
        /// connections where both ends speak v1.3: set `v13Share` as well).
        public var preamble: Bool?
        /// `true` makes every router advertise lazy mesh push (IANNOUNCE / INEED; used where both
        /// ends speak v1.3: set `v13Share` as well).
        public var announce: Bool?
        /// With `announce`: of `D` mesh peers a forward goes to, how many get the id instead (the
        /// router's `AnnounceParameters.dAnnounce`, 4 by default).
        public var dAnnounce: Int?
        /// With `announce`: which mesh peers get the ids (`AnnouncedPeers`): `random`, `nearest`
        /// or `earliest`, the node's default. For `nearest` the simulator tells each router its
        /// peers' round trips from the region table, as a host would from its pings.
        public var announceChoice: AnnouncedPeers?
        /// With `announce`: the share of ids follows how far each message has spread around the
        /// forwarding node, with this slope (`AnnounceParameters.spreadSlope`; the node's 5 by
        /// default), instead of `dAnnounce`; 0 keeps the draft's fixed share.
        public var announceSpreadSlope: Double?
        /// With `announce`: mesh peers at least this many milliseconds away by round trip always get
        /// forwards whole (`AnnounceParameters.bodiesBeyondRoundTrip`; none by default). The
        /// simulator tells each router its peers' round trips from the region table.
        public var announceBodiesBeyondMilliseconds: Int?
        /// With `announce` and a spread slope: claims of having a message (IDONTWANT, IMRECEIVING)
        /// each copy a peer sends earns it (`AnnounceParameters.claimsPerCopy`; the node's 8 by
        /// default); 0 counts every claim.
        public var announceClaimsPerCopy: Int?
        /// With `announce`: milliseconds an INEED waits for its answer before the next announcer is
        /// asked (`AnnounceParameters.ineedTimeout`; the router's 400 by default).
        public var announceNeedTimeoutMilliseconds: Int?
        /// With `announce`: the INEED timeout follows how long answers take, up to this many
        /// milliseconds (`AnnounceParameters.ineedTimeoutCeiling`; fixed by default).
        public var announceNeedTimeoutCeilingMilliseconds: Int?
        /// Above 0: forwards that would most likely be duplicates are held back this many
        /// milliseconds and dropped if the peer says IDONTWANT meanwhile
        /// (`GossipSubConfig.Parameters.forwardHold`, off by default; any protocol version).
        public var forwardHoldMilliseconds: Int?
        /// With `forwardHoldMilliseconds`: the share held as a message spreads
        /// (`ForwardHoldParameters.spreadSlope`, 5 by default).
        public var forwardHoldSpreadSlope: Double?
        /// With `transactionsPerPublish` above 1: `true` publishes each node's transactions as one
        /// batch, first copies before second copies (`GossipSubRouter.publishBatch`); `false` or
        /// `nil` one after another.
        public var batchPublishing: Bool?
        /// Mesh degrees for the nodes of some bandwidth classes, by class name (as an operator on a
        /// slow link would set its node's): each replaces `d`, `dLow`, `dHigh` and `dScore` where it sets them.
        public var meshByClass: [String: MeshDegrees]?

        /// `D`, `D_low`, `D_high` and `D_score` for one bandwidth class; a missing value keeps the scenario's.
        public struct MeshDegrees: Hashable, Sendable, Codable {
            /// `D` for the class (and the `D_out` the node derives from it).
            public var d: Int?
            /// `D_low` for the class.
            public var dLow: Int?
            /// `D_high` for the class.
            public var dHigh: Int?
            /// `D_score` for the class.
            public var dScore: Int?

            /// The scenario's degrees, unchanged.
            public init(d: Int? = nil, dLow: Int? = nil, dHigh: Int? = nil, dScore: Int? = nil) {
                self.d = d
                self.dLow = dLow
                self.dHigh = dHigh
                self.dScore = dScore
            }

            enum CodingKeys: String, CodingKey { case d, dLow, dHigh, dScore }

            /// Decodes one class's degrees; unknown keys are an error.
            public init(from decoder: any Decoder) throws {
                try decoder.rejectUnknownKeys(CodingKeys.self)
                let c = try decoder.container(keyedBy: CodingKeys.self)
                try self.init(d: c.decodeIfPresent(Int.self, forKey: .d), dLow: c.decodeIfPresent(Int.self, forKey: .dLow),
                              dHigh: c.decodeIfPresent(Int.self, forKey: .dHigh),
                              dScore: c.decodeIfPresent(Int.self, forKey: .dScore))
            }
        }

        /// No changes: every parameter as the node has it.
        public init() {}

        enum CodingKeys: String, CodingKey { case d, dLow, dHigh, dScore, dOut, inboundGraftLimit, keepsFreshGrafts, heartbeatMilliseconds, floodPublish, idontwant, idontwantOnPublish, gossipWindowOnGraft, gossipToRefusedPeers, gossipExpiredForwards, gossipExpiredForwardsOnceDrained, maxIHaveLength, iwantFollowupMilliseconds, v11Share, v13Share,
                                               queueLanes, forwardExpiryMilliseconds, preamble, announce, dAnnounce, announceChoice, announceSpreadSlope, announceBodiesBeyondMilliseconds,
                                               announceClaimsPerCopy, announceNeedTimeoutMilliseconds, announceNeedTimeoutCeilingMilliseconds, forwardHoldMilliseconds, forwardHoldSpreadSlope, batchPublishing,
                                               meshByClass }

        /// Decodes the scenario file's `gossip` object: missing keys keep their defaults, unknown keys are
        /// an error, as is a negative `forwardExpiryMilliseconds`.
        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            d = try c.decodeIfPresent(Int.self, forKey: .d)
            dLow = try c.decodeIfPresent(Int.self, forKey: .dLow)
            dHigh = try c.decodeIfPresent(Int.self, forKey: .dHigh)
            dScore = try c.decodeIfPresent(Int.self, forKey: .dScore)
            dOut = try c.decodeIfPresent(Int.self, forKey: .dOut)
            inboundGraftLimit = try c.decodeIfPresent(Int.self, forKey: .inboundGraftLimit)
            keepsFreshGrafts = try c.decodeIfPresent(Bool.self, forKey: .keepsFreshGrafts)
            heartbeatMilliseconds = try c.decodeIfPresent(Double.self, forKey: .heartbeatMilliseconds)
            floodPublish = try c.decodeIfPresent(Bool.self, forKey: .floodPublish)
            idontwant = try c.decodeIfPresent(Bool.self, forKey: .idontwant)
            idontwantOnPublish = try c.decodeIfPresent(Bool.self, forKey: .idontwantOnPublish)
            gossipWindowOnGraft = try c.decodeIfPresent(Bool.self, forKey: .gossipWindowOnGraft)
            gossipToRefusedPeers = try c.decodeIfPresent(Bool.self, forKey: .gossipToRefusedPeers)
            gossipExpiredForwards = try c.decodeIfPresent(Bool.self, forKey: .gossipExpiredForwards)
            gossipExpiredForwardsOnceDrained = try c.decodeIfPresent(Bool.self, forKey: .gossipExpiredForwardsOnceDrained)
            maxIHaveLength = try c.decodeIfPresent(Int.self, forKey: .maxIHaveLength)
            iwantFollowupMilliseconds = try c.decodeIfPresent(Int.self, forKey: .iwantFollowupMilliseconds)
            v11Share = try c.decodeIfPresent(Double.self, forKey: .v11Share)
            v13Share = try c.decodeIfPresent(Double.self, forKey: .v13Share)
            queueLanes = try c.decodeIfPresent(Bool.self, forKey: .queueLanes)
            forwardExpiryMilliseconds = try c.decodeIfPresent(Int.self, forKey: .forwardExpiryMilliseconds)
            preamble = try c.decodeIfPresent(Bool.self, forKey: .preamble)
            announce = try c.decodeIfPresent(Bool.self, forKey: .announce)
            dAnnounce = try c.decodeIfPresent(Int.self, forKey: .dAnnounce)
            announceChoice = try c.decodeIfPresent(AnnouncedPeers.self, forKey: .announceChoice)
            announceSpreadSlope = try c.decodeIfPresent(Double.self, forKey: .announceSpreadSlope, in: 0...100)
            announceBodiesBeyondMilliseconds = try c.decodeIfPresent(Int.self, forKey: .announceBodiesBeyondMilliseconds, in: 1...60_000)
            announceClaimsPerCopy = try c.decodeIfPresent(Int.self, forKey: .announceClaimsPerCopy, in: 0...1_000)
            announceNeedTimeoutMilliseconds = try c.decodeIfPresent(Int.self, forKey: .announceNeedTimeoutMilliseconds, in: 1...60_000)
            announceNeedTimeoutCeilingMilliseconds = try c.decodeIfPresent(Int.self, forKey: .announceNeedTimeoutCeilingMilliseconds, in: 1...60_000)
            forwardHoldMilliseconds = try c.decodeIfPresent(Int.self, forKey: .forwardHoldMilliseconds, in: 0...10_000)
            forwardHoldSpreadSlope = try c.decodeIfPresent(Double.self, forKey: .forwardHoldSpreadSlope, in: 0...100)
            batchPublishing = try c.decodeIfPresent(Bool.self, forKey: .batchPublishing)
            meshByClass = try c.decodeIfPresent([String: MeshDegrees].self, forKey: .meshByClass)
            if let ms = iwantFollowupMilliseconds, ms <= 0 {
                throw DecodingError.dataCorruptedError(forKey: .iwantFollowupMilliseconds, in: c,
                                                       debugDescription: "must be positive")
            }
            if let ms = forwardExpiryMilliseconds, ms < 0 {
                throw DecodingError.dataCorruptedError(forKey: .forwardExpiryMilliseconds, in: c,
                                                       debugDescription: "must not be negative")
            }
        }
    }

    /// A scenario named `name` with every other field at its default.
    public init(name: String) {
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case name, nodes, seed, join, warmupSeconds, publishSeconds, drainSeconds, transactionsPerSecond,
             transactionBytes, transactionsPerPublish, validationMilliseconds, validationConcurrency, churn, spam, censor, eclipse, flood, topics, network, gossip
    }

    /// Decodes a scenario file: `name` is required, missing keys keep their defaults, unknown keys
    /// are an error. The values are not checked here; ``problem`` says whether the scenario can run.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name))
        nodes = try c.decodeIfPresent(Int.self, forKey: .nodes) ?? nodes
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        join = try c.decodeIfPresent(JoinSettings.self, forKey: .join) ?? join
        warmupSeconds = try c.decodeIfPresent(Double.self, forKey: .warmupSeconds) ?? warmupSeconds
        publishSeconds = try c.decodeIfPresent(Double.self, forKey: .publishSeconds) ?? publishSeconds
        drainSeconds = try c.decodeIfPresent(Double.self, forKey: .drainSeconds) ?? drainSeconds
        transactionsPerSecond = try c.decodeIfPresent(Double.self, forKey: .transactionsPerSecond) ?? transactionsPerSecond
        transactionBytes = try c.decodeIfPresent(Int.self, forKey: .transactionBytes) ?? transactionBytes
        transactionsPerPublish = try c.decodeIfPresent(Int.self, forKey: .transactionsPerPublish) ?? transactionsPerPublish
        validationMilliseconds = try c.decodeIfPresent(Double.self, forKey: .validationMilliseconds) ?? validationMilliseconds
        validationConcurrency = try c.decodeIfPresent(Int.self, forKey: .validationConcurrency) ?? validationConcurrency
        churn = try c.decodeIfPresent(ChurnSettings.self, forKey: .churn)
        spam = try c.decodeIfPresent(SpamSettings.self, forKey: .spam)
        censor = try c.decodeIfPresent(CensorSettings.self, forKey: .censor)
        eclipse = try c.decodeIfPresent(EclipseSettings.self, forKey: .eclipse)
        flood = try c.decodeIfPresent(FloodSettings.self, forKey: .flood)
        topics = try c.decodeIfPresent(TopicSettings.self, forKey: .topics)
        network = try c.decodeIfPresent(NetworkModel.self, forKey: .network) ?? network
        gossip = try c.decodeIfPresent(GossipOverrides.self, forKey: .gossip) ?? gossip
    }

    /// When the last event of the run is due.
    public var durationSeconds: Double { warmupSeconds + publishSeconds + drainSeconds }

    /// Why the scenario cannot run, or `nil`.
    public var problem: String? {
        guard (2...1_000_000).contains(nodes) else { return "nodes must be in 2...1000000" }
        for (name, value) in [("warmupSeconds", warmupSeconds), ("publishSeconds", publishSeconds), ("drainSeconds", drainSeconds)] {
            guard value.isFinite, (0...86_400).contains(value) else { return "\(name) must be in 0...86400" }
        }
        guard transactionsPerSecond.isFinite, transactionsPerSecond > 0, transactionsPerSecond <= 100_000 else {
            return "transactionsPerSecond must be in (0, 100000]"
        }
        guard (20...(1 << 20)).contains(transactionBytes) else { return "transactionBytes must be in 20...1048576" }
        guard (1...1_000).contains(transactionsPerPublish) else { return "transactionsPerPublish must be in 1...1000" }
        guard validationMilliseconds.isFinite, validationMilliseconds >= 0 else { return "validationMilliseconds must not be negative" }
        guard validationConcurrency >= 1 else { return "validationConcurrency must be at least 1" }
        if let problem = join.problem(nodes: nodes) { return "join: \(problem)" }
        if let problem = churn?.problem(duration: durationSeconds) { return "churn: \(problem)" }
        if let churn, churn.replacedPerMinute > 0, join.mode == .static {
            return "churn: replacing nodes needs join mode discovery (a new node finds peers through it)"
        }
        if let problem = spam?.problem(duration: durationSeconds) { return "spam: \(problem)" }
        if let problem = censor?.problem(duration: durationSeconds) { return "censor: \(problem)" }
        if let censor, let subnets = censor.subnets, Int((Double(nodes) * censor.share).rounded()) > 254 * subnets {
            return "censor: more attackers than 254 addresses in each of the \(subnets) subnets"
        }
        if let problem = eclipse?.problem(nodes: nodes, duration: durationSeconds) { return "eclipse: \(problem)" }
        if eclipse != nil, spam != nil || censor != nil { return "eclipse: runs alone (no spam or censor attackers beside it)" }
        if eclipse?.throughDiscovery == true, join.mode != .discovery { return "eclipse: throughDiscovery needs join mode discovery" }
        if let problem = flood?.problem(duration: durationSeconds) { return "flood: \(problem)" }
        if flood != nil, join.mode != .discovery { return "flood: needs join mode discovery (it floods the bootnodes)" }
        if let problem = topics?.problem(otherDiscoveryNodes: join.otherDiscoveryNodes) { return "topics: \(problem)" }
        if topics != nil, join.mode != .discovery { return "topics: needs join mode discovery" }
        if let spam, let censor, spam.share + censor.share >= 1 { return "spam and censor: the attackers' shares must leave honest nodes" }
        if let share = gossip.v11Share, !(share.isFinite && (0...1).contains(share)) { return "gossip: v11Share must be in 0...1" }
        if let share = gossip.v13Share, !(share.isFinite && (0...1).contains(share)) { return "gossip: v13Share must be in 0...1" }
        if (gossip.v11Share ?? 0) + (gossip.v13Share ?? 0) > 1 { return "gossip: v11Share and v13Share add up to more than 1" }
        if let problem = network.problem { return "network: \(problem)" }
        for name in (gossip.meshByClass ?? [:]).keys.sorted() where !network.bandwidthClasses.contains(where: { $0.name == name }) {
            return "gossip: meshByClass names \(name), which is not a bandwidth class"
        }
        for name in (join.maximumInboundPeersByClass ?? [:]).keys.sorted()
        where !network.bandwidthClasses.contains(where: { $0.name == name }) {
            return "join: maximumInboundPeersByClass names \(name), which is not a bandwidth class"
        }
        return nil
    }
}
