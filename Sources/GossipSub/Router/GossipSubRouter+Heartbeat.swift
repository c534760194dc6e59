import Multiformats

// The heartbeat: mesh maintenance, fanout maintenance, gossip emission, cache shifting.

extension GossipSubRouter {
    /// The deadline of the heartbeat after one that ran at `now` (timers are data).
    public func nextHeartbeat(after now: Duration) -> Duration { now + params.heartbeatInterval }

    /// Runs one heartbeat. Call it every ``GossipSubConfig/Parameters/heartbeatInterval``.
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public mutating func heartbeat(now: Duration) -> [Action] {
        heartbeatCount += 1
        scorer.refresh(now: now)
        var out = Outbox<Peer>()
        peerHave.removeAll(keepingCapacity: true)
        iasked.removeAll(keepingCapacity: true)
        iwantedThisHeartbeat.removeAll(keepingCapacity: true)
        idontwantReceived.removeAll(keepingCapacity: true)
        announceEntriesReceived.removeAll(keepingCapacity: true)
        for (peer, count) in promises.brokenPromises(now: now) {
            penalize(peer, .brokenPromise, count: count, out: &out)
        }
        backoff.clearExpired(now: now, slack: params.heartbeatInterval * (params.backoffSlackHeartbeats + 1))
        for topic in Array(refusedGrafts.keys) {
            let current = refusedGrafts[topic]?.filter { $0.value > now } ?? [:]
            refusedGrafts[topic] = current.isEmpty ? nil : current
        }
        // In place, through the table's indices: no peer is hashed.
        var index = peers.startIndex
        while index != peers.endIndex {
            peers.values[index].heartbeatScore = scorer.score(peers.keys[index], now: now)
            peers.formIndex(after: &index)
        }
        defer {
            var index = peers.startIndex
            while index != peers.endIndex {
                peers.values[index].heartbeatScore = nil
                peers.formIndex(after: &index)
            }
        }

        if !preambles.isEmpty { preambleHeartbeat(now: now, out: &out) }
        if !held.isEmpty { releaseHeld(now: now, out: &out) }
        if !announcements.isEmpty {
            announceTimeouts(now: now, out: &out)
            announcements.decayRecords(by: params.announce.answerRecordDecay)
            announcements.followAnswers(floor: params.announce.ineedTimeout, ceiling: params.announce.ineedTimeoutCeiling)
        }
        for topic in mesh.keys.sorted() { maintainMesh(topic, now: now, out: &out) }
        if !freshGrafts.isEmpty { freshGrafts.removeAll(keepingCapacity: true) }
        maintainFanout(now: now, out: &out)
        announcePublished(now: now, out: &out)

        mcache.shift()
        seen.prune(now: now)
        dontWant.heartbeatTick()
        // An application that never answers cannot make pending validations pile up.
        // (Which entries expire does not depend on the order they are visited in.)
        let expired = pending.compactMap { $0.value.receivedAt + params.seenTTL <= now ? $0.key : nil }
        for id in expired { pending[id] = nil }
        return out.actions(limits: params.rpcLimits)
    }

    /// The earliest time the router has something to do before its next heartbeat (an INEED
    /// that times out, a held copy due); call ``handleTimeout(now:)`` then. Nil when nothing is pending.
    /// Reading it drops deadlines that no longer apply (messages that arrived), hence `mutating`.
    public var nextDeadline: Duration? {
        @_specialize(exported: true, where Peer == PeerID)
        @_specialize(exported: true, where Peer == IndexedPeer)
        mutating get {
            let announced = announcements.nextDeadline()
            guard let due = held.nextDue else { return announced }
            return min(announced ?? due, due)
        }
    }

    /// Runs what is due at `now` (``nextDeadline``): INEEDs not answered in time go to the next
    /// announcer, held copies due are sent. Calling it early does nothing; the heartbeat does the same for hosts that never call it.
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public mutating func handleTimeout(now: Duration) -> [Action] {
        var out = Outbox<Peer>()
        announceTimeouts(now: now, out: &out)
        if !held.isEmpty { releaseHeld(now: now, out: &out) }
        return out.actions(limits: params.rpcLimits)
    }

