import Multiformats

// Handling of RPCs received from peers: subscriptions, messages, control.

extension GossipSubRouter {
    /// Longest backoff a PRUNE may impose (guards the arithmetic against absurd values).
    static var maxAcceptedBackoff: Duration { .seconds(24 * 3600) }

    /// An RPC arrived from `peer`. Decode it with ``RPC/decode(_:limits:)-([UInt8],_)`` first.
    @_specialize(exported: true, where Peer == PeerID)
    @_specialize(exported: true, where Peer == IndexedPeer)
    public mutating func rpcReceived(_ rpc: RPC, from peer: Peer, now: Duration) -> [Action] {
        guard let state = peers[peer] else { return [] }
        var out = Outbox<Peer>()
        if state.proto.supportsExtensions { handleExtensions(rpc, from: peer, out: &out) }
        if !state.direct, scorer.score(peer, now: now) < scorer.thresholds.graylistThreshold { return out.actions(limits: params.rpcLimits) }
        handleSubscriptions(rpc.subscriptions, from: peer, now: now, out: &out)
        // IDONTWANT and IMRECEIVING first, so nothing in this batch goes to a peer that just
        // declined it.
        if let control = rpc.control { handleIDontWant(control.idontwant, from: peer) }
        if let extensionMessage = rpc.preambleExtension, usesPreamble(with: peer) {
            handleIMReceiving(extensionMessage.imReceiving, from: peer, now: now)
            handlePreambles(extensionMessage.preambles, from: peer, now: now, out: &out)
        }
        // Not `flatMap` with a closure, nor `||` / `&&` reading the router on their right in the
        // handlers below: such a closure captures the router, which the compiler then copies
        // whole (2.4% of a 10,000-node simulation's time in retains and releases).
        var lazy: AnnounceExtension?
        if let announced = rpc.announceExtension, usesAnnounce(with: peer) { lazy = announced }
        for raw in rpc.publish { handleMessage(raw, from: peer, now: now, out: &out) }
        if let lazy {
            handleINeeds(lazy.needs, from: peer, out: &out)
            handleIAnnounces(lazy.announcements, from: peer, now: now, out: &out)
        }
        if let control = rpc.control {
            handleIHave(control.ihave, from: peer, now: now, out: &out)
            handleIWant(control.iwant, from: peer, now: now, out: &out)
            handleGraft(control.graft, from: peer, now: now, out: &out)
            handlePrune(control.prune, from: peer, now: now, out: &out)
        }
        return out.actions(limits: params.rpcLimits)
    }

    /// v1.3: the first RPC tells which extensions the peer supports (none if it carries no
    /// Extensions message); a second Extensions message breaks the rule that it is sent once.
    mutating func handleExtensions(_ rpc: RPC, from peer: Peer, out: inout Outbox<Peer>) {
        if peers[peer]?.extensions == nil {
            let theirs = rpc.control?.extensions ?? ControlExtensions()
            peers[peer]?.extensions = theirs
            if params.extensions.intersection(theirs).testExtension { out.testExtension(peer) }
        } else if rpc.control?.extensions != nil {
            penalize(peer, .protocolViolation, count: 10, out: &out)
        }
        if rpc.testExtension { peers[peer]?.sentTestExtension = true }
    }

    /// Applies the last entry for each topic (the state the peer ends the RPC in): toggling one
    /// topic over and over in an RPC cannot make us reorder that topic's subscriber list over
    /// and over.
    mutating func handleSubscriptions(_ subs: [SubOpts], from peer: Peer, now: Duration, out: inout Outbox<Peer>) {
        var last: [String: Int] = [:]
        if subs.count > 1 {
            for (i, sub) in subs.enumerated() { last[sub.topic] = i }
        }
        for (i, sub) in subs.enumerated() where subs.count == 1 || last[sub.topic] == i {
            guard peers[peer] != nil else { return }
            if sub.subscribe {
                // A peer cannot make us track an unbounded number of topics.
                let known = peerTopics[peer]?.count ?? 0
                guard known < params.rpcLimits.maxSubscriptionsPerRPC || peerTopics[peer]?.contains(sub.topic) == true else { continue }
                guard peerTopics[peer, default: []].insert(sub.topic).inserted else { continue }
                topicPeers[sub.topic, default: []].insert(peer)
                out.event(.peerSubscribed(peer, topic: sub.topic))
            } else {
                guard peerTopics[peer]?.remove(sub.topic) != nil else { continue }
                topicPeers[sub.topic]?.remove(peer)
                if topicPeers[sub.topic]?.isEmpty ?? false { topicPeers[sub.topic] = nil }
                fanout[sub.topic]?.remove(peer)
                if mesh[sub.topic]?.remove(peer) != nil {
                    scorer.pruned(peer, topic: sub.topic, now: now)
                    out.event(.pruned(peer, topic: sub.topic))
                }
                out.event(.peerUnsubscribed(peer, topic: sub.topic))
            }
        }
    }

