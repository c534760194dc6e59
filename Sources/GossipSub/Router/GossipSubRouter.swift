import Multiformats

/// The gossipsub router (v1.0 mesh/fanout/gossip, v1.1 backoff/PX/flood publish/direct peers/
/// outbound quota/adaptive gossip, v1.2 IDONTWANT) as a sans-IO state machine.
///
/// It performs no I/O and reads no clock: every entry point takes `now` (virtual time since any
/// fixed origin) and returns the ``GossipSubAction``s to carry out. All random choices come from
/// the seeded ``DeterministicRNG`` and every iteration whose order reaches the output is over
/// sorted keys, so the same inputs and seed give the same actions.
public struct GossipSubRouter<Peer: GossipPeerID>: Sendable {
    /// What every entry point returns for the embedding layer to carry out.
    public typealias Action = GossipSubAction<Peer>

    struct PeerState: Sendable {
        var proto: GossipProtocol
        var outbound: Bool
        var direct: Bool
        /// Its score when the running heartbeat started (after decay and broken-promise
        /// penalties), used for all of that heartbeat's decisions as go-libp2p does; nil between
        /// heartbeats.
        var heartbeatScore: Double?
        /// The v1.3 extensions it advertised, known from its first RPC (nil before it, and for
        /// peers below v1.3).
        var extensions: ControlExtensions?
        /// It sent the Test Extension's message.
        var sentTestExtension = false
        /// The round-trip time to it, as the embedding layer last measured it
        /// (``GossipSubRouter/roundTripMeasured(_:to:)``).
        var roundTrip: Duration?
        /// How often it had a message already when this node forwarded one to the mesh: a
        /// moving average over forwards (``AnnouncedPeers/earliest``).
        var earliness = 0.0
        /// Claims of having a message (IDONTWANT, IMRECEIVING) still counted for it
        /// (``AnnounceParameters/claimsPerCopy``).
        var claimCredit = 0

        /// Speaks a mesh protocol and is not a direct peer: may be grafted or sent gossip.
        var meshCapable: Bool { proto.supportsMesh && !direct }
    }

    struct Pending: Sendable {
        var message: Message
        var source: Peer
        var receivedAt: Duration
        /// Peers that sent further copies while validation ran: no point sending it back.
        var alsoFrom: Set<Peer> = []

        /// `peer` sent a further copy while validation ran.
        mutating func noteCopy(from peer: Peer) {
            if peer != source { alsoFrom.insert(peer) }
        }
    }

    /// The validated configuration the router was built with.
    public let config: GossipSubConfig
    /// `config.parameters`, held directly (read in the hot loops).
    let params: GossipSubConfig.Parameters