    /// INEEDs not answered in time: the next announcer is asked, and the silent one, if so
    /// configured (``AnnounceParameters/penaliseUnansweredNeeds``), owes the message until the
    /// IWANT follow-up time after it arrived (``AnnounceParameters/maxDebtWait``); debts not
    /// paid by then are penalised.
    mutating func announceTimeouts(now: Duration, out: inout Outbox<Peer>) {
        let penalise = params.announce.penaliseUnansweredNeeds
        let ask = announcements.timeouts(now: now, timeout: announcements.timeout(floor: params.announce.ineedTimeout),
                                         debtUntil: penalise ? params.iwantFollowupTime : nil,
                                         isConnected: { peers[$0] != nil })
        for peer in announcements.debtsDue(now: now, followUp: params.iwantFollowupTime, maxWait: params.announce.maxDebtWait,
                                           isConnected: { peers[$0] != nil }) {
            penalize(peer, .unansweredNeed, out: &out)
        }
        for (peer, id) in ask { out.ineed(peer, id) }
    }

    /// PREAMBLE / IMRECEIVING timers: announced bodies overdue are no longer awaited (IHAVE may
    /// bring them now; their announcers are penalised if so configured), and a peer that said
    /// IMRECEIVING long ago without confirming gets the message after all.
    mutating func preambleHeartbeat(now: Duration, out: inout Outbox<Peer>) {
        for announcer in preambles.expireReceives(now: now) where params.preamble.penaliseLateBodies {
            penalize(announcer, .brokenPromise, out: &out)
        }
        for (peer, id) in preambles.dueSends(now: now) {
            guard peers[peer] != nil, !dontWant.contains(peer, id: id), let message = mcache.get(id) else { continue }
            out.message(peer, message.raw)
        }
    }

    mutating func maintainMesh(_ topic: String, now: Duration, out: inout Outbox<Peer>) {
        guard var meshPeers = mesh[topic] else { return }

        // Negative score: out, without PX.
        for peer in meshPeers.sorted() where score(peer, now: now) < 0 {
            meshPeers.remove(peer)
            meshChanges.prunedNegativeScore += 1
            prune(peer, topic: topic, peerExchange: false, backoff: params.pruneBackoff, now: now, out: &out)
            scorer.pruned(peer, topic: topic, now: now)
            out.event(.pruned(peer, topic: topic))
        }

        // Undersubscribed: graft up to d.
        if meshPeers.count < params.dLow {
            let candidates = (topicPeers[topic] ?? []).filter { !meshPeers.contains($0) && isMeshCandidate($0, topic: topic, now: now) }
            for peer in rng.sample(params.d - meshPeers.count, fromSorted: candidates) {
                meshPeers.insert(peer)
                meshChanges.graftsForShortMesh += 1
                graft(peer, topic: topic, now: now, out: &out)
            }
        }

        // Oversubscribed: keep the dScore best, a random rest, at least dOut outbound.
        if meshPeers.count > params.dHigh {
            var ranked = meshPeers.sorted()
            rng.shuffle(&ranked)
            let scores = Dictionary(uniqueKeysWithValues: ranked.map { ($0, score($0, now: now)) })
            ranked = ranked.enumerated().sorted {
                let (a, b) = (scores[$0.element] ?? 0, scores[$1.element] ?? 0)
                return a != b ? a > b : $0.offset < $1.offset
            }.map(\.element)
            var rest = Array(ranked[params.dScore...])
            rng.shuffle(&rest)
            if let fresh = freshGrafts[topic] {
                rest = rest.filter { fresh.contains($0) } + rest.filter { !fresh.contains($0) }
            }
            ranked = Array(ranked[..<params.dScore]) + rest
            var keep = Array(ranked[..<params.d])
            let outboundKept = keep.filter { isOutbound($0) }.count
            if outboundKept < params.dOut {
                let extra = ranked[params.d...].filter { isOutbound($0) }.prefix(params.dOut - outboundKept)
                var toDrop = extra.count
                var i = keep.count - 1
                while toDrop > 0, i >= 0 {
                    if !isOutbound(keep[i]) { keep.remove(at: i); toDrop -= 1 }
                    i -= 1
                }
                keep += extra
            }
            let keepSet = Set(keep)
            for peer in meshPeers.sorted() where !keepSet.contains(peer) {
                meshChanges.prunedOverfull += 1
                prune(peer, topic: topic, peerExchange: true, backoff: params.pruneBackoff, now: now, out: &out)
                scorer.pruned(peer, topic: topic, now: now)
                out.event(.pruned(peer, topic: topic))
            }
            meshPeers = keepSet
        }

        // Outbound quota.
        if meshPeers.count >= params.dLow {
            let outbound = meshPeers.filter { isOutbound($0) }.count
            if outbound < params.dOut {
                let candidates = (topicPeers[topic] ?? []).filter {
                    !meshPeers.contains($0) && isOutbound($0) && isMeshCandidate($0, topic: topic, now: now)
                }
                for peer in rng.sample(params.dOut - outbound, fromSorted: candidates) {
                    meshPeers.insert(peer)
                    meshChanges.graftsForOutboundQuota += 1
                    graft(peer, topic: topic, now: now, out: &out)
                }
            }
        }

        // Opportunistic grafting: a mesh whose median score sank below the threshold takes in
        // a few peers scoring above that median.
        if heartbeatCount % params.opportunisticGraftTicks == 0, meshPeers.count > 1 {
            let scores = meshPeers.map { score($0, now: now) }.sorted()
            let median = scores[scores.count / 2]
            if median < scorer.thresholds.opportunisticGraftThreshold {
                let candidates = (topicPeers[topic] ?? []).filter {
                    !meshPeers.contains($0) && isMeshCandidate($0, topic: topic, now: now) && score($0, now: now) > median
                }
                for peer in rng.sample(params.opportunisticGraftPeers, fromSorted: candidates) {
                    meshPeers.insert(peer)
                    meshChanges.graftsOpportunistic += 1
                    graft(peer, topic: topic, now: now, out: &out)
                }
            }
        }

        mesh[topic] = meshPeers
        emitGossip(topic, exclude: meshPeers, now: now, out: &out)
    }

