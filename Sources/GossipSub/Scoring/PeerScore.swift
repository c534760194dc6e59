/// Gossipsub v1.1 peer scoring (P₁–P₇) behind the ``PeerScoreProvider`` seam.
///
/// Scores are computed on demand from counters; counters decay in ``refresh(now:)`` (called by
/// the router every heartbeat) once per elapsed `decayInterval`. No clock is read.
public struct PeerScore<Peer: GossipPeerID>: PeerScoreProvider {
    struct TopicStats: Sendable {
        /// The topic's parameters, kept with its counters so that a score looks up nothing.
        let parameters: TopicScoreParameters
        var inMesh = false
        var graftTime: Duration = .zero
        var firstMessageDeliveries = 0.0
        var meshMessageDeliveries = 0.0
        var meshFailurePenalty = 0.0
        var invalidMessageDeliveries = 0.0
    }

    struct PeerStats: Sendable {
        var topics = TopicTable<TopicStats>()
        var ips: [String] = []
        /// Whether the peer counts on its ``ips`` (from ``setIPs(_:_:)`` until it disconnects).
        var onAddresses = false
        /// P₆ over ``ips`` while ``onAddresses``, kept current as peers come and go on those
        /// addresses (a score would otherwise hash each address twice).
        var colocationPenalty = 0.0
        var behaviourPenalty = 0.0
        var applicationScore = 0.0
    }

    enum DeliveryStatus: Sendable { case pending, valid, invalid, ignored }

    struct DeliveryRecord: Sendable {
        var status: DeliveryStatus = .pending
        /// When the first copy arrived (compact: one record per message per node).
        let firstSeenAt: CompactInstant
        private var validatedAt = CompactInstant(.zero)
        /// Peers that sent copies, in order. A sorted array, not a `Set`: a record rarely names
        /// more peers than the mesh holds, and every node keeps one per message for
        /// `deliveryRecordTTL`, where a set's storage took twice the memory.
        var peers: SortedPeers<Peer> = []

        init(firstSeen: Duration) { firstSeenAt = CompactInstant(firstSeen) }

        /// When the verdict came (zero while pending).
        var validated: Duration {
            get { validatedAt.duration }
            set { validatedAt = CompactInstant(newValue) }
        }
    }

    /// The weights, caps and decays, validated by ``init(parameters:thresholds:)``.
    public let parameters: PeerScoreParameters
    /// The thresholds the router compares scores against.
    public var thresholds: PeerScoreThresholds
    var stats: [Peer: PeerStats] = [:]
    /// The peers in `stats` that left, with when their counters expire: what the ban policy and
    /// the expiry look at, without reading (copying) every peer's statistics.
    var departed: [Peer: Duration] = [:]
    var peersByIP: [String: Set<Peer>] = [:]
    var deliveries: [MessageID: DeliveryRecord] = [:]
    var deliveryOrder: [(MessageID, CompactInstant)] = []
    var deliveryHead = 0
    var lastDecay: Duration?

    /// A scorer with no peers yet; throws ``GossipSubConfigError/invalid(_:)`` when `parameters`
    /// break a range or the thresholds are not ordered
    /// `graylist <= publish <= gossip <= 0 <= acceptPX` with `opportunisticGraft >= 0`.
    public init(parameters: PeerScoreParameters, thresholds: PeerScoreThresholds = PeerScoreThresholds()) throws(GossipSubConfigError) {
        self.parameters = try parameters.validated()
        guard thresholds.gossipThreshold <= 0, thresholds.publishThreshold <= thresholds.gossipThreshold,
              thresholds.graylistThreshold <= thresholds.publishThreshold, thresholds.acceptPXThreshold >= 0,
              thresholds.opportunisticGraftThreshold >= 0 else {
            throw .invalid("need graylist <= publish <= gossip <= 0 <= acceptPX, opportunisticGraft >= 0")
        }
        self.thresholds = thresholds
    }

    // MARK: Application inputs

    /// P₅: the application's own score for `peer`.
    public mutating func setApplicationScore(_ peer: Peer, _ value: Double) {
        stats[peer, default: PeerStats()].applicationScore = value
    }