    var rng: DeterministicRNG
    /// The score provider; replace or update it (e.g. ``PeerScore/setIPs(_:_:)``) between calls.
    /// To read a score or add a penalty use ``peerScore(_:now:)`` and ``penalize(_:reason:count:)``:
    /// they do not copy the provider.
    public var scoring: any PeerScoreProvider<Peer> {
        get { scorer.provider }
        set { scorer = RouterScoring(newValue) }
    }
    var scorer: RouterScoring<Peer>
    /// Connected peers (plain values: copying one costs no reference counting).
    var peers: [Peer: PeerState] = [:]
    /// The topics each connected peer is subscribed to.
    var peerTopics: [Peer: Set<String>] = [:]
    /// Each topic's subscribers, sorted.
    var topicPeers: [String: SortedPeers<Peer>] = [:]
    var mesh: [String: Set<Peer>] = [:]
    /// Peers whose GRAFT was accepted since the last heartbeat, by topic (see
    /// `GossipSubConfig.Parameters.keepsFreshGrafts`); at most a mesh's worth each.
    var freshGrafts: [String: Set<Peer>] = [:]
    /// How the meshes changed since the router started, by cause.
    public internal(set) var meshChanges = MeshChangeCounts()
    var fanout: [String: Set<Peer>] = [:]
    var fanoutLastPublish: [String: Duration] = [:]
    var subscriptions: Set<String> = []
    var mcache: MessageCache<Peer>
    var seen: SeenCache
    var backoff = BackoffTable<Peer>()
    var promises = GossipPromises<Peer>()
    var dontWant: IDontWantMemory<Peer>
    var pending: [MessageID: Pending] = [:]
    /// PREAMBLE / IMRECEIVING: bodies announced to us, messages peers are receiving.
    var preambles = PreambleState<Peer>()
    /// Lazy mesh push: messages announced to us and asked for.
    var announcements = AnnounceState<Peer>()
    /// Copies held back (``GossipSubConfig/Parameters/forwardHold``).
    var held = HeldForwards<Peer>()
    /// What holding back forwards did so far.
    public internal(set) var heldForwardCounts = HeldForwardCounts()
    /// IANNOUNCE and INEED entries handled per peer this heartbeat.
    var announceEntriesReceived: [Peer: Int] = [:]
    /// Own messages still announced to peers that arrive later (``GossipSubConfig/Parameters/announcePublishedFor``).
    var published: PublishedMessages<Peer>
    /// Per-heartbeat counters: IHAVEs received, ids asked for, IDONTWANT ids received.
    var peerHave: [Peer: Int] = [:]
    var iasked: [Peer: Int] = [:]
    var idontwantReceived: [Peer: Int] = [:]
    /// Ids asked for (IWANT) this heartbeat, of any peer: bounded by `maxIHaveLength` per peer.
    var iwantedThisHeartbeat: Set<MessageID> = []
    /// Per topic, connected peers whose GRAFT was refused for a full mesh, and until when they
    /// get gossip at every heartbeat (``GossipSubConfig/Parameters/gossipToRefusedPeers``).
    var refusedGrafts: [String: [Peer: Duration]] = [:]
    var seqno: UInt64 = 0
    /// Heartbeats run so far (``heartbeat(now:)`` calls).
    public internal(set) var heartbeatCount = 0

    /// A router with no peers, subscriptions or cached messages.
    ///
    /// - Parameters:
    ///   - config: message ids, signature policy, protocols and parameters; validate it first.
    ///   - seed: seeds every random choice (mesh selection, gossip targets, PX, IWANT sampling).
    ///   - scoring: the score provider; ``NoPeerScore`` until P1–P7 exist.
    public init(config: GossipSubConfig, seed: UInt64,
                scoring: any PeerScoreProvider<Peer> = NoPeerScore<Peer>()) {
        self.config = config
        self.params = config.parameters
        self.rng = DeterministicRNG(seed: seed)
        self.scorer = RouterScoring(scoring)
        let p = params
        self.mcache = MessageCache(windows: p.mcacheLen, gossipWindows: p.mcacheGossip)
        self.seen = SeenCache(ttl: p.seenTTL)
        self.published = PublishedMessages(capacity: p.announcePublishedFor > .zero ? p.maxAnnouncedPublished : 0)
        self.dontWant = IDontWantMemory(ttlHeartbeats: p.idontwantTTLHeartbeats, maxPerPeer: p.maxIDontWantMessages)
    }

    // MARK: Introspection

