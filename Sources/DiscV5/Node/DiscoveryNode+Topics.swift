import ENR

/// Topic discovery in the node: the caller's searches, advertisements and single requests, and
/// the registrar's answers (discv5 theory, "Topic-based Service Discovery").
extension DiscoveryNode {
    // MARK: Searching

    /// Searches `topic`'s advertisers at the TopDisc-capable registrars of the routing table (the
    /// bootnodes when it has none), bucket by bucket from the furthest to the topic
    /// (``TopicSearch``), asking each for records at the distances its search table lacks; the
    /// result comes as ``DiscoveryAction/topicSearchFinished(_:_:)``. `nil` id when too many
    /// lookups and searches run.
    public mutating func searchTopic(
        _ topic: TopicID, settings: TopicSearch.Settings = TopicSearch.Settings(), now: Duration,
        using random: inout some RandomNumberGenerator
    ) -> (id: LookupID?, actions: [DiscoveryAction]) {
        guard lookups.count + topicSearches.count < config.maximumConcurrentLookups else { return (nil, []) }
        lastLookupID += 1
        let id = LookupID(lastLookupID)
        topicSearches[id] = TopicSearch(topic: topic, identified: topicCandidates(), settings: settings)
        return (id, advanceSearch(id, now: now, using: &random))
    }

    /// The capable registrars of the table (their node ids as the table holds them), or of the
    /// seeds when the table has none.
    private func topicCandidates() -> [IdentifiedRecord] {
        let entries = tableRecords.filter { ServiceTable.isCapable($0.record) }
        guard entries.isEmpty else { return entries }
        return seeds.filter(ServiceTable.isCapable).map { IdentifiedRecord(record: $0, nodeID: $0.discoveryNodeID) }
    }

    /// The routing table's records with their node ids.
    private var tableRecords: [IdentifiedRecord] { table.allEntries.map { IdentifiedRecord(record: $0.record, nodeID: $0.nodeID) } }

    /// Sends one topic request to `registrar`, appending what to send to `actions`; `false` when
    /// it failed at once (no endpoint, a banned node), so no answer or failure will follow.
    private mutating func sendTopicRequest(
        _ purpose: Purpose, message: (RequestID) -> Message, hints: [UInt16], topic: TopicID, to registrar: NodeRecord,
        now: Duration, using random: inout some RandomNumberGenerator, into actions: inout [DiscoveryAction]
    ) -> Bool {
        let (requestID, sent) = request(purpose, message: message, distances: hints, topic: topic, record: registrar,
                                        now: now, using: &random)
        var sentOK = true
        for action in sent {
            if case .requestFailed(requestID, _) = action { sentOK = false } else { actions.append(action) }
        }
        return sentOK
    }

    mutating func advanceSearch(
        _ id: LookupID, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        guard var search = topicSearches.removeValue(forKey: id) else { return [] }
        if search.isFinished { return [.topicSearchFinished(id, search.advertisers)] }
        let registrars = search.nextRegistrars()
        let topic = search.topic
        let hints = search.wantedDistances()
        topicSearches[id] = consume search
        var actions: [DiscoveryAction] = []
        var failedAtOnce = false
        for registrar in registrars where !sendTopicRequest(
            .topicSearch(id), message: { .topicQuery(TopicQuery(requestID: $0, topic: topic, topicDistances: hints)) },
            hints: hints, topic: topic, to: registrar, now: now, using: &random, into: &actions
        ) {
            topicSearches[id]?.registrarFailed(registrar.discoveryNodeID)
            failedAtOnce = true
        }
        // A registrar that failed at once (no endpoint, banned) leaves room for the next one.
        return failedAtOnce ? actions + advanceSearch(id, now: now, using: &random) : actions
    }

    // MARK: Advertising

    /// Starts advertising `topic` (``TopicAdvertiser``): registrations at up to `K_register`
    /// capable registrars per bucket of its advertise table, filled from the routing table, the
    /// seeds and the registrars' auxiliary records, retried with tickets and renewed until
    /// ``stopAdvertising(_:)``. `false` when ``DiscoveryConfig/maximumAdvertisedTopics`` are
    /// advertised already or `settings` has ``TopicAdvertiser/Settings/problems``; advertising a
    /// topic again changes nothing.
    public mutating func advertiseTopic(
        _ topic: TopicID, settings: TopicAdvertiser.Settings = TopicAdvertiser.Settings(), now: Duration,
        using random: inout some RandomNumberGenerator
    ) -> (started: Bool, actions: [DiscoveryAction]) {
        if advertisers[topic] != nil { return (true, []) }
        guard advertisers.count < config.maximumAdvertisedTopics, settings.problems.isEmpty else { return (false, []) }
        advertisers[topic] = TopicAdvertiser(topic: topic, localID: localID, settings: settings)
        return (true, runAdvertiser(topic, now: now, using: &random))
    }