    /// Checks one received message and, if new, hands it to the application.
    mutating func handleMessage(_ raw: RawMessage, from peer: Peer, now: Duration, out: inout Outbox<Peer>) {
        // Not subscribed: not our business (no relaying for other topics).
        guard subscriptions.contains(raw.topic) else { return }
        let size = raw.data?.count ?? 0
        guard size <= config.maxMessageSize(topic: raw.topic), params.signaturePolicy.admits(raw) else {
            penalize(peer, .malformedMessage, out: &out)
            return
        }
        let message = Message(id: params.messageIDFunction.id(of: raw), raw: raw)
        if params.announce.claimsPerCopy > 0, size >= params.idontwantMessageSizeThreshold { creditCopy(from: peer) }
        if !preambles.isEmpty { preambles.finishReceive(message.id) }
        if !announcements.isEmpty { announcements.received(message.id, from: peer, now: now, followUp: params.iwantFollowupTime) }
        guard seen.insert(message.id, now: now) else {
            scorer.duplicateReceived(message.id, topic: raw.topic, from: peer, now: now)
            // In place: reading the entry out of the dictionary would copy the message with it.
            pending[message.id]?.noteCopy(from: peer)
            return
        }
        scorer.firstReceived(message.id, topic: raw.topic, from: peer, now: now)
        promises.messageDelivered(message.id)
        if size >= params.idontwantMessageSizeThreshold {
            let debtsOutstanding = !announcements.isEmpty
            for meshPeer in (mesh[raw.topic] ?? []).sorted() where meshPeer != peer {
                guard peers[meshPeer]?.proto.supportsIDontWant == true else { continue }
                // Not to a peer that still owes it after an INEED: its copy is what settles the debt.
                if debtsOutstanding, announcements.owes(meshPeer, message.id) { continue }
                out.idontwant(meshPeer, message.id)
            }
        }
        pending[message.id] = Pending(message: message, source: peer, receivedAt: now)
        out.deliver(message, source: peer)
    }

    mutating func handleIDontWant(_ entries: [ControlIDontWant], from peer: Peer) {
        guard peers[peer]?.proto.supportsIDontWant ?? false else { return }
        for entry in entries {
            for id in entry.messageIDs {
                let n = idontwantReceived[peer, default: 0]
                guard n < params.maxIDontWantMessages else { return }
                idontwantReceived[peer] = n + 1
                dontWant.record(peer, id: id)
                preambles.confirmed(peer, id: id)
            }
        }
    }

    /// PREAMBLE: a mesh peer announces a body it is sending us. For a message we neither have nor
    /// expect, within the announcer's budget, we wait for it (asking nobody else) and tell our
    /// other mesh peers that use the extension that we are receiving it, except those that owe
    /// it after an INEED.
    mutating func handlePreambles(_ entries: [Preamble], from peer: Peer, now: Duration, out: inout Outbox<Peer>) {
        let p = params.preamble
        for entry in entries {
            let id = entry.messageID
            guard let meshPeers = mesh[entry.topic], meshPeers.contains(peer),
                  Int(entry.messageLength) <= config.maxMessageSize(topic: entry.topic),
                  !seen.contains(id, now: now), pending.index(forKey: id) == nil,
                  preambles.startReceive(id, from: peer, deadline: p.deadline(length: entry.messageLength, now: now),
                                         limit: p.maxOngoingPerPeer) else { continue }
            let debtsOutstanding = !announcements.isEmpty
            for other in meshPeers.sorted() where other != peer && usesPreamble(with: other) {
                // Not to a peer that still owes it after an INEED (as for IDONTWANT): it would
                // hold back the copy that settles the debt.
                if debtsOutstanding, announcements.owes(other, id) { continue }
                out.imReceiving(other, IMReceiving(messageID: id, messageLength: entry.messageLength))
            }
        }
    }