    /// The peers in this node's mesh for `topic`, sorted; empty when not subscribed.
    public func meshPeers(_ topic: String) -> [Peer] { (mesh[topic] ?? []).sorted() }
    /// How many peers the mesh of `topic` holds (``meshPeers(_:)`` without sorting them).
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public func meshDegree(_ topic: String) -> Int { mesh[topic]?.count ?? 0 }
    /// The fanout peers of `topic` (a topic published on without subscribing), sorted.
    public func fanoutPeers(_ topic: String) -> [Peer] { (fanout[topic] ?? []).sorted() }
    /// The connected peers subscribed to `topic`, sorted.
    public func subscribers(_ topic: String) -> [Peer] { topicPeers[topic]?.elements ?? [] }
    /// Whether this node is subscribed to `topic`.
    public func isSubscribed(_ topic: String) -> Bool { subscriptions.contains(topic) }
    /// Peers with an open pubsub stream, sorted.
    public var connectedPeers: [Peer] { peers.keys.sorted() }
    /// The v1.3 extensions `peer` advertised, known once its first RPC arrived; nil before
    /// that and for peers below v1.3.
    public func extensions(of peer: Peer) -> ControlExtensions? { peers[peer]?.extensions }
    /// Whether this router and `peer` both advertised the PREAMBLE / IMRECEIVING extension, so
    /// that large messages to it are announced first (``preamble(for:id:to:)``).
    public func usesPreamble(with peer: Peer) -> Bool {
        params.extensions.preamble && peers[peer]?.extensions?.preamble == true
    }
    /// Whether this router and `peer` both advertised lazy mesh push (IANNOUNCE / INEED).
    public func usesAnnounce(with peer: Peer) -> Bool {
        params.extensions.announce && peers[peer]?.extensions?.announce == true
    }
    /// Messages announced to this node (IANNOUNCE) and asked for, not yet received.
    public var announcedMessagesAwaited: Int { announcements.requests.count }
    /// Message bodies announced to this node that have not arrived yet.
    public var announcedBodiesAwaited: Int { preambles.ongoing.count }
    /// Whether `peer` said it is receiving message `id` and has not confirmed it with IDONTWANT.
    public func peerIsReceiving(_ peer: Peer, id: MessageID) -> Bool { preambles.isReceiving(peer, id: id) }

    /// The RPC announcing `message` (whose id is `id`) to `peer`, to be written just before
    /// the RPC that carries it: `nil` unless both sides use the PREAMBLE / IMRECEIVING extension
    /// and the message's data reaches ``PreambleParameters/messageSizeThreshold``. The embedding
    /// layer calls it when the message's frame starts on its way (not when it is queued), so
    /// that the body follows the announcement without delay, as the extension promises.
    public func preamble(for message: RawMessage, id: MessageID, to peer: Peer) -> RPC? {
        let length = message.data?.count ?? 0
        guard length >= params.preamble.messageSizeThreshold, usesPreamble(with: peer),
              let length32 = UInt32(exactly: length) else { return nil }
        let preamble = Preamble(topic: message.topic, messageID: id, messageLength: length32)
        return RPC(preambleExtension: PreambleExtension(preambles: [preamble]))
    }
    /// Whether `peer` sent the Test Extension's message (``RPC/testExtension``).
    public func receivedTestExtension(from peer: Peer) -> Bool { peers[peer]?.sentTestExtension ?? false }
    /// Delivered messages still awaiting ``validationResult(_:_:now:)`` (dropped after the seen TTL).
    public var pendingValidations: Int { pending.count }
    /// Whether a PRUNE backoff still forbids grafting `peer` in `topic` at `now`.
    public func isBackedOff(_ peer: Peer, topic: String, now: Duration) -> Bool {
        backoff.isBackedOff(peer, topic: topic, now: now)
    }
    /// The connected subscribers of `topic` outside its mesh that a PRUNE backoff keeps out of it
    /// at `now`, the longest wait first (ties in peer order): the connections a node short of
    /// mesh peers gains most by replacing (``PeerDialPlanner`` rotates them).
    public func backedOffSubscribers(_ topic: String, now: Duration) -> [Peer] {
        guard let subscribers = topicPeers[topic] else { return [] }
        let meshSet = mesh[topic] ?? []
        var waiting: [(peer: Peer, until: Duration)] = []
        for peer in subscribers where !meshSet.contains(peer) {
            if let until = backoff.deadline(peer, topic: topic), until > now { waiting.append((peer, until)) }
        }
        return waiting.sorted { $0.until != $1.until ? $0.until > $1.until : $0.peer < $1.peer }.map(\.peer)
    }

    // MARK: Peers

    /// A pubsub stream to `peer` is open. Our subscriptions are announced to it.
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public mutating func peerConnected(_ peer: Peer, protocol proto: GossipProtocol, outbound: Bool,
                                       direct: Bool = false, now: Duration) -> [Action] {
        guard peers[peer] == nil else { return [] }
        peers[peer] = PeerState(proto: proto, outbound: outbound, direct: direct)
        scorer.peerConnected(peer, now: now)
        var out = Outbox<Peer>()
        // The hello: the first RPC on our stream carries our extensions (v1.3).
        if proto.supportsExtensions, !params.extensions.isEmpty { out.extensions(peer, params.extensions) }
        for topic in subscriptions.sorted() { out.subscription(peer, SubOpts(subscribe: true, topic: topic)) }
        return out.actions(limits: params.rpcLimits)
    }