    /// Stops advertising `topic`: no further registrations or renewals (placed advertisements
    /// expire at their registrars).
    public mutating func stopAdvertising(_ topic: TopicID) {
        advertisers[topic] = nil
    }

    /// The topics advertised.
    public var advertisedTopics: [TopicID] { Array(advertisers.keys) }

    /// How the advertisements of `topic` stand at `now`; `nil` when it is not advertised.
    public func advertisementStatus(of topic: TopicID, now: Duration) -> TopicAdvertiser.Status? {
        advertisers[topic]?.status(now: now)
    }

    /// Sends the REGTOPIC attempts `topic`'s advertiser has due.
    mutating func runAdvertiser(
        _ topic: TopicID, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        guard var advertiser = advertisers.removeValue(forKey: topic) else { return [] }
        if advertiser.wantsCandidates(now: now) {
            advertiser.learn(identified: tableRecords, now: now)
            if advertiser.table.count == 0 { advertiser.learn(seeds, now: now) }
        }
        let attempts = advertiser.due(now: now, using: &random)
        let hints = advertiser.wantedDistances()
        advertisers[topic] = consume advertiser
        let local = localRecord
        var actions: [DiscoveryAction] = []
        for attempt in attempts where !sendTopicRequest(
            .advertisement(topic), message: {
                .regTopic(RegisterTopic(requestID: $0, topic: topic, record: local, ticket: attempt.ticket, topicDistances: hints))
            }, hints: hints, topic: topic, to: attempt.registrar, now: now, using: &random, into: &actions
        ) {
            advertisers[topic]?.failed(attempt.registrar.discoveryNodeID, now: now)
        }
        return actions
    }

    // MARK: Single requests

    /// Sends REGTOPIC for `topic`, advertising this node's record, to the registrar of `record`,
    /// with the latest `ticket` that registrar issued (empty on a first attempt); the answer comes
    /// as ``DiscoveryAction/topicRegistration(_:_:from:)``.
    public mutating func registerTopic(
        _ topic: TopicID, at record: NodeRecord, ticket: [UInt8] = [], now: Duration,
        using random: inout some RandomNumberGenerator
    ) -> (id: RequestID, actions: [DiscoveryAction]) {
        let local = localRecord
        return request(.userRegisterTopic, message: {
            .regTopic(RegisterTopic(requestID: $0, topic: topic, record: local, ticket: ticket))
        }, topic: topic, record: record, now: now, using: &random)
    }

    /// Sends TOPICQUERY for `topic` to the registrar of `record`; the advertisers come as
    /// ``DiscoveryAction/topicNodes(_:_:from:)``.
    public mutating func queryTopic(
        _ topic: TopicID, at record: NodeRecord, now: Duration, using random: inout some RandomNumberGenerator
    ) -> (id: RequestID, actions: [DiscoveryAction]) {
        request(.userTopicQuery, message: { .topicQuery(TopicQuery(requestID: $0, topic: topic)) }, topic: topic,
                record: record, now: now, using: &random)
    }

    // MARK: Answers arriving

    /// One message of a topic request's answer arrived: finishes the request once the session
    /// awaits no more.
    mutating func topicResponseArrived(
        _ request: Outstanding, id: RequestID, from address: NodeAddress, now: Duration,
        using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        guard !session.isAwaitingResponse(id, from: address) else {
            outstanding[id] = request
            return []
        }
        outstanding[id] = nil
        return finishTopicRequest(request, id: id, now: now, using: &random)
    }

