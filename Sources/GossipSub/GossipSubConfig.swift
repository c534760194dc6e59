/// Router parameters, checked once by ``GossipSubConfig/init(validating:)``.
///
/// Fill a ``Parameters`` value (its defaults are the GossipSub spec's) and validate it; the
/// router only ever sees a validated ``GossipSubConfig``.
public struct GossipSubConfig: Sendable {
    /// The raw, unchecked parameters.
    public struct Parameters: Sendable {
        /// Target mesh degree.
        public var d = 6
        /// Lower mesh bound: below it the heartbeat grafts up to `d`.
        public var dLow = 4
        /// Upper mesh bound: above it the heartbeat prunes down to `d`.
        public var dHigh = 12
        /// A GRAFT from a peer this node did not dial is refused (PRUNE with PX) once the mesh
        /// holds this many peers. `nil` (the default) is `dHigh`, as in the reference routers:
        /// peers that graft at once cannot fill a mesh beyond it. Above `dHigh`, a full mesh still
        /// takes newcomers and the next heartbeat prunes back to `d` (keeping `dScore` peers by
        /// score and `dOut` outbound), so a low `dHigh` does not leave joining nodes without
        /// mesh peers.
        public var inboundGraftLimit: Int?
        /// Peers kept by score when pruning an oversubscribed mesh.
        public var dScore = 4
        /// When pruning an oversubscribed mesh, whether the peers whose GRAFT it accepted since the
        /// last heartbeat are kept before the random rest (after the `dScore` best): a peer grafts
        /// because its own mesh is short, so pruning it again leaves it short for a backoff, while
        /// an established peer that is pruned instead usually keeps enough others. `false` (the
        /// default) picks the rest at random, as the reference routers do.
        public var keepsFreshGrafts = false
        /// Minimum number of outbound connections in each mesh.
        public var dOut = 2
        /// Minimum number of peers gossip is emitted to per topic.
        public var dLazy = 6
        /// Fraction of eligible peers gossip is emitted to (adaptive gossip), 0...1.
        public var gossipFactor = 0.25
        /// Time between heartbeats (mesh maintenance, gossip emission, cache shifts, score decay);
        /// must be positive.
        public var heartbeatInterval: Duration = .seconds(1)
        /// How long a fanout topic survives without publishing.
        public var fanoutTTL: Duration = .seconds(60)
        /// Heartbeat windows held in the message cache.
        public var mcacheLen = 5
        /// Windows (most recent first) advertised in IHAVE.
        public var mcacheGossip = 3
        /// How long a message id stays in the seen cache.
        public var seenTTL: Duration = .seconds(120)
        /// Backoff announced in and applied after PRUNE.
        public var pruneBackoff: Duration = .seconds(60)
        /// Backoff applied to mesh peers when unsubscribing.
        public var unsubscribeBackoff: Duration = .seconds(10)
        /// Heartbeats we wait past a backoff's end before grafting the peer again, so that a
        /// slightly slower clock on the other side does not see (and penalise) an early GRAFT.
        public var backoffSlackHeartbeats = 1
        /// A GRAFT this soon after a PRUNE's backoff began is penalised twice.
        public var graftFloodThreshold: Duration = .seconds(10)
        /// Heartbeats between opportunistic grafting rounds.
        public var opportunisticGraftTicks = 60
        /// Peers grafted per opportunistic grafting round.
        public var opportunisticGraftPeers = 2
        /// Peers offered in PRUNE peer exchange.
        public var prunePeers = 16
        /// Publish own messages to every subscribed peer, not only the mesh.
        public var floodPublish = true
        /// For this long after publishing, an own message is announced (IHAVE) at every heartbeat
        /// to the topic's peers it has not reached (peers that subscribed or connected later, or
        /// reconnected), once more to every topic peer when it leaves the message cache (a copy
        /// may have died with a connection), and served to their IWANT. Zero (the default) is
        /// the spec's behaviour: a message reaches only the peers there when it was published.
        /// Other routers see ordinary IHAVEs.
        public var announcePublishedFor: Duration = .zero
        /// When a peer joins a mesh (either side's GRAFT), send it an IHAVE of the topic's gossip
        /// windows: a message validated just before the link formed went to the mesh of the
        /// moment, and heartbeat gossip skips mesh peers, so the new peer would hear of it from
        /// nobody. Ids only; the peer asks (IWANT) for what it lacks. Other routers see an
        /// ordinary IHAVE.
        public var gossipWindowOnGraft = true
        /// A peer whose GRAFT was refused because the mesh was full gets this router's gossip
        /// (IHAVE) at every heartbeat for the backoff's length, not by the gossip factor's draw:
        /// such a peer is likely short of mesh peers (after many of its peers left at once, say),
        /// and gossip is then its only source. Ids only.
        public var gossipToRefusedPeers = true
        /// A forward the send queue dropped unsent past its deadline (`OutboundQueuePolicy`'s
        /// `forwardExpiry`, reported through ``GossipSubRouter/forwardsExpired(_:to:now:)``) is
        /// announced to its peer instead (IHAVE): expiry assumes a peer that far behind has the
        /// message from another by then, and a peer with few others (a node that has just joined,
        /// catching up through one connection) may not. Ids only; the peer asks for what it lacks.
        public var gossipExpiredForwards = true
        /// With ``gossipExpiredForwards``, expired forwards are announced only once the peer's
        /// send queue holds no message frames (`OutboundFrameQueue.takeExpiredMessageIDs(onceDrained:)`),
        /// not at the first heartbeat after they expired. A peer asks the announcer for what it
        /// lacks, and while the announcer's queue to it is backlogged (under overload) the answer
        /// waits in that backlog while the peer asks nobody else; once the queue has drained it
        /// comes at once.
        public var gossipExpiredForwardsOnceDrained = true
        /// Most own messages remembered for `announcePublishedFor` (the oldest are forgotten first).
        public var maxAnnouncedPublished = 1024
        /// Most message ids requested from one peer per heartbeat (and per IHAVE sent).
        public var maxIHaveLength = 5000
        /// Most IHAVE messages handled from one peer per heartbeat.
        public var maxIHaveMessages = 10
        /// Time a peer has to answer an IWANT before its promise is broken.
        public var iwantFollowupTime: Duration = .seconds(3)
        /// Times the same message is sent to one peer through IWANT.
        public var gossipRetransmission = 3
        /// Messages at least this large trigger IDONTWANT to the mesh (v1.2).
        public var idontwantMessageSizeThreshold = 1024
        /// Also send IDONTWANT for own messages of at least that size, before them, to the peers
        /// they go to and the topic's mesh (as go-libp2p-pubsub and rust-libp2p can): a peer that
        /// gets another copy first does not send it back. Legal v1.2; off by default.
        public var idontwantOnPublish = false
        /// The v1.3 extensions this router advertises to `/meshsub/1.3.0` peers, in the first
        /// RPC to each (an empty set sends no Extensions message). An extension is used with a
        /// peer only when both advertised it; older peers never see any of it.
        public var extensions = ControlExtensions()
        /// How the PREAMBLE / IMRECEIVING extension behaves where it is used (advertise it in
        /// ``extensions``).
        public var preamble = PreambleParameters()
        /// How lazy mesh push behaves where it is used (advertise it in ``extensions``).
        public var announce = AnnounceParameters()
        /// Forwards held back where they would most likely be duplicates (off by default).
        public var forwardHold = ForwardHoldParameters()
        /// Heartbeats an IDONTWANT entry is remembered.
        public var idontwantTTLHeartbeats = 3
        /// Most IDONTWANT message ids remembered per peer (older ones are dropped).
        public var maxIDontWantMessages = 1000
        /// Default largest `data` accepted or published.
        public var maxMessageSize = 1 << 20
        /// Per-topic overrides of `maxMessageSize`.
        public var topicMaxMessageSize: [String: Int] = [:]
        /// How message ids are computed; by default the pubsub spec's `from ‖ seqno`.
        public var messageIDFunction: MessageIDFunction = .fromAndSeqno
        /// Whether messages are signed. StrictSign is the pubsub spec's default; StrictNoSign
        /// needs a content-based ``messageIDFunction``.
        public var signaturePolicy: SignaturePolicy
        /// Bounds enforced while decoding received RPCs; message size limits must stay below its
        /// `maxRPCSize`.
        public var rpcLimits = RPCLimits()