    /// The embedding layer measured the round-trip time to `peer` (a ping, a handshake). Lazy
    /// mesh push with ``AnnouncedPeers/nearest`` announces to the nearest peers.
    public mutating func roundTripMeasured(_ roundTrip: Duration, to peer: Peer) {
        peers[peer]?.roundTrip = roundTrip
    }

    /// Whether lazy mesh push picks its peers by round-trip time (``AnnouncedPeers/nearest``):
    /// then the embedding layer should report them (``roundTripMeasured(_:to:)``).
    public var wantsRoundTrips: Bool {
        params.extensions.announce && (params.announce.choice == .nearest || params.announce.bodiesBeyondRoundTrip != nil)
    }

    /// The round-trip time to `peer` last reported, if any.
    public func roundTrip(to peer: Peer) -> Duration? { peers[peer]?.roundTrip }

    /// `peer` is gone: it leaves every mesh, fanout and table.
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public mutating func peerDisconnected(_ peer: Peer, now: Duration) -> [Action] {
        guard peers.removeValue(forKey: peer) != nil else { return [] }
        scorer.peerDisconnected(peer, now: now)
        for topic in peerTopics.removeValue(forKey: peer) ?? [] { topicPeers[topic]?.remove(peer) ; if topicPeers[topic]?.isEmpty ?? false { topicPeers[topic] = nil } }
        var out = Outbox<Peer>()
        for topic in mesh.keys.sorted() where mesh[topic]?.remove(peer) != nil {
            scorer.pruned(peer, topic: topic, now: now)
            out.event(.pruned(peer, topic: topic))
        }
        for topic in Array(fanout.keys) { fanout[topic]?.remove(peer) }
        for topic in Array(refusedGrafts.keys) where refusedGrafts[topic]?.removeValue(forKey: peer) != nil {
            if refusedGrafts[topic]?.isEmpty ?? false { refusedGrafts[topic] = nil }
        }
        dontWant.removePeer(peer)
        preambles.removePeer(peer)
        announcements.removePeer(peer)
        announceEntriesReceived[peer] = nil
        published.forget(peer)
        peerHave[peer] = nil
        iasked[peer] = nil
        idontwantReceived[peer] = nil
        return out.actions(limits: params.rpcLimits)
    }

    // MARK: Subscriptions

    /// Joins `topic`: announces it and builds a mesh from fanout peers, then other subscribers.
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public mutating func subscribe(_ topic: String, now: Duration) -> [Action] {
        guard subscriptions.insert(topic).inserted else { return [] }
        var out = Outbox<Peer>()
        for peer in peers.keys.sorted() { out.subscription(peer, SubOpts(subscribe: true, topic: topic)) }
        var meshSet = Set<Peer>()
        let fromFanout = (fanout.removeValue(forKey: topic) ?? []).filter {
            isMeshCandidate($0, topic: topic, now: now)
        }
        meshSet.formUnion(rng.sample(params.d, from: fromFanout))
        fanoutLastPublish[topic] = nil
        if meshSet.count < params.d {
            let candidates = (topicPeers[topic] ?? []).filter { !meshSet.contains($0) && isMeshCandidate($0, topic: topic, now: now) }
            meshSet.formUnion(rng.sample(params.d - meshSet.count, fromSorted: candidates))
        }
        mesh[topic] = meshSet
        meshChanges.graftsForShortMesh += meshSet.count
        for peer in meshSet.sorted() { graft(peer, topic: topic, now: now, out: &out) }
        return out.actions(limits: params.rpcLimits)
    }