    /// IMRECEIVING: `peer` is getting these messages from another; it is sent none of them
    /// until it confirms with IDONTWANT, or ``PreambleParameters/sendAnywayAfter`` passes.
    mutating func handleIMReceiving(_ entries: [IMReceiving], from peer: Peer, now: Duration) {
        let p = params.preamble
        for entry in entries.prefix(p.maxIMReceivingPerPeer) {
            preambles.peerReceives(peer, id: entry.messageID, sendAt: now + p.sendAnywayAfter, limit: p.maxIMReceivingPerPeer)
        }
    }

    /// Counts `count` IANNOUNCE / INEED entries from `peer` against its budget for this
    /// heartbeat; returns how many of them may be handled.
    mutating func announceBudget(_ peer: Peer, _ count: Int) -> Int {
        let used = announceEntriesReceived[peer, default: 0]
        let allowed = max(0, min(count, params.announce.maxEntriesPerHeartbeat - used))
        announceEntriesReceived[peer] = used + allowed
        return allowed
    }

    /// IANNOUNCE: a peer has a message we lack. The first announcer of a message is asked for it
    /// (INEED) at once, unless it let more INEEDs time out than it answered; later ones are
    /// remembered, to be asked in turn if it does not answer. As for IHAVE, a peer scored below
    /// the gossip threshold is not listened to.
    mutating func handleIAnnounces(_ entries: [IAnnounce], from peer: Peer, now: Duration, out: inout Outbox<Peer>) {
        guard !entries.isEmpty, scorer.score(peer, now: now) >= scorer.thresholds.gossipThreshold else { return }
        let p = params.announce
        for entry in entries.prefix(announceBudget(peer, entries.count)) {
            let id = entry.messageID
            guard subscriptions.contains(entry.topic), topicPeers[entry.topic]?.contains(peer) == true,
                  !seen.contains(id, now: now), pending.index(forKey: id) == nil,
                  announcements.announced(id, by: peer, now: now, timeout: announcements.timeout(floor: p.ineedTimeout),
                                          limit: p.maxAnnouncersPerMessage)
            else { continue }
            out.ineed(peer, id)
        }
    }

    /// INEED: a peer asks for messages we announced; it gets each we still hold, unless it said
    /// IDONTWANT since, or asked for it (by INEED or IWANT) `gossipRetransmission` times already.
    mutating func handleINeeds(_ entries: [INeed], from peer: Peer, out: inout Outbox<Peer>) {
        for entry in entries.prefix(announceBudget(peer, entries.count)) {
            guard !dontWant.contains(peer, id: entry.messageID),
                  let (message, count) = mcache.getForPeer(entry.messageID, peer: peer), count <= params.gossipRetransmission
            else { continue }
            out.message(peer, message.raw)
        }
    }

    /// IHAVE: ask for unseen ids in subscribed topics, within the per-heartbeat limits, and
    /// remember the promise.
    mutating func handleIHave(_ entries: [ControlIHave], from peer: Peer, now: Duration, out: inout Outbox<Peer>) {
        guard !entries.isEmpty, peers[peer]?.proto.supportsMesh ?? false else { return }
        guard scorer.score(peer, now: now) >= scorer.thresholds.gossipThreshold else { return }
        let have = peerHave[peer, default: 0] + 1
        peerHave[peer] = have
        guard have <= params.maxIHaveMessages else { return }
        let asked = iasked[peer, default: 0]
        guard asked < params.maxIHaveLength else { return }
        var wanted: [MessageID] = []
        var unique = Set<MessageID>()
        for entry in entries where mesh[entry.topic] != nil {
            // Not for a body already announced to us: it is on its way.
            for id in entry.messageIDs {
                // Nor for one already asked of another peer this heartbeat: each IHAVE would
                // otherwise bring its own copy (a new peer's GRAFT is answered by D windows at once).
                guard !seen.contains(id, now: now), pending.index(forKey: id) == nil, preambles.ongoing[id] == nil,
                      announcements.requests[id] == nil, !iwantedThisHeartbeat.contains(id) else { continue }
                if unique.insert(id).inserted { wanted.append(id) }
            }
        }
        guard !wanted.isEmpty else { return }
        let budget = params.maxIHaveLength - asked
        if wanted.count > budget {
            rng.shuffle(&wanted)
            wanted.removeLast(wanted.count - budget)
        }
        iasked[peer] = asked + wanted.count
        iwantedThisHeartbeat.formUnion(wanted)
        promises.add(peer, id: wanted[rng.below(wanted.count)], deadline: now + params.iwantFollowupTime)
        out.iwant(peer, wanted)
    }