    /// P₆: the IP addresses `peer` is connected from (replaces earlier ones).
    public mutating func setIPs(_ peer: Peer, _ ips: [String]) {
        let old = stats[peer]?.ips ?? []
        for ip in old { removeIP(ip, peer) }
        stats[peer, default: PeerStats()].ips = ips
        stats[peer]?.onAddresses = true
        for ip in ips { peersByIP[ip, default: []].insert(peer) }
        updateColocation(of: peer, onAddresses: old + ips)
    }

    private mutating func removeIP(_ ip: String, _ peer: Peer) {
        peersByIP[ip]?.remove(peer)
        if peersByIP[ip]?.isEmpty ?? false { peersByIP[ip] = nil }
    }

    /// Recomputes the stored P₆ of `peer` and of every peer on `ips`, whose counts changed.
    private mutating func updateColocation(of peer: Peer, onAddresses ips: [String]) {
        var peers: Set<Peer> = [peer]
        for ip in ips { peers.formUnion(peersByIP[ip] ?? []) }
        for peer in peers {
            guard let ips = stats[peer]?.ips else { continue }
            let penalty = colocation(of: ips)
            stats[peer]?.colocationPenalty = penalty
        }
    }

    /// P₆ of a peer on `ips`, counted from who is on them now.
    func colocation(of ips: [String]) -> Double {
        var penalty = 0.0
        for ip in ips where !parameters.ipColocationFactorWhitelist.contains(ip) {
            let surplus = (peersByIP[ip]?.count ?? 0) - parameters.ipColocationFactorThreshold
            if surplus > 0 { penalty += parameters.ipColocationFactorWeight * Double(surplus * surplus) }
        }
        return penalty
    }

    // MARK: Score

    /// The weighted sum of P₁–P₄ over the peer's scored topics (capped by `topicScoreCap`), P₅,
    /// P₆ for each of its addresses and P₇; 0 for a peer without counters.
    public func score(_ peer: Peer, now: Duration) -> Double {
        guard let s = stats[peer] else { return 0 }
        var topicTotal = 0.0
        func add(_ t: TopicStats) {
            let p = t.parameters
            var topicScore = 0.0
            if t.inMesh {
                let meshTime = now - t.graftTime
                let p1 = min(meshTime / p.timeInMeshQuantum, p.timeInMeshCap)
                topicScore += p.timeInMeshWeight * p1
            }
            topicScore += p.firstMessageDeliveriesWeight * t.firstMessageDeliveries
            let deficit = meshDeficit(t, p, now: now)
            topicScore += p.meshMessageDeliveriesWeight * deficit * deficit
            topicScore += p.meshFailurePenaltyWeight * t.meshFailurePenalty
            topicScore += p.invalidMessageDeliveriesWeight * t.invalidMessageDeliveries * t.invalidMessageDeliveries
            topicTotal += p.topicWeight * topicScore
        }
        // In topic order: floating-point sums must not depend on hash order.
        for entry in s.topics.entries { add(entry.value) }
        if parameters.topicScoreCap > 0 { topicTotal = min(topicTotal, parameters.topicScoreCap) }
        var score = topicTotal + parameters.appSpecificWeight * s.applicationScore
        // A peer that left its addresses is not kept current (others may have come and gone).
        score += s.onAddresses ? s.colocationPenalty : colocation(of: s.ips)
        let excess = s.behaviourPenalty - parameters.behaviourPenaltyThreshold
        if excess > 0 { score += parameters.behaviourPenaltyWeight * excess * excess }
        return score
    }

    /// The P₃ delivery deficit of a mesh member past its activation time, else 0.
    func meshDeficit(_ t: TopicStats, _ p: TopicScoreParameters, now: Duration) -> Double {
        guard t.inMesh, now - t.graftTime > p.meshMessageDeliveriesActivation,
              t.meshMessageDeliveries < p.meshMessageDeliveriesThreshold else { return 0 }
        return p.meshMessageDeliveriesThreshold - t.meshMessageDeliveries
    }

    /// Disconnected peers with retained counters that score below `threshold`, ascending.
    public func disconnectedPeers(scoredBelow threshold: Double, now: Duration) -> [Peer] {
        departed.keys.filter { score($0, now: now) < threshold }.sorted()
    }

    // MARK: Router events

    /// Marks `peer` connected, keeping counters retained from an earlier connection.
    public mutating func peerConnected(_ peer: Peer, now: Duration) {
        if stats.index(forKey: peer) == nil { stats[peer] = PeerStats() }
        departed[peer] = nil
    }