    /// Leaves `topic`: announces it and prunes the mesh with the unsubscribe backoff.
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public mutating func unsubscribe(_ topic: String, now: Duration) -> [Action] {
        guard subscriptions.remove(topic) != nil else { return [] }
        var out = Outbox<Peer>()
        for peer in peers.keys.sorted() { out.subscription(peer, SubOpts(subscribe: false, topic: topic)) }
        for peer in (mesh.removeValue(forKey: topic) ?? []).sorted() {
            prune(peer, topic: topic, peerExchange: true, backoff: params.unsubscribeBackoff, now: now, out: &out)
            scorer.pruned(peer, topic: topic, now: now)
            out.event(.pruned(peer, topic: topic))
        }
        return out.actions(limits: params.rpcLimits)
    }

    // MARK: Publishing

    /// Publishes `data` on `topic`: to every subscribed peer with flood publishing, otherwise to
    /// the mesh (or fanout), plus direct and floodsub peers.
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public mutating func publish(topic: String, data: [UInt8], now: Duration)
        throws(PublishError) -> (id: MessageID, actions: [Action]) {
        let limit = config.maxMessageSize(topic: topic)
        guard data.count <= limit else { throw .messageTooLarge(size: data.count, limit: limit) }
        var raw = RawMessage(data: data, topic: topic)
        if case .strictSign(let signer, _) = params.signaturePolicy {
            seqno &+= 1
            raw.from = signer.authorID
            raw.seqno = withUnsafeBytes(of: seqno.bigEndian) { Array($0) }
            raw.key = signer.publicKey
            do { raw.signature = try signer.sign(raw.signingPayload) } catch { throw .signingFailed }
        }
        let message = Message(id: params.messageIDFunction.id(of: raw), raw: raw)
        guard seen.insert(message.id, now: now) else { throw .duplicate(message.id) }
        mcache.put(message)

        let thresholds = scorer.thresholds
        var targets = Set<Peer>()
        let subscribers = topicPeers[topic] ?? []
        for peer in subscribers {
            guard let state = peers[peer] else { continue }
            if state.direct || !state.proto.supportsMesh {
                if state.direct || scorer.score(peer, now: now) >= thresholds.publishThreshold { targets.insert(peer) }
            } else if params.floodPublish, scorer.score(peer, now: now) >= thresholds.publishThreshold {
                targets.insert(peer)
            }
        }
        if !params.floodPublish {
            if let meshPeers = mesh[topic] {
                targets.formUnion(meshPeers)
            } else {
                var fanoutPeers = fanout[topic] ?? []
                if fanoutPeers.isEmpty {
                    let candidates = subscribers.filter {
                        guard let s = peers[$0] else { return false }
                        return s.meshCapable && scorer.score($0, now: now) >= thresholds.publishThreshold
                    }
                    fanoutPeers = Set(rng.sample(params.d, fromSorted: candidates))
                    fanout[topic] = fanoutPeers
                }
                fanoutLastPublish[topic] = now
                targets.formUnion(fanoutPeers)
            }
        }
        published.add(message, reached: targets, now: now)
        var out = Outbox<Peer>()
        if params.idontwantOnPublish, data.count >= params.idontwantMessageSizeThreshold {
            for peer in targets.union(mesh[topic] ?? []).sorted() where peers[peer]?.proto.supportsIDontWant ?? false {
                out.idontwant(peer, message.id)
            }
        }
        for peer in targets.sorted() { out.message(peer, raw) }
        return (message.id, out.actions(limits: params.rpcLimits))
    }

    // MARK: Validation

    /// The application's verdict on a message it got through ``GossipSubAction/deliver(_:source:)``.
    /// Accepted messages are cached for gossip and forwarded to the mesh.
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public mutating func validationResult(_ id: MessageID, _ result: ValidationResult, now: Duration) -> [Action] {
        guard let entry = pending.removeValue(forKey: id) else { return [] }
        scorer.validated(id, topic: entry.message.topic, source: entry.source, result: result, now: now)
        var out = Outbox<Peer>()
        switch result {
        case .accept:
            mcache.put(entry.message)
            forward(entry.message, source: entry.source, skip: entry.alsoFrom, now: now, out: &out)
        case .reject:
            promises.messageRejected(id, from: entry.source)
            penalize(entry.source, .invalidMessage, out: &out)
        case .ignore:
            break
        }
        return out.actions(limits: params.rpcLimits)
    }