        /// The defaults shown on each property, with the signing policy chosen by the caller:
        /// StrictSign (the spec's default) needs this node's signer, which the router cannot
        /// invent. StrictNoSign also needs a content-based ``messageIDFunction``.
        public init(signaturePolicy: SignaturePolicy) {
            self.signaturePolicy = signaturePolicy
        }
    }

    /// The parameters, all invariants checked.
    public let parameters: Parameters

    /// Default parameters with `signaturePolicy`, validated like any other. With
    /// `.strictNoSign` this throws: the default `from ‖ seqno` ids need the fields StrictNoSign
    /// leaves out, so set a content-based ``Parameters/messageIDFunction`` first.
    public static func defaults(signaturePolicy: SignaturePolicy) throws(GossipSubConfigError) -> GossipSubConfig {
        try GossipSubConfig(validating: Parameters(signaturePolicy: signaturePolicy))
    }

    /// Checks every invariant of `parameters`.
    public init(validating p: Parameters) throws(GossipSubConfigError) {
        guard p.d >= 1 else { throw .invalid("d must be at least 1") }
        guard p.dLow >= 1 else { throw .invalid("dLow must be at least 1") }
        guard p.dOut >= 0, p.dOut <= p.dLow else { throw .invalid("dOut must be in 0...dLow") }
        guard p.dLow <= p.d, p.d <= p.dHigh else { throw .invalid("need dLow <= d <= dHigh") }
        guard p.dOut * 2 < p.d else { throw .invalid("dOut must be below d / 2") }
        guard p.dScore >= 0, p.dScore <= p.dHigh else { throw .invalid("dScore must be in 0...dHigh") }
        guard (p.inboundGraftLimit ?? p.dHigh) >= p.dHigh else { throw .invalid("inboundGraftLimit must be at least dHigh") }
        guard p.dLazy >= 0 else { throw .invalid("dLazy must not be negative") }
        guard p.gossipFactor >= 0, p.gossipFactor <= 1 else { throw .invalid("gossipFactor must be in 0...1") }
        guard p.heartbeatInterval > .zero else { throw .invalid("heartbeatInterval must be positive") }
        guard p.fanoutTTL > .zero else { throw .invalid("fanoutTTL must be positive") }
        guard p.seenTTL > .zero else { throw .invalid("seenTTL must be positive") }
        guard p.iwantFollowupTime > .zero else { throw .invalid("iwantFollowupTime must be positive") }
        guard p.pruneBackoff > .zero, p.unsubscribeBackoff > .zero else { throw .invalid("backoffs must be positive") }
        guard p.backoffSlackHeartbeats >= 0 else { throw .invalid("backoffSlackHeartbeats must not be negative") }
        guard p.graftFloodThreshold >= .zero else { throw .invalid("graftFloodThreshold must not be negative") }
        guard p.mcacheLen >= 1 else { throw .invalid("mcacheLen must be at least 1") }
        guard p.mcacheGossip >= 1, p.mcacheGossip <= p.mcacheLen else { throw .invalid("need 1 <= mcacheGossip <= mcacheLen") }
        guard p.prunePeers >= 0, p.prunePeers <= p.rpcLimits.maxPeersPerPrune else {
            throw .invalid("prunePeers must be in 0...rpcLimits.maxPeersPerPrune")
        }
        guard p.opportunisticGraftTicks >= 1, p.opportunisticGraftPeers >= 0 else {
            throw .invalid("opportunistic grafting parameters out of range")
        }
        guard p.maxIHaveLength >= 1, p.maxIHaveMessages >= 1 else { throw .invalid("IHAVE limits must be positive") }
        guard p.maxIHaveLength <= p.rpcLimits.maxMessageIDsPerRPC else {
            throw .invalid("maxIHaveLength must fit rpcLimits.maxMessageIDsPerRPC")
        }
        guard p.announcePublishedFor >= .zero, p.maxAnnouncedPublished >= 0 else {
            throw .invalid("announcePublishedFor and maxAnnouncedPublished must not be negative")
        }
        guard p.gossipRetransmission >= 1 else { throw .invalid("gossipRetransmission must be at least 1") }
        guard p.idontwantMessageSizeThreshold >= 0 else { throw .invalid("idontwantMessageSizeThreshold must not be negative") }
        guard p.idontwantTTLHeartbeats >= 1, p.maxIDontWantMessages >= 0 else { throw .invalid("IDONTWANT limits out of range") }
        let pre = p.preamble
        guard pre.messageSizeThreshold >= 0, pre.assumedBytesPerSecond > 0, pre.receiveMargin >= .zero,
              pre.maxOngoingPerPeer >= 0, pre.maxIMReceivingPerPeer >= 0, pre.sendAnywayAfter > .zero else {
            throw .invalid("preamble parameters out of range")
        }
        let lazy = p.announce
        guard lazy.dAnnounce >= 0, lazy.ineedTimeout > .zero, lazy.maxAnnouncersPerMessage >= 1,
              (lazy.ineedTimeoutCeiling ?? .seconds(1)) > .zero,
              lazy.maxEntriesPerHeartbeat >= 0, (0...100).contains(lazy.spreadSlope),
              (0...1_000).contains(lazy.claimsPerCopy) else {
            throw .invalid("announce parameters out of range")
        }
        let hold = p.forwardHold
        guard hold.delay >= .zero, hold.delay <= .seconds(10), (0...100).contains(hold.spreadSlope), hold.maxHeld >= 0 else {
            throw .invalid("forwardHold parameters out of range")
        }
        // Checked only where it is used: the default 4 exceeds a small test mesh's D.
        guard !p.extensions.announce || lazy.dAnnounce <= p.d else { throw .invalid("announce.dAnnounce must be in 0...d") }
        let sizes = [p.maxMessageSize] + Array(p.topicMaxMessageSize.values)
        guard sizes.allSatisfy({ $0 >= 1 && $0 < p.rpcLimits.maxRPCSize }) else {
            throw .invalid("message size limits must be in 1..<rpcLimits.maxRPCSize")
        }
        if case .fromAndSeqno = p.messageIDFunction, p.signaturePolicy.isStrictNoSign {
            throw .invalid("StrictNoSign needs a content-based message id function")
        }
        self.parameters = p
    }

    /// Largest `data` accepted on `topic`.
    public func maxMessageSize(topic: String) -> Int {
        parameters.topicMaxMessageSize[topic] ?? parameters.maxMessageSize
    }
}

/// A parameter set that breaks an invariant.
public enum GossipSubConfigError: Error, Equatable, Sendable {
    /// The broken invariant, in words (e.g. `need dLow <= d <= dHigh`).
    case invalid(String)
}