    /// IWANT: answer from the message cache (or the own messages still announced), at most
    /// `gossipRetransmission` times per peer.
    mutating func handleIWant(_ entries: [ControlIWant], from peer: Peer, now: Duration, out: inout Outbox<Peer>) {
        guard !entries.isEmpty, peers[peer]?.proto.supportsMesh ?? false else { return }
        guard scorer.score(peer, now: now) >= scorer.thresholds.gossipThreshold else { return }
        var unique = Set<MessageID>()
        for entry in entries {
            for id in entry.messageIDs where unique.insert(id).inserted {
                guard let (message, count) = mcache.getForPeer(id, peer: peer) ?? published.getForPeer(id, peer: peer),
                      count <= params.gossipRetransmission, !dontWant.contains(peer, id: id) else { continue }
                out.message(peer, message.raw)
            }
        }
    }

    /// GRAFT: accept into the mesh unless the topic is unknown, the peer is direct, backed off,
    /// negatively scored, or the mesh is full (inbound peers only).
    mutating func handleGraft(_ entries: [ControlGraft], from peer: Peer, now: Duration, out: inout Outbox<Peer>) {
        guard let state = peers[peer], state.proto.supportsMesh else { return }
        for entry in entries {
            let topic = entry.topic
            guard var meshPeers = mesh[topic], !meshPeers.contains(peer) else { continue }
            if state.direct {
                refuseGraft(from: peer, topic: topic, peerExchange: false, now: now, out: &out)
                continue
            }
            if let until = backoff.deadline(peer, topic: topic), until > now {
                penalize(peer, .graftDuringBackoff, out: &out)
                // A GRAFT right after our PRUNE is flooding: penalised twice.
                if now < until - params.pruneBackoff + params.graftFloodThreshold {
                    penalize(peer, .graftDuringBackoff, out: &out)
                }
                refuseGraft(from: peer, topic: topic, peerExchange: false, now: now, out: &out)
                continue
            }
            if scorer.score(peer, now: now) < 0 {
                refuseGraft(from: peer, topic: topic, peerExchange: false, now: now, out: &out)
                continue
            }
            if meshPeers.count >= params.inboundGraftLimit ?? params.dHigh, !state.outbound {
                refuseGraft(from: peer, topic: topic, peerExchange: true, now: now, out: &out)
                if params.gossipToRefusedPeers { refusedGrafts[topic, default: [:]][peer] = now + params.pruneBackoff }
                continue
            }
            meshPeers.insert(peer)
            if params.keepsFreshGrafts { freshGrafts[topic, default: []].insert(peer) }
            mesh[topic] = meshPeers
            meshChanges.graftsAccepted += 1
            scorer.grafted(peer, topic: topic, now: now)
            out.event(.grafted(peer, topic: topic))
            gossipWindow(to: peer, topic: topic, now: now, out: &out)
        }
    }

    /// Answers a GRAFT with PRUNE (and the announced backoff), counted.
    private mutating func refuseGraft(from peer: Peer, topic: String, peerExchange: Bool, now: Duration, out: inout Outbox<Peer>) {
        meshChanges.graftsRefused += 1
        prune(peer, topic: topic, peerExchange: peerExchange, backoff: params.pruneBackoff, now: now, out: &out)
    }

    /// PRUNE: leave the mesh, honour the announced backoff, surface PX if the peer is trusted.
    mutating func handlePrune(_ entries: [ControlPrune], from peer: Peer, now: Duration, out: inout Outbox<Peer>) {
        for entry in entries {
            let topic = entry.topic
            // Topics we have no mesh for are ignored: a peer cannot grow the backoff table
            // with arbitrary topic names.
            guard mesh[topic] != nil else { continue }
            if mesh[topic]?.remove(peer) != nil {
                meshChanges.prunedByPeers += 1
                scorer.pruned(peer, topic: topic, now: now)
                out.event(.pruned(peer, topic: topic))
            }
            let duration: Duration
            if let seconds = entry.backoffSeconds {
                duration = min(.seconds(Int64(clamping: seconds)), Self.maxAcceptedBackoff)
            } else {
                duration = params.pruneBackoff
            }
            backoff.set(peer, topic: topic, until: now + duration)
            if !entry.peers.isEmpty, scorer.score(peer, now: now) >= scorer.thresholds.acceptPXThreshold {
                out.event(.peerExchange(from: peer, topic: topic, peers: Array(entry.peers.prefix(params.prunePeers))))
            }
        }
    }
}