    /// Sends an accepted message to the mesh, direct and floodsub peers of its topic, except its
    /// source, the peers in `skip`, its author and peers that said IDONTWANT.
    mutating func forward(_ message: Message, source: Peer, skip: Set<Peer>, now: Duration, out: inout Outbox<Peer>) {
        let topic = message.topic
        var targets = mesh[topic] ?? []
        let publishThreshold = scorer.thresholds.publishThreshold
        for peer in topicPeers[topic] ?? [] {
            guard let s = peers[peer] else { continue }
            if s.direct || (!s.proto.supportsMesh && scorer.score(peer, now: now) >= publishThreshold) {
                targets.insert(peer)
            }
        }
        targets.remove(source)
        targets.subtract(skip)
        let checkReceiving = !preambles.isEmpty
        var sendTo = targets.sorted()
        sendTo.removeAll { peer in
            if dontWant.contains(peer, id: message.id) { return true }
            // It said IMRECEIVING: it gets this message from another (or from us, if that fails).
            if checkReceiving, preambles.isReceiving(peer, id: message.id) { return true }
            if let from = message.raw.from, from == peer.wireBytes { return true }
            return false
        }
        let holds = params.forwardHold.isEnabled && message.data.count >= params.idontwantMessageSizeThreshold
        let lazy = params.announce
        let lazyPushRanksByEarliness = params.extensions.announce && lazy.dAnnounce > 0 && lazy.choice == .earliest
        if holds || lazyPushRanksByEarliness, let meshPeers = mesh[topic] { noteEarliness(meshPeers, lacking: sendTo) }
        let announceTo = lazyPushTargets(sendTo, source: source, sentCopies: skip, author: message.raw.from, topic: topic)
        let holdFor = holds ? heldTargets(sendTo, announced: announceTo, source: source, topic: topic) : []
        for peer in sendTo {
            if announceTo.contains(peer) {
                out.iannounce(peer, IAnnounce(topic: topic, messageID: message.id))
            } else if holdFor.contains(peer),
                      held.hold(message.id, for: peer, until: now + params.forwardHold.delay, limit: params.forwardHold.maxHeld) {
                heldForwardCounts.held += 1
            } else {
                out.message(peer, message.raw)
            }
        }
    }

    /// Of the peers a forward goes to (`sendTo`, less those `announced` an id), the mesh peers
    /// whose copy is held back (``ForwardHoldParameters``): as many as
    /// `spreadSlope × had / others` of them would give on average, those that most often had
    /// messages first.
    mutating func heldTargets(_ sendTo: [Peer], announced: [Peer], source: Peer, topic: String) -> [Peer] {
        guard let meshPeers = mesh[topic] else { return [] }
        let meshRecipients = sendTo.filter { meshPeers.contains($0) }
        let eligible = meshRecipients.filter { !announced.contains($0) }
        guard !eligible.isEmpty else { return [] }
        let others = meshPeers.count - (meshPeers.contains(source) ? 1 : 0)
        guard others > 0 else { return [] }
        let had = others - meshRecipients.count
        let (odds, outOf) = (min(Int(params.forwardHold.spreadSlope * 1000) * had, 1000 * others), 1000 * others)
        let ranked = earliestFirst(eligible)
        return Array(ranked.prefix(drawCount(of: eligible.count, odds: odds, outOf: outOf)))
    }

    /// `candidates`, those that most often had messages first (``AnnouncedPeers/earliest``) first.
    func earliestFirst(_ candidates: [Peer]) -> [Peer] {
        candidates.map { (peer: $0, earliness: peers[$0]?.earliness ?? 0) }.sorted {
            $0.earliness != $1.earliness ? $0.earliness > $1.earliness : $0.peer < $1.peer
        }.map(\.peer)
    }

    /// How many of `count` peers a coin toss each with `odds` in `outOf` would pick on average:
    /// the whole part, and the fraction by one toss.
    mutating func drawCount(of count: Int, odds: Int, outOf: Int) -> Int {
        let share = count * odds
        return share / outOf + (rng.below(outOf) < share % outOf ? 1 : 0)
    }

