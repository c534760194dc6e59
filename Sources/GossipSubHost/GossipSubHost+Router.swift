import GossipSub
import LibP2PCore

// The router's actions carried out, and the application API.

extension GossipSubHost {
    // MARK: Application API

    /// Subscribes to `topic`: the stream yields every accepted message from the network (not
    /// this node's own publishes). The router leaves the topic when the last stream ends.
    public func subscribe(_ topic: String) -> AsyncStream<ReceivedMessage> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ReceivedMessage.self, bufferingPolicy: .bufferingNewest(configuration.subscriptionBufferLength))
        let id = nextSubscriberID
        nextSubscriberID += 1
        subscribers[topic, default: [:]][id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeSubscriber(topic: topic, id: id) }
        }
        process(router.subscribe(topic, now: now))
        return stream
    }

    private func removeSubscriber(topic: String, id: Int) {
        subscribers[topic]?[id] = nil
        guard subscribers[topic]?.isEmpty ?? false else { return }
        subscribers[topic] = nil
        if !stopped { process(router.unsubscribe(topic, now: now)) }
    }

    /// Publishes `data` on `topic`. Own messages skip validation and are never dropped by it.
    @discardableResult
    public func publish(topic: String, data: [UInt8]) throws(PublishError) -> MessageID {
        let (id, actions) = try router.publish(topic: topic, data: data, now: now)
        stats.published += 1
        process(actions, about: id, lane: .publish)
        return id
    }

    /// Publishes several messages on `topic` at once, first copies before second copies
    /// (`GossipSubRouter.publishBatch(topic:data:now:)`): each peer's queue starts with a
    /// different message. Returns the ids of the messages published (items already seen are skipped).
    @discardableResult
    public func publishBatch(topic: String, data: [[UInt8]]) throws(PublishError) -> [MessageID] {
        let (ids, actions) = try router.publishBatch(topic: topic, data: data, now: now)
        stats.published += ids.count
        process(tagged: actions, lane: .publish)
        return ids
    }

    /// Publishes `data` on `topic` at the pace its peers take messages: first waits while a
    /// connected peer subscribed to the topic has more than
    /// ``GossipSubHostConfiguration/publishHighWaterBytes`` message bytes queued, so an
    /// application publishing faster than a link carries waits here instead of overflowing the
    /// peer's queue (whose drops would cut the link as a slow peer). Gives up after
    /// ``GossipSubHostConfiguration/publishWaitLimit`` with the peers that did not drain.
    @discardableResult
    public func publishPaced(topic: String, data: [UInt8]) async throws(PacedPublishError) -> MessageID {
        let limit = configuration.publishHighWaterBytes
        let deadline = now + configuration.publishWaitLimit
        while true {
            guard !stopped else { throw .stopped }
            let busy = router.subscribers(topic).filter { (sessions[$0]?.queue.messageBytes ?? 0) > limit }
            guard let first = busy.first, let queue = sessions[first]?.queue else { break }
            guard now < deadline else { throw .peersNotDraining(busy) }
            stats.publishWaits += 1
            await queue.waitForMessageBytes(atMost: limit, until: deadline)
        }
        do {
            return try publish(topic: topic, data: data)
        } catch {
            throw .rejected(error)
        }
    }

    /// Sets (or with `nil` removes) the asynchronous validator of `topic`. Without one,
    /// messages are accepted as they arrive.
    public func setValidator(topic: String, _ validator: GossipValidator?) {
        validators[topic] = validator
    }

    /// The current score of every connected peer.
    public func peerScores() -> [PeerID: Double] {
        let t = now
        return Dictionary(uniqueKeysWithValues: sessions.keys.map { ($0, router.peerScore($0, now: t)) })
    }

    /// Peers no longer connected whose retained score is below `threshold`
    /// (`GossipSubRouter.disconnectedPeers(scoredBelow:now:)`), with their scores.
    public func disconnectedPeerScores(below threshold: Double) -> [PeerID: Double] {
        let t = now
        return Dictionary(uniqueKeysWithValues: router.disconnectedPeers(scoredBelow: threshold, now: t).map { ($0, router.peerScore($0, now: t)) })
    }

    /// Connected pubsub peers.
    public func connectedPeers() -> [PeerID] { sessions.keys.sorted() }

    /// How many of the connected peers this node dialed.
    public func outboundPeerCount() -> Int { sessions.values.reduce(0) { $0 + ($1.connection.isDialer ? 1 : 0) } }

    /// Connected peers subscribed to `topic`.
    public func topicPeers(_ topic: String) -> [PeerID] { router.subscribers(topic) }

    /// The mesh of `topic`.
    public func meshPeers(_ topic: String) -> [PeerID] { router.meshPeers(topic) }
    /// The round-trip time to `peer` the router knows (``roundTripMeasured(_:to:)``), if any.
    public func roundTrip(to peer: PeerID) -> Duration? { router.roundTrip(to: peer) }

    /// Connected subscribers of `topic` kept out of its mesh by a PRUNE backoff, the longest wait
    /// first (``GossipSubRouter/backedOffSubscribers(_:now:)``).
    public func backedOffSubscribers(_ topic: String) -> [PeerID] { router.backedOffSubscribers(topic, now: now) }

    /// The protocol our pubsub stream to `peer` negotiated.
    public func gossipProtocol(of peer: PeerID) -> GossipProtocol? { sessions[peer]?.proto }

    /// The v1.3 extensions `peer` advertised; nil before its first RPC and below v1.3.
    public func extensions(of peer: PeerID) -> ControlExtensions? { router.extensions(of: peer) }

    /// Whether `peer` sent the v1.3 Test Extension's message.
    public func receivedTestExtension(from peer: PeerID) -> Bool { router.receivedTestExtension(from: peer) }

    /// Running totals.
    public func currentStats() -> GossipSubHostStats {
        for peer in sessions.keys { collectExpiries(of: peer) }
        return stats
    }

    // MARK: Driving the router

    /// Frames a peer's writer dropped as expired since the last look: sent bytes they were
    /// counted in come back off ``GossipSubHostStats/bytesOut``, and the peer's expiries are
    /// reported (``GossipSubHostEvent/forwardsExpired(_:frames:)``).
    func collectExpiries(of peer: PeerID) {
        guard let session = sessions[peer] else { return }
        let expired = session.queue.expired
        let frames = expired.frames - session.expiredCounted.frames
        guard frames > 0 else { return }
        stats.framesExpired += frames
        stats.bytesOut -= expired.bytes - session.expiredCounted.bytes
        sessions[peer]?.expiredCounted = expired
        eventContinuation.yield(.forwardsExpired(peer, frames: frames))
    }

    func heartbeat() {
        guard !stopped else { return }
        let onceDrained = router.config.parameters.gossipExpiredForwardsOnceDrained
        for peer in sessions.keys.sorted() {
            collectExpiries(of: peer)
            // What expired is announced to the peer instead (`gossipExpiredForwards`).
            guard let ids = sessions[peer]?.queue.takeExpiredMessageIDs(onceDrained: onceDrained), !ids.isEmpty else { continue }
            process(router.forwardsExpired(ids, to: peer, now: now))
        }
        process(router.heartbeat(now: now))
        for (peer, session) in sessions.sorted(by: { $0.key < $1.key }) {
            if session.dropsThisHeartbeat >= configuration.slowPeerDropsBeforeDisconnect {
                stats.slowPeerDisconnects += 1
                disconnect(peer, reason: "slow peer: \(session.dropsThisHeartbeat) frames dropped")
            } else {
                sessions[peer]?.dropsThisHeartbeat = 0
            }
        }
        for topic in subscribers.keys { metrics.setMeshSize(topic, router.meshPeers(topic).count) }
        let t = now
        for peer in sessions.keys {
            let score = router.peerScore(peer, now: t)
            let last = lastScores[peer] ?? 0
            if abs(score - last) >= configuration.scoreChangeEventDelta {
                lastScores[peer] = score
                eventContinuation.yield(.scoreChanged(peer, from: last, to: score))
            }
        }
    }

    func rpcReceived(_ rpc: RPC, size: Int, from peer: PeerID, at instant: ContinuousClock.Instant) {
        guard sessions[peer] != nil, !stopped else { return }
        stats.bytesIn += size
        for raw in rpc.publish where router.isSubscribed(raw.topic) {
            stats.messagesReceived += 1
            metrics.received.increment()
            metrics.addBytesIn(raw.topic, raw.data?.count ?? 0)
        }
        if let control = rpc.control {
            if !control.idontwant.isEmpty, let session = sessions[peer] {
                let ids = Set(control.idontwant.flatMap(\.messageIDs))
                let cancelled = session.queue.cancel(ids)
                stats.idontwantCancelledSends += cancelled.frames
                stats.bytesOut -= cancelled.bytes
                metrics.idontwantCancelled.increment(by: cancelled.frames)
            }
            stats.ihaveReceived += control.ihave.count
            stats.iwantReceived += control.iwant.count
            stats.idontwantReceived += control.idontwant.count
            metrics.ihaveReceived.increment(by: control.ihave.count)
            metrics.iwantReceived.increment(by: control.iwant.count)
            metrics.idontwantReceived.increment(by: control.idontwant.count)
        }
        if let receiving = rpc.preambleExtension?.imReceiving, !receiving.isEmpty, router.usesPreamble(with: peer),
           let session = sessions[peer] {
            // As for IDONTWANT: copies still waiting for a peer that is receiving the message elsewhere are not sent.
            let cancelled = session.queue.cancel(Set(receiving.map(\.messageID)))
            stats.imReceivingCancelledSends += cancelled.frames
            stats.bytesOut -= cancelled.bytes
        }
        let before = stats.messagesFirstSeen
        let actions = router.rpcReceived(rpc, from: peer, now: now)
        for case .deliver(let message, _) in actions { receivedAt[message.id] = instant }
        // The only messages an incoming RPC makes the router send are answers to IWANT.
        process(actions, lane: .reply)
        let subscribed = rpc.publish.reduce(0) { $0 + (router.isSubscribed($1.topic) ? 1 : 0) }
        let duplicates = max(0, subscribed - (stats.messagesFirstSeen - before))
        stats.duplicates += duplicates
        metrics.duplicates.increment(by: duplicates)
    }

    /// Carries out router actions, and those that follow from them (synchronous validation).
    /// `id` is the message the actions are about (a publish or a validation result): a send
    /// carrying exactly one message carries that one. Message sends wait in `lane` (the router
    /// call they came from says which); those after a synchronous validation are forwards.
    func process(_ initial: [GossipSubAction<PeerID>], about id: MessageID? = nil, lane: OutboundLane = .forward) {
        process(tagged: initial.map { ($0, id) }, lane: lane)
    }

    /// ``process(_:about:lane:)`` for actions that each name the message they carry.
    func process(tagged initial: [(action: GossipSubAction<PeerID>, message: MessageID?)], lane: OutboundLane) {
        // A message forwarded to several peers is encoded once: its message-only RPC frame is
        // the same for all of them.
        var shared: [MessageID: [UInt8]] = [:]
        // Its PREAMBLE (topic, id, length) is the same for every peer too.
        var sharedLeads: [MessageID: [UInt8]] = [:]
        var work = initial.map { ($0.action, $0.message, lane) }[...]
        while let (action, tag, lane) = work.popFirst() {
            switch action {
            case .send(let peer, let rpc):
                for part in configuration.queuePolicy.placements(of: rpc, lane: lane, now: now) {
                    let single = part.rpc.publish.count == 1 ? tag : nil
                    let frame: [UInt8]
                    if let single, part.lane.carriesMessages {
                        frame = shared[single] ?? part.rpc.framed()
                        shared[single] = frame
                    } else {
                        frame = part.rpc.framed()
                    }
                    // PREAMBLE / IMRECEIVING: a large message to a peer that uses it is announced first.
                    var lead: [UInt8]?
                    if let single, part.lane.carriesMessages,
                       let announce = router.preamble(for: part.rpc.publish[0], id: single, to: peer) {
                        lead = sharedLeads[single] ?? announce.framed()
                        sharedLeads[single] = lead
                    }
                    send(part, frame: frame, to: peer, messageID: single, lead: lead)
                }
            case .deliver(let message, let source):
                stats.messagesFirstSeen += 1
                let more = validate(message, source: source)
                if !more.isEmpty { work = ArraySlice(more.map { ($0, message.id, OutboundLane.forward) }) + work }
            case .event(let event):
                handle(event)
            }
        }
        scheduleRouterTimer()
    }

    /// Wakes the router at its next deadline (an INEED that times out, a held copy due) when that comes before
    /// the timer already set.
    func scheduleRouterTimer() {
        guard !stopped, let deadline = router.nextDeadline else { return }
        if let scheduled = routerTimerAt, scheduled <= deadline { return }
        routerTimerAt = deadline
        routerTimer?.cancel()
        let wake = origin + deadline
        routerTimer = Task { [weak self] in
            try? await Task.sleep(until: wake, clock: .continuous)
            guard !Task.isCancelled else { return }
            await self?.routerTimerFired(deadline)
        }
    }

    private func routerTimerFired(_ deadline: Duration) {
        guard !stopped, routerTimerAt == deadline else { return }
        routerTimerAt = nil
        routerTimer = nil
        process(router.handleTimeout(now: now))
    }

    private func send(_ part: OutboundPlacement, frame: [UInt8], to peer: PeerID, messageID: MessageID?, lead: [UInt8]? = nil) {
        guard var session = sessions[peer] else { return }
        switch session.queue.enqueue(frame, lane: part.lane, messageID: messageID, deadline: part.deadline, lead: lead) {
        case .queued:
            stats.bytesOut += frame.count + (lead?.count ?? 0)
            if lead != nil { stats.preamblesSent += 1 }
            stats.imReceivingSent += part.rpc.preambleExtension?.imReceiving.count ?? 0
            for raw in part.rpc.publish { metrics.addBytesOut(raw.topic, raw.data?.count ?? 0) }
            if let c = part.rpc.control {
                stats.ihaveSent += c.ihave.count
                stats.iwantSent += c.iwant.count
                stats.idontwantSent += c.idontwant.count
                metrics.ihaveSent.increment(by: c.ihave.count)
                metrics.iwantSent.increment(by: c.iwant.count)
                metrics.idontwantSent.increment(by: c.idontwant.count)
            }
        case .dropped:
            session.dropsThisHeartbeat += 1
            sessions[peer] = session
            stats.framesDropped += 1
            metrics.framesDropped.increment()
            router.penalize(peer, reason: .slowPeer, count: 1)
            eventContinuation.yield(.slowPeer(peer, droppedFrames: session.dropsThisHeartbeat))
        case .overflowed:
            // Subscriptions are never dropped: a peer that cannot take them is let go.
            stats.slowPeerDisconnects += 1
            disconnect(peer, reason: "slow peer: its subscription queue overflowed")
        case .closed:
            break
        }
    }

    private func handle(_ event: GossipSubEvent<PeerID>) {
        switch event {
        case .grafted(let peer, let topic):
            eventContinuation.yield(.grafted(peer, topic: topic))
        case .pruned(let peer, let topic):
            eventContinuation.yield(.pruned(peer, topic: topic))
        case .penalised(let peer, let reason, _):
            eventContinuation.yield(.penalised(peer, reason: reason))
        case .peerSubscribed, .peerUnsubscribed, .peerExchange:
            break
        }
    }

    /// Starts validation of a new message: synchronously accepted without a validator,
    /// otherwise queued for the validator (or dropped when the queue is full).
    private func validate(_ message: Message, source: PeerID) -> [GossipSubAction<PeerID>] {
        guard let validator = validators[message.topic] else {
            return finishValidation(message, source: source, result: .accept)
        }
        guard validating < configuration.validationQueueLength else {
            stats.validationDropped += 1
            metrics.validationDropped.increment()
            eventContinuation.yield(.validationDropped(message.id, topic: message.topic))
            receivedAt[message.id] = nil
            return router.validationResult(message.id, .ignore, now: now)
        }
        validating += 1
        Task { [weak self] in
            let result = await validator(message, source)
            await self?.validated(message, source: source, result: result)
        }
        return []
    }

    private func validated(_ message: Message, source: PeerID, result: ValidationResult) {
        validating -= 1
        guard !stopped else { return }
        process(finishValidation(message, source: source, result: result), about: message.id)
    }

    private func finishValidation(_ message: Message, source: PeerID, result: ValidationResult) -> [GossipSubAction<PeerID>] {
        let instant = receivedAt.removeValue(forKey: message.id) ?? clock.now
        if result == .accept {
            stats.delivered += 1
            metrics.delivered.increment()
            let received = ReceivedMessage(message: message, source: source, receivedAt: instant)
            if let topicSubscribers = subscribers[message.topic] {
                for continuation in topicSubscribers.values { continuation.yield(received) }
            }
        }
        return router.validationResult(message.id, result, now: now)
    }
}