    /// Whether we dialed `peer` (a nested function here captured, and copied, the whole router).
    func isOutbound(_ peer: Peer) -> Bool { peers[peer]?.outbound ?? false }

    mutating func maintainFanout(now: Duration, out: inout Outbox<Peer>) {
        for topic in fanoutLastPublish.keys.sorted() {
            if let last = fanoutLastPublish[topic], last + params.fanoutTTL <= now {
                fanoutLastPublish[topic] = nil
                fanout[topic] = nil
            }
        }
        let publishThreshold = scorer.thresholds.publishThreshold
        for topic in fanout.keys.sorted() {
            guard var fanoutPeers = fanout[topic] else { continue }
            let subscribed = topicPeers[topic] ?? []
            fanoutPeers = fanoutPeers.filter { subscribed.contains($0) && score($0, now: now) >= publishThreshold }
            if fanoutPeers.count < params.d {
                let candidates = subscribed.filter {
                    guard !fanoutPeers.contains($0), let s = peers[$0] else { return false }
                    return s.meshCapable && score($0, now: now) >= publishThreshold
                }
                fanoutPeers.formUnion(rng.sample(params.d - fanoutPeers.count, fromSorted: candidates))
            }
            fanout[topic] = fanoutPeers
            emitGossip(topic, exclude: fanoutPeers, now: now, out: &out)
        }
    }