    /// Sends the held copies due at `now` whose peers are still connected and have not said
    /// IDONTWANT or IMRECEIVING for them since.
    mutating func releaseHeld(now: Duration, out: inout Outbox<Peer>) {
        for (peer, id) in held.due(now: now) {
            guard peers[peer] != nil, !dontWant.contains(peer, id: id),
                  preambles.isEmpty || !preambles.isReceiving(peer, id: id), let message = mcache.get(id) else {
                heldForwardCounts.dropped += 1
                continue
            }
            heldForwardCounts.sent += 1
            out.message(peer, message.raw)
        }
    }

    /// Of the peers a forward goes to, the mesh peers that get the message's id instead
    /// (lazy mesh push), `dAnnounce` in `d` of them or as ``AnnounceParameters/spreadSlope``
    /// says: each by a coin toss, or the first ones by ``AnnounceParameters/choice``, as many as
    /// the coin tosses would give on average. `sentCopies` and `author` had the message for sure;
    /// other mesh peers left out of `sendTo` only said so.
    mutating func lazyPushTargets(_ sendTo: [Peer], source: Peer, sentCopies: Set<Peer>, author: [UInt8]?,
                                  topic: String) -> [Peer] {
        let lazy = params.announce
        guard params.extensions.announce, lazy.dAnnounce > 0, let meshPeers = mesh[topic] else { return [] }
        let meshRecipients = sendTo.filter { meshPeers.contains($0) }
        var eligible = meshRecipients.filter { usesAnnounce(with: $0) }
        if let far = lazy.bodiesBeyondRoundTrip {
            eligible.removeAll { peer in peers[peer]?.roundTrip.map { $0 >= far } ?? false }
        }
        guard !eligible.isEmpty else { return [] }
        // The odds of an id: dAnnounce in d, or by the message's spread (in thousandths).
        var (odds, outOf) = (lazy.dAnnounce, params.d)
        if lazy.spreadSlope > 0 {
            let others = meshPeers.count - (meshPeers.contains(source) ? 1 : 0)
            var had = others - meshRecipients.count
            if lazy.claimsPerCopy > 0 {
                for peer in meshPeers where peer != source && !sentCopies.contains(peer) && !meshRecipients.contains(peer) {
                    if let author, author == peer.wireBytes { continue }
                    if !spendClaimCredit(peer) { had -= 1 }
                }
            }
            (odds, outOf) = (min(Int(lazy.spreadSlope * 1000) * had, 1000 * others), 1000 * others)
        }
        let ranked: [Peer]
        switch lazy.choice {
        case .random:
            return eligible.filter { _ in rng.below(outOf) < odds }
        case .nearest:
            // Unknown round trips last.
            ranked = eligible.map { (peer: $0, roundTrip: peers[$0]?.roundTrip) }.sorted {
                switch ($0.roundTrip, $1.roundTrip) {
                case let (a?, b?) where a != b: a < b
                case (_?, nil): true
                case (nil, _?): false
                default: $0.peer < $1.peer
                }
            }.map(\.peer)
        case .earliest:
            ranked = earliestFirst(eligible)
        }
        return Array(ranked.prefix(drawCount(of: eligible.count, odds: odds, outOf: outOf)))
    }

    /// A claim of `peer`'s counts if it holds credit, which it spends.
    mutating func spendClaimCredit(_ peer: Peer) -> Bool {
        guard let index = peers.index(forKey: peer), peers.values[index].claimCredit > 0 else { return false }
        peers.values[index].claimCredit -= 1
        return true
    }

    /// `peer` sent a copy of a large message: it earns ``AnnounceParameters/claimsPerCopy`` claims,
    /// up to four copies' worth.
    mutating func creditCopy(from peer: Peer) {
        let perCopy = params.announce.claimsPerCopy
        guard let index = peers.index(forKey: peer) else { return }
        peers.values[index].claimCredit = min(peers.values[index].claimCredit + perCopy, 4 * perCopy)
    }

    /// One forward's weight in a peer's earliness: about the last ten forwards count.
    static var earlinessWeight: Double { 0.1 }