    /// Hands a topic request's answer (whole, or the part that came before the timeout) to
    /// whoever asked.
    mutating func finishTopicRequest(
        _ request: Outstanding, id: RequestID, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        switch request.purpose {
        case .userRegisterTopic:
            guard let confirmation = request.confirmation else { return [.requestFailed(id, .failed(.unexpectedResponse))] }
            return [.topicRegistration(id, confirmation, from: request.peer)]
        case .userTopicQuery:
            return [.topicNodes(id, request.records, from: request.peer)]
        case .topicSearch(let searchID):
            topicSearches[searchID]?.learn(request.auxiliary)
            topicSearches[searchID]?.registrar(request.peer, answered: request.records)
            return advanceSearch(searchID, now: now, using: &random)
        case .advertisement(let topic):
            advertisers[topic]?.learn(request.auxiliary, now: now)
            if let confirmation = request.confirmation {
                advertisers[topic]?.confirmed(by: request.peer, confirmation, now: now)
            } else {
                advertisers[topic]?.failed(request.peer, now: now)
            }
            return runAdvertiser(topic, now: now, using: &random)
        case .lookup, .liveness, .recordFetch, .userPing, .userFindNode, .userTalk:
            return []
        }
    }

    // MARK: Registrar

    /// Admission control for REGTOPIC, then the auxiliary records the hints asked for; no answer
    /// when this node is no registrar or the record is not the sender's own at the address the
    /// request came from.
    mutating func answerRegistration(
        _ register: RegisterTopic, from address: NodeAddress, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [Message] {
        guard topicRegistrar != nil else { return [] }
        statistics.topicRequestsHandled += 1
        guard register.record.discoveryNodeID == address.nodeID, register.record.udpEndpoint == address.endpoint else {
            statistics.topicRegistrationsRefused += 1
            return []
        }
        guard let (outcome, _) = topicRegistrar?.register(
            topic: register.topic, record: register.record, nodeID: address.nodeID, ip: address.endpoint.ip,
            ticket: register.ticket, now: now)
        else { return [] }
        let auxiliary = auxiliaryMessages(requestID: register.requestID, topic: register.topic, hints: register.topicDistances,
                                          using: &random)
        let total = UInt64(1 + auxiliary.count)
        let confirmation = switch outcome {
        case .admitted(let lifetime):
            RegisterConfirmation(requestID: register.requestID, total: total, ticket: [], waitTime: lifetime.wholeMilliseconds)
        case .wait(let ticket, let wait):
            RegisterConfirmation(requestID: register.requestID, total: total, ticket: ticket, waitTime: wait.wholeMilliseconds)
        }
        return [.regConfirmation(confirmation)] + auxiliary.map { .nodes(Nodes(requestID: $0.requestID, total: total, records: $0.records)) }
    }

    /// The advertisers of the topic (TOPICNODES, at least one message) and the auxiliary records
    /// the hints asked for (NODES), all announcing the same total; nothing when this node is no
    /// registrar.
    mutating func answerTopicQuery(
        _ query: TopicQuery, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [Message] {
        guard let found = topicRegistrar?.advertisers(of: query.topic, now: now, using: &random) else { return [] }
        statistics.topicRequestsHandled += 1
        let advertisers = NodesPacking.messages(requestID: query.requestID, records: found)
        let auxiliary = auxiliaryMessages(requestID: query.requestID, topic: query.topic, hints: query.topicDistances,
                                          using: &random)
        let total = UInt64(advertisers.count + auxiliary.count)
        return advertisers.map { .topicNodes(TopicNodes(requestID: $0.requestID, total: total, records: $0.records)) }
            + auxiliary.map { .nodes(Nodes(requestID: $0.requestID, total: total, records: $0.records)) }
    }

    /// NODES messages (their `total` still to be set to the whole answer's) with one capable
    /// record of the routing table per hinted distance to the topic; none without hints.
    private func auxiliaryMessages(
        requestID: RequestID, topic: TopicID, hints: [UInt16], using random: inout some RandomNumberGenerator
    ) -> [Nodes] {
        guard !hints.isEmpty else { return [] }
        let records = TopicDiscovery.auxiliaryRecords(for: hints, topic: topic, known: tableRecords, using: &random)
        guard !records.isEmpty else { return [] }
        return NodesPacking.messages(requestID: requestID, records: records)
    }
}

extension DiscoveryNode.Outstanding {
    /// Adds auxiliary records answering this topic request's hints: capable, at a hinted distance
    /// not answered yet (one record per distance), bounded by the hints.
    mutating func collectAuxiliary(_ records: [NodeRecord]) {
        partsReceived += 1
        guard let topic else { return }
        let answered = Set(auxiliary.map { topic.logDistance(to: $0.discoveryNodeID) })
        let open = distances.prefix(TopicDiscovery.maximumHints).filter { !answered.contains(Int($0)) }
        auxiliary += TopicDiscovery.acceptedAuxiliary(records, hints: Array(open), topic: topic)
    }
}