    /// Takes `peer` out of every mesh (adding any delivery deficit to P₃b), stops counting its
    /// addresses for P₆ and keeps its counters for `retainScore`.
    public mutating func peerDisconnected(_ peer: Peer, now: Duration) {
        guard var s = stats[peer] else { return }
        for topic in s.topics.topics { leaveMesh(&s, topic: topic, now: now) }
        s.onAddresses = false
        stats[peer] = s
        departed[peer] = now + parameters.retainScore
        for ip in s.ips { removeIP(ip, peer) }
        updateColocation(of: peer, onAddresses: s.ips)
    }

    /// `peer` joined the mesh of `topic`: P₁ time in mesh starts at `now` (topics without
    /// parameters are not scored).
    public mutating func grafted(_ peer: Peer, topic: String, now: Duration) {
        guard let p = parameters.topics[topic] else { return }
        stats[peer, default: PeerStats()].topics[topic, default: TopicStats(parameters: p)].inMesh = true
        stats[peer]?.topics[topic]?.graftTime = now
    }

    /// `peer` left the mesh of `topic`; an active P₃ delivery deficit is added, squared, to P₃b.
    public mutating func pruned(_ peer: Peer, topic: String, now: Duration) {
        guard var s = stats[peer] else { return }
        leaveMesh(&s, topic: topic, now: now)
        stats[peer] = s
    }

    /// Leaving the mesh with an active delivery deficit adds it, squared, to P₃b.
    private func leaveMesh(_ s: inout PeerStats, topic: String, now: Duration) {
        guard var t = s.topics[topic], t.inMesh else { return }
        let deficit = meshDeficit(t, t.parameters, now: now)
        t.meshFailurePenalty += deficit * deficit
        t.inMesh = false
        s.topics[topic] = t
    }

    /// Adds `count` to the P₇ behaviour counter; ``PenaltyReason/invalidMessage`` is ignored
    /// here, as invalid messages count towards P₄ through ``validated(_:topic:source:result:now:)``.
    public mutating func penalize(_ peer: Peer, reason: PenaltyReason, count: Int) {
        switch reason {
        case .brokenPromise, .unansweredNeed, .graftDuringBackoff, .malformedMessage, .slowPeer, .protocolViolation:
            stats[peer, default: PeerStats()].behaviourPenalty += Double(count)
        case .invalidMessage:
            break   // counted as P₄ through `validated(…, .reject)`
        }
    }

    /// Opens the delivery record of `id`, pending validation, kept for `deliveryRecordTTL`.
    public mutating func firstReceived(_ id: MessageID, topic: String, from peer: Peer, now: Duration) {
        guard deliveries[id] == nil else { return }
        deliveries[id] = DeliveryRecord(firstSeen: now)
        deliveryOrder.append((id, CompactInstant(now)))
    }

    /// A copy of `id` from `peer`: while pending, `peer` is noted (credited or blamed with the
    /// verdict); once valid, it counts for P₃ when it came within `meshMessageDeliveriesWindow`
    /// of validation; once invalid, it counts for P₄.
    public mutating func duplicateReceived(_ id: MessageID, topic: String, from peer: Peer, now: Duration) {
        // In place: a record read out and written back shared its peers with the dictionary's
        // copy, so each note copied them.
        guard let status = deliveries[id]?.status else { return }
        switch status {
        case .pending:
            deliveries[id]?.peers.insert(peer)
        case .valid:
            guard deliveries[id]?.peers.insert(peer) == true, let validated = deliveries[id]?.validated else { return }
            if let p = parameters.topics[topic], now - validated <= p.meshMessageDeliveriesWindow {
                countMeshDelivery(peer, topic: topic)
            }
        case .invalid:
            addInvalid(peer, topic: topic)
        case .ignored:
            break
        }
    }