    /// Each mesh peer had the message being forwarded already unless it is in `lacking` (noted
    /// once per forward, before lazy push or held forwards rank peers by it).
    mutating func noteEarliness(_ meshPeers: Set<Peer>, lacking: [Peer]) {
        for peer in meshPeers {
            guard let earliness = peers[peer]?.earliness else { continue }
            let had = lacking.contains(peer) ? 0.0 : 1.0
            peers[peer]?.earliness = earliness + Self.earlinessWeight * (had - earliness)
        }
    }

    // MARK: Shared helpers

    /// A peer we may add to the mesh of `topic`.
    func isMeshCandidate(_ peer: Peer, topic: String, now: Duration) -> Bool {
        guard let s = peers[peer], s.meshCapable else { return false }
        let slack = params.heartbeatInterval * params.backoffSlackHeartbeats
        guard !backoff.isBackedOff(peer, topic: topic, now: now - slack) else { return false }
        if let score = s.heartbeatScore { return score >= 0 }
        return scorer.score(peer, now: now) >= 0
    }

    /// `peer`'s score: the one computed when the running heartbeat started, else the current one.
    func score(_ peer: Peer, now: Duration) -> Double {
        // Not `??`: its right side, a closure reading `scorer`, made the compiler copy the whole
        // router on every call.
        if let score = peers[peer]?.heartbeatScore { return score }
        return scorer.score(peer, now: now)
    }

    mutating func graft(_ peer: Peer, topic: String, now: Duration, out: inout Outbox<Peer>) {
        out.graft(peer, topic: topic)
        scorer.grafted(peer, topic: topic, now: now)
        out.event(.grafted(peer, topic: topic))
        gossipWindow(to: peer, topic: topic, now: now, out: &out)
    }

    /// Queues a PRUNE to `peer` (with backoff and optional PX for v1.1+ peers) and backs off
    /// from it ourselves for `backoff`.
    mutating func prune(_ peer: Peer, topic: String, peerExchange: Bool, backoff duration: Duration,
                        now: Duration, out: inout Outbox<Peer>) {
        backoff.set(peer, topic: topic, until: now + duration)
        guard let state = peers[peer] else { return }
        var control = ControlPrune(topic: topic)
        if state.proto.supportsPeerExchange {
            control.backoffSeconds = UInt64(max(0, duration.components.seconds))
            if peerExchange, params.prunePeers > 0 {
                let candidates = (topicPeers[topic] ?? []).filter {
                    $0 != peer && (peers[$0]?.proto.supportsMesh ?? false) && scorer.score($0, now: now) >= 0
                }
                control.peers = rng.sample(params.prunePeers, fromSorted: candidates).map { PeerInfo(peerID: $0.wireBytes) }
            }
        }
        out.prune(peer, control)
    }

    /// `peer`'s current score.
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public func peerScore(_ peer: Peer, now: Duration) -> Double { scorer.score(peer, now: now) }

    /// Peers that left while their counters were still kept (`retainScore`) and that score below
    /// `threshold`: a peer can leave before the verdict on a message it sent arrives, and the
    /// P₄ penalty lands on its retained counters; a ban policy that looks only at connected
    /// peers would never see it.
    public func disconnectedPeers(scoredBelow threshold: Double, now: Duration) -> [Peer] {
        scorer.disconnectedPeers(scoredBelow: threshold, now: now)
    }

    /// Adds a behavioural penalty (P₇) to `peer`, for what the router cannot see itself (a
    /// malformed frame, a peer too slow to take its frames).
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public mutating func penalize(_ peer: Peer, reason: PenaltyReason, count: Int = 1) {
        scorer.penalize(peer, reason: reason, count: count)
    }

    /// Tells scoring the IP addresses `peer` is connected from (P6, IP colocation), in place.
    public mutating func setPeerIPs(_ peer: Peer, _ ips: [String]) {
        scorer.setIPs(peer, ips)
    }

    mutating func penalize(_ peer: Peer, _ reason: PenaltyReason, count: Int = 1, out: inout Outbox<Peer>) {
        scorer.penalize(peer, reason: reason, count: count)
        out.event(.penalised(peer, reason: reason, count: count))
    }
}