    /// IHAVE for the gossip windows of `topic` to max(dLazy, gossipFactor × eligible) peers
    /// outside `exclude`, and to every eligible peer whose GRAFT was refused for a full mesh
    /// within the backoff (``GossipSubConfig/Parameters/gossipToRefusedPeers``).
    mutating func emitGossip(_ topic: String, exclude: Set<Peer>, now: Duration, out: inout Outbox<Peer>) {
        let ids = mcache.gossipIDs(topic: topic)
        guard !ids.isEmpty else { return }
        let gossipThreshold = scorer.thresholds.gossipThreshold
        // Both lists are sorted: one merge-walk skips the excluded peers without hashing.
        let excluded = exclude.sorted()
        var next = 0
        var candidates: [Peer] = []
        for peer in topicPeers[topic] ?? [] {
            while next < excluded.count, excluded[next] < peer { next += 1 }
            if next < excluded.count, excluded[next] == peer { continue }
            guard let p = peers[peer], p.meshCapable, let score = p.heartbeatScore, score >= gossipThreshold else { continue }
            candidates.append(peer)
        }
        guard !candidates.isEmpty else { return }
        let target = max(params.dLazy, Int(params.gossipFactor * Double(candidates.count)))
        var targets = rng.sample(target, fromSorted: candidates)
        if let refused = refusedGrafts[topic], targets.count < candidates.count {
            let sampled = Set(targets)
            // `candidates` is sorted and holds only eligible peers outside `exclude`.
            targets += candidates.filter { refused[$0] != nil && !sampled.contains($0) }
        }
        for peer in targets {
            var peerIDs = ids
            if peerIDs.count > params.maxIHaveLength {
                rng.shuffle(&peerIDs)
                peerIDs.removeLast(peerIDs.count - params.maxIHaveLength)
            }
            out.ihave(peer, ControlIHave(topic: topic, messageIDs: peerIDs))
        }
    }

    /// Whether `peer` may be sent an IHAVE outside the heartbeat's draw: it speaks a mesh
    /// protocol and scores at least the gossip threshold.
    func acceptsGossip(_ peer: Peer, now: Duration) -> Bool {
        guard let p = peers[peer], p.meshCapable else { return false }
        return score(peer, now: now) >= scorer.thresholds.gossipThreshold
    }

    /// IHAVE for the gossip windows of `topic` to `peer`, a new mesh peer
    /// (``GossipSubConfig/Parameters/gossipWindowOnGraft``): what this router validated just
    /// before the link formed went to its mesh of the moment, and heartbeat gossip skips mesh
    /// peers, so without it a message that went by just before the GRAFT reaches `peer` from nobody.
    mutating func gossipWindow(to peer: Peer, topic: String, now: Duration, out: inout Outbox<Peer>) {
        guard params.gossipWindowOnGraft, acceptsGossip(peer, now: now) else { return }
        var ids = mcache.gossipIDs(topic: topic).filter { !dontWant.contains(peer, id: $0) }
        guard !ids.isEmpty else { return }
        if ids.count > params.maxIHaveLength { ids.removeLast(ids.count - params.maxIHaveLength) }  // newest first
        out.ihave(peer, ControlIHave(topic: topic, messageIDs: ids))
    }

    /// IHAVE for own recent messages to the topic peers they have not reached, one list per
    /// peer and topic (``GossipSubConfig/Parameters/announcePublishedFor``). When a message
    /// leaves the message cache it is announced once more to every topic peer.
    mutating func announcePublished(now: Duration, out: inout Outbox<Peer>) {
        published.expire(publishedAtOrBefore: now - params.announcePublishedFor)
        guard !published.isEmpty else { return }
        let reannounceAt = params.heartbeatInterval * params.mcacheLen
        let gossipThreshold = scorer.thresholds.gossipThreshold
        var announcements: [String: [Peer: [MessageID]]] = [:]
        for i in published.entries.indices {
            let (id, topic) = (published.entries[i].message.id, published.entries[i].message.topic)
            if !published.entries[i].reannounced, now - published.entries[i].publishedAt >= reannounceAt {
                published.entries[i].reannounced = true
                published.entries[i].reached = []
            }
            for peer in topicPeers[topic] ?? [] where !published.entries[i].reached.contains(peer) {
                guard let p = peers[peer], p.meshCapable, let score = p.heartbeatScore, score >= gossipThreshold,
                      !dontWant.contains(peer, id: id),
                      announcements[topic]?[peer]?.count ?? 0 < params.maxIHaveLength else { continue }
                announcements[topic, default: [:]][peer, default: []].append(id)
                published.entries[i].reached.insert(peer)
            }
        }
        for (topic, byPeer) in announcements.sorted(by: { $0.key < $1.key }) {
            for (peer, ids) in byPeer.sorted(by: { $0.key < $1.key }) {
                out.ihave(peer, ControlIHave(topic: topic, messageIDs: ids))
            }
        }
    }
}