    /// The verdict on `id`: `accept` credits `source` with a P₂ first delivery, and it and every
    /// peer that sent a copy meanwhile with a P₃ mesh delivery (mesh members only); `reject` adds
    /// a P₄ invalid delivery to all of them; `ignore` counts nothing. Only the first verdict counts.
    public mutating func validated(_ id: MessageID, topic: String, source: Peer, result: ValidationResult, now: Duration) {
        // Taken out while it changes, so that its peers are not copied (see duplicateReceived).
        var record = deliveries.removeValue(forKey: id) ?? DeliveryRecord(firstSeen: now)
        guard record.status == .pending else {
            deliveries[id] = record
            return
        }
        switch result {
        case .accept:
            record.status = .valid
            record.validated = now
            if let p = parameters.topics[topic], stats[source] != nil {
                var t = stats[source]?.topics[topic] ?? TopicStats(parameters: p)
                t.firstMessageDeliveries = min(t.firstMessageDeliveries + 1, p.firstMessageDeliveriesCap)
                stats[source]?.topics[topic] = t
                countMeshDelivery(source, topic: topic)
            }
            for peer in record.peers where peer != source { countMeshDelivery(peer, topic: topic) }
        case .reject:
            record.status = .invalid
            addInvalid(source, topic: topic)
            for peer in record.peers where peer != source { addInvalid(peer, topic: topic) }
        case .ignore:
            record.status = .ignored
        }
        record.peers.insert(source)
        deliveries[id] = record
    }

    private mutating func countMeshDelivery(_ peer: Peer, topic: String) {
        guard let t = stats[peer]?.topics[topic], t.inMesh else { return }
        stats[peer]?.topics[topic]?.meshMessageDeliveries = min(t.meshMessageDeliveries + 1, t.parameters.meshMessageDeliveriesCap)
    }

    private mutating func addInvalid(_ peer: Peer, topic: String) {
        guard let p = parameters.topics[topic], stats[peer] != nil else { return }
        stats[peer]?.topics[topic, default: TopicStats(parameters: p)].invalidMessageDeliveries += 1
    }

    /// Decays counters once per elapsed `decayInterval`, forgets expired peers and records.
    public mutating func refresh(now: Duration) {
        guard let last = lastDecay else {
            lastDecay = now
            return
        }
        let intervals = Int((now - last) / parameters.decayInterval)
        if intervals > 0 {
            lastDecay = last + parameters.decayInterval * intervals
            decay(times: min(intervals, 10_000))
        }
        // Expired peers go in any order: the result does not depend on it.
        let expired = departed.compactMap { $0.value <= now ? $0.key : nil }
        for peer in expired {
            stats[peer] = nil
            departed[peer] = nil
        }
        while deliveryHead < deliveryOrder.count, deliveryOrder[deliveryHead].1.duration + parameters.deliveryRecordTTL <= now {
            let (id, at) = deliveryOrder[deliveryHead]
            if deliveries[id]?.firstSeenAt == at { deliveries[id] = nil }
            deliveryHead += 1
        }
        if deliveryHead > 1024, deliveryHead * 2 > deliveryOrder.count {
            deliveryOrder.removeFirst(deliveryHead)
            deliveryHead = 0
        }
    }

    private mutating func decay(times n: Int) {
        let zero = parameters.decayToZero
        func decayed(_ x: Double, _ factor: Double) -> Double {
            let v = x * pow(factor, n)
            return v < zero ? 0 : v
        }
        // In place, through the values' indices: copying each peer's stats out and back would
        // copy its per-topic dictionary every heartbeat.
        var index = stats.values.startIndex
        while index != stats.values.endIndex {
            stats.values[index].decay(parameters, decayed)
            stats.values.formIndex(after: &index)
        }
    }
}

extension PeerScore.PeerStats {
    mutating func decay(_ parameters: PeerScoreParameters, _ decayed: (Double, Double) -> Double) {
        topics.updateEach { stats in stats.decay(stats.parameters, decayed) }
        behaviourPenalty = decayed(behaviourPenalty, parameters.behaviourPenaltyDecay)
    }
}

extension PeerScore.TopicStats {
    mutating func decay(_ p: TopicScoreParameters, _ decayed: (Double, Double) -> Double) {
        firstMessageDeliveries = decayed(firstMessageDeliveries, p.firstMessageDeliveriesDecay)
        meshMessageDeliveries = decayed(meshMessageDeliveries, p.meshMessageDeliveriesDecay)
        meshFailurePenalty = decayed(meshFailurePenalty, p.meshFailurePenaltyDecay)
        invalidMessageDeliveries = decayed(invalidMessageDeliveries, p.invalidMessageDeliveriesDecay)
    }
}

/// `x` to the non-negative integer power `n` by squaring (Foundation-free).
func pow(_ x: Double, _ n: Int) -> Double {
    var result = 1.0, base = x, e = n
    while e > 0 {
        if e & 1 == 1 { result *= base }
        base *= base
        e >>= 1
    }
    return result
}
