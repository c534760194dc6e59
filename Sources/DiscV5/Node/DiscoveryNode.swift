import ENR
import P2PCrypto

/// The sans-IO discovery v5 node: the session layer, the routing table, lookups, the answers to
/// PING/FINDNODE/TALKREQ, external address votes and abuse limits, driven by packets, calls and
/// time, and returning ``DiscoveryAction``s.
///
/// Abuse: every packet spends a token of its source IP address (``DiscoveryConfig/packetsPerSecondPerIP``),
/// every request one of its node id; only protocol violations a node authenticated (messages that
/// decrypted under its session) count towards a ban, of that node id, reported once as
/// ``DiscoveryAction/banned(_:)``. The same core runs in the simulator and behind the
/// UDP adapter.
///
/// Timers are data: call ``handleTimeout(now:using:)`` at ``nextDeadline``.
public struct DiscoveryNode: Sendable {
    enum Purpose: Sendable {
        case lookup(LookupID)
        case liveness
        case recordFetch
        case userPing
        case userFindNode
        case userTalk
        case userRegisterTopic
        case userTopicQuery
        case topicSearch(LookupID)
        case advertisement(TopicID)
    }

    struct Outstanding: Sendable {
        var purpose: Purpose
        var peer: NodeID
        var distances: [UInt16] = []
        var records: [NodeRecord] = []
        var partsReceived: UInt64 = 0
        /// Topic requests: the topic, whose distances `distances` then holds (the hints sent).
        var topic: TopicID?
        /// REGTOPIC: the confirmation, once it arrived (auxiliary NODES may still be due).
        var confirmation: RegisterConfirmation?
        /// Topic requests: auxiliary records (NODES answering the hints).
        var auxiliary: [NodeRecord] = []

        /// Adds the records of one more response part, distinct and at most `limit` in all.
        mutating func collect(_ part: some Sequence<NodeRecord>, limit: Int) {
            for record in part where records.count < limit && !records.contains(record) { records.append(record) }
            partsReceived += 1
        }
    }

    /// Counters for metrics and tests.
    public struct Statistics: Sendable, Equatable {
        /// Datagrams handed to ``DiscoveryNode/handlePacket(_:from:now:using:)``, refused ones included.
        public var packetsReceived = 0
        /// Packets the session layer discarded without blaming an authenticated node (undecodable,
        /// undecryptable, unexpected, or from a banned node).
        public var packetsDropped = 0
        /// Packets refused by their source address's packet rate.
        public var packetsRateLimited = 0
        /// Packets dropped because their source node id is banned.
        public var packetsFromBannedNodes = 0
        /// Authenticated requests refused by their node id's request rate.
        public var requestsRateLimited = 0
        /// Protocol violations in authenticated sessions (each counts towards its node's ban).
        public var protocolViolations = 0
        /// Node ids banned.
        public var bans = 0
        /// Handshakes completed (either side).
        public var sessionsEstablished = 0
        /// Requests that failed (timeouts after retries, handshakes that did not take).
        public var requestsFailed = 0
        /// Of those, the ones that timed out.
        public var requestsTimedOut = 0
        /// REGTOPIC requests refused before admission control: the record is not the sender's
        /// own, or announces another address than the one the request came from.
        public var topicRegistrationsRefused = 0
        /// REGTOPIC and TOPICQUERY requests a registrar handled (past the request rate limit).
        public var topicRequestsHandled = 0

        /// All zero.
        public init() {}
    }

    private let localKey: Secp256k1.PrivateKey
    /// The configuration the node runs with, validated.
    public let config: DiscoveryConfig
    /// The session layer.
    public private(set) var session: SessionHandler
    /// The routing table.
    public private(set) var table: RoutingTable
    /// Counters since start.
    public internal(set) var statistics = Statistics()
    var outstanding: [RequestID: Outstanding] = [:]
    var lookups: [LookupID: Lookup] = [:]
    var topicSearches: [LookupID: TopicSearch] = [:]
    /// The topics this node advertises.
    var advertisers: [TopicID: TopicAdvertiser] = [:]
    private var recentLookupPeers: RecentEntries
    var lastLookupID: UInt64 = 0
    var seeds: [NodeRecord]
    private var talkHandlers: [[UInt8]: TalkHandler] = [:]
    private var votes: AddressVotes
    private var abuse: AbuseGuard
    /// The last lookup that finished (for tests and diagnostics).
    private(set) var lastFinishedLookup: Lookup?
    private var nextRefresh: Duration?
    private var nextRevalidation: Duration?
    /// The topic-discovery registrar, when ``DiscoveryConfig/topicRegistrar`` is set.
    public internal(set) var topicRegistrar: TopicRegistrar?

    /// A node with `key` announcing `record` (which must be signed by `key`).
    public init(key: Secp256k1.PrivateKey, record: NodeRecord, config: DiscoveryConfig = DiscoveryConfig()) throws(DiscoveryConfig.Invalid) {
        let config = try config.validated()
        self.localKey = key
        self.config = config
        do {
            self.session = try SessionHandler(key: key, record: record, config: config.session)
            self.table = try RoutingTable(localID: NodeID(publicKey: key.publicKey), config: config.table)
        } catch {
            throw DiscoveryConfig.Invalid(reason: "\(error)")
        }
        self.seeds = config.bootnodes
        self.votes = AddressVotes(lifetime: config.addressVoteLifetime)
        self.abuse = AbuseGuard(config: config)
        self.recentLookupPeers = RecentEntries(capacity: config.lookupPeerCapacity,
                                               maximumPerSubnet: config.table.maximumPerSubnetInTable)
        // The ticket key is derived from the node key: secret, and tickets stay valid across a restart.
        self.topicRegistrar = config.topicRegistrar.map {
            TopicRegistrar(config: $0, ticketKey: TicketSealer.key(derivedFrom: key.rawRepresentation))
        }
    }

    /// This node's id.
    public var localID: NodeID { session.localID }
    /// This node's current record.
    public var localRecord: NodeRecord { session.localRecord }
    /// The records of the table, for a known-nodes file (``KnownNodesFile``).
    public var knownRecords: [NodeRecord] { table.allEntries.map(\.record) }
    /// The peers that pass the ``PeerFilter``, for the layers above: the table's, then the nodes
    /// it had no room for (``lookupPeers``).
    public var peers: [DiscoveredPeer] { tablePeers + lookupPeers.map { DiscoveredPeer(record: $0.record) } }
    /// The table's peers that pass the ``PeerFilter``, nearest buckets first, each with its log
    /// distance. Dial them in an order of your own that spreads over the buckets: nodes with
    /// ground node ids sit in the nearest ones.
    public var tablePeers: [DiscoveredPeer] {
        table.allEntries.filter { config.filter.admits($0.record) }.map {
            DiscoveredPeer(record: $0.record, logDistance: $0.nodeID.logDistance(to: localID))
        }
    }
    /// Nodes passing the ``PeerFilter`` that this one talked to (a handshake, mostly during its
    /// lookups) and its table had no room for, oldest first (at most
    /// ``DiscoveryConfig/lookupPeerCapacity``, and as many from one /24 as the table allows).
    public var lookupPeers: [TableEntry] { recentLookupPeers.entries.filter { table.entry(for: $0.nodeID) == nil } }
    /// Number of lookups running.
    public var activeLookupCount: Int { lookups.count }
    /// Number of requests awaiting an answer.
    public var outstandingRequestCount: Int { outstanding.count }

    /// Number of addresses the rate limiter tracks (bounded by
    /// ``DiscoveryConfig/trackedAddressCapacity``).
    public var trackedAddressCount: Int { abuse.trackedAddressCount }

    /// Whether `node` is banned at `now`.
    public func isBanned(_ node: NodeID, now: Duration) -> Bool { abuse.isBanned(node, now: now) }

    /// Changes the local record (e.g. to announce a TCP port): `change` is applied, the sequence
    /// number incremented and the record re-signed; peers learn it through PING/PONG.
    @discardableResult
    public mutating func updateLocalRecord(
        _ change: (inout NodeRecordBuilder) throws(ENRError) -> Void
    ) throws(ENRError) -> NodeRecord {
        let updated = try localRecord.updated(signingWith: localKey, change)
        adopt(updated)
        return updated
    }

    /// Adds records to contact when the table is empty (e.g. from a known-nodes file).
    public mutating func addSeeds(_ records: [NodeRecord]) {
        for record in records where record.discoveryNodeID != localID && !seeds.contains(record) {
            seeds.append(record)
        }
    }

    /// Answers TALKREQ messages for `protocolName` with `handler` (replacing any previous one).
    public mutating func registerTalkProtocol(_ protocolName: [UInt8], handler: @escaping TalkHandler) {
        talkHandlers[protocolName] = handler
    }

    /// Starts the timers and joins the network (a lookup of the own id through the table, or the
    /// seeds when it is empty).
    public mutating func start(now: Duration, using random: inout some RandomNumberGenerator) -> [DiscoveryAction] {
        nextRefresh = now + config.refreshInterval
        nextRevalidation = now + config.revalidationInterval
        return lookup(localID, now: now, using: &random).actions
    }

    // MARK: Time

    /// The earliest time at which ``handleTimeout(now:using:)`` has work to do.
    public var nextDeadline: Duration? {
        var deadline = session.nextDeadline
        for candidate in [nextRefresh, nextRevalidation, lookups.values.lazy.map(\.deadline).min(),
                          advertisers.values.lazy.map(\.nextDeadline).min()] {
            guard let candidate else { continue }
            deadline = deadline.map { min($0, candidate) } ?? candidate
        }
        return deadline
    }

    /// Runs everything due at `now`: request retries and failures, lookup timeouts, refresh
    /// lookups and liveness checks.
    public mutating func handleTimeout(now: Duration, using random: inout some RandomNumberGenerator) -> [DiscoveryAction] {
        var actions = process(session.handleTimeout(now: now), now: now, using: &random)
        for id in lookups.keys.sorted(by: { $0.value < $1.value }) {
            guard let lookup = lookups[id], lookup.deadline <= now else { continue }
            lookups[id] = nil
            actions.append(.lookupFinished(id, lookup.result))
        }
        if let refresh = nextRefresh, refresh <= now {
            nextRefresh = now + config.refreshInterval
            let target = table.count == 0 ? localID : Self.randomNodeID(&random)
            actions += lookup(target, now: now, using: &random).actions
        }
        if let revalidation = nextRevalidation, revalidation <= now {
            nextRevalidation = now + config.revalidationInterval
            let distances = table.nonEmptyDistances
            if !distances.isEmpty,
               let oldest = table.entries(atDistance: distances[Int(random.next() % UInt64(distances.count))]).first {
                let seq = localRecord.sequenceNumber
                actions += request(.liveness, message: { .ping(Ping(requestID: $0, enrSeq: seq)) },
                                   to: oldest.contact, now: now, using: &random).actions
            }
        }
        for topic in advertisers.keys.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) })
        where advertisers[topic].map({ $0.nextDeadline <= now }) == true {
            actions += runAdvertiser(topic, now: now, using: &random)
        }
        return actions
    }

    // MARK: Packets

    /// Handles one datagram received from `endpoint`.
    public mutating func handlePacket(
        _ bytes: some Collection<UInt8>, from endpoint: Endpoint, now: Duration,
        using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        statistics.packetsReceived += 1
        guard abuse.admitsPacket(from: endpoint.ip, now: now) else {
            statistics.packetsRateLimited += 1
            return []
        }
        let bans = abuse.bans
        let actions = session.handlePacket(
            bytes, from: endpoint, now: now, using: &random, refusing: { bans.isBanned($0, now: now) })
        return process(actions, now: now, using: &random)
    }

    // MARK: Requests of the caller

    /// Starts a lookup of the nodes closest to `target`; `nil` id when too many lookups run.
    public mutating func lookup(
        _ target: NodeID, now: Duration, using random: inout some RandomNumberGenerator
    ) -> (id: LookupID?, actions: [DiscoveryAction]) {
        guard lookups.count < config.maximumConcurrentLookups else { return (nil, []) }
        lastLookupID += 1
        let id = LookupID(lastLookupID)
        var lookup = Lookup(
            id: id, target: target, deadline: now + config.lookupTimeout, resultCount: config.lookupResultCount,
            parallelism: config.lookupParallelism, distanceCount: config.lookupDistanceCount,
            responseLimit: config.maximumNodesPerResponse)
        let closest = table.closest(to: target, count: config.lookupResultCount)
        for entry in closest { lookup.add(entry.record, nodeID: entry.nodeID, localID: localID) }
        if closest.isEmpty {
            for seed in seeds { lookup.add(seed, nodeID: seed.discoveryNodeID, localID: localID) }
        }
        lookups[id] = consume lookup
        return (id, advance(id, now: now, using: &random))
    }

    /// Sends PING to the node of `record`; the answer comes as ``DiscoveryAction/pong(_:_:from:)``.
    public mutating func ping(
        _ record: NodeRecord, now: Duration, using random: inout some RandomNumberGenerator
    ) -> (id: RequestID, actions: [DiscoveryAction]) {
        let seq = localRecord.sequenceNumber
        return request(.userPing, message: { .ping(Ping(requestID: $0, enrSeq: seq)) }, record: record, now: now, using: &random)
    }

    /// Sends FINDNODE for `distances` to the node of `record`; the answer comes as
    /// ``DiscoveryAction/nodes(_:_:from:)``.
    public mutating func findNode(
        _ record: NodeRecord, distances: [UInt16], now: Duration, using random: inout some RandomNumberGenerator
    ) -> (id: RequestID, actions: [DiscoveryAction]) {
        request(.userFindNode, message: { .findNode(FindNode(requestID: $0, distances: distances)) },
                distances: distances, record: record, now: now, using: &random)
    }

    /// Sends TALKREQ to the node of `record`; the answer comes as
    /// ``DiscoveryAction/talkResponse(_:_:from:)``.
    public mutating func talk(
        _ record: NodeRecord, protocolName: [UInt8], request payload: [UInt8], now: Duration,
        using random: inout some RandomNumberGenerator
    ) -> (id: RequestID, actions: [DiscoveryAction]) {
        request(.userTalk, message: { .talkRequest(TalkRequest(requestID: $0, protocolName: protocolName, request: payload)) },
                record: record, now: now, using: &random)
    }

    mutating func request(
        _ purpose: Purpose, message: (RequestID) -> Message, distances: [UInt16] = [], topic: TopicID? = nil,
        record: NodeRecord, now: Duration,
        using random: inout some RandomNumberGenerator
    ) -> (id: RequestID, actions: [DiscoveryAction]) {
        guard let endpoint = record.udpEndpoint else {
            let id = newRequestID(&random)
            return (id, [.requestFailed(id, .failed(.recordWithoutEndpoint))])
        }
        return request(purpose, message: message, distances: distances, topic: topic,
                       to: NodeContact(record: record, endpoint: endpoint), now: now, using: &random)
    }

    mutating func request(
        _ purpose: Purpose, message: (RequestID) -> Message, distances: [UInt16] = [], topic: TopicID? = nil,
        to contact: NodeContact, now: Duration, using random: inout some RandomNumberGenerator
    ) -> (id: RequestID, actions: [DiscoveryAction]) {
        let id = newRequestID(&random)
        guard !abuse.isBanned(contact.nodeID, now: now) else { return (id, [.requestFailed(id, .failed(.bannedNode))]) }
        outstanding[id] = Outstanding(purpose: purpose, peer: contact.nodeID, distances: distances, topic: topic)
        let actions = session.sendRequest(message(id), to: contact, now: now, using: &random)
        return (id, process(actions, now: now, using: &random))
    }

    // MARK: Session events

    private mutating func process(
        _ actions: [SessionAction], now: Duration, using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        var result: [DiscoveryAction] = []
        for action in actions {
            switch action {
            case .send(let packet, let endpoint):
                result.append(.send(packet: packet, to: endpoint))
            case .request(let message, let from):
                result += handleRequest(message, from: from, now: now, using: &random)
            case .response(let message, let from):
                result += handleResponse(message, from: from, now: now, using: &random)
            case .sessionEstablished(let address, let record):
                statistics.sessionsEstablished += 1
                result += handleEstablished(address, record: record, now: now, using: &random)
            case .requestFailed(let id, _, let failure):
                statistics.requestsFailed += 1
                if failure == .timeout { statistics.requestsTimedOut += 1 }
                result += handleFailure(id, failure, now: now, using: &random)
            case .dropped(_, let error):
                // Unauthenticated: whoever sent it, it costs nobody more than its packet token.
                statistics.packetsDropped += 1
                if error == .bannedNode { statistics.packetsFromBannedNodes += 1 }
            case .misbehaved(let address, let error, let nonce):
                statistics.protocolViolations += 1
                guard let ban = abuse.offence(by: address, error, nonce: nonce, now: now) else { continue }
                statistics.bans += 1
                session.forget(address)
                table.remove(address.nodeID)
                result.append(.banned(ban))
            }
        }
        return result
    }

    private mutating func handleEstablished(
        _ address: NodeAddress, record: NodeRecord?, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        // Only a node whose record announces the endpoint it speaks from enters the table.
        guard let record, record.udpEndpoint == address.endpoint,
              (session.recordCache.nodeID(of: record) ?? record.discoveryNodeID) == address.nodeID
        else { return [] }
        let entry = TableEntry(record: record, nodeID: address.nodeID, endpoint: address.endpoint, lastSeen: now)
        switch table.insert(entry) {
        case .inserted:
            return config.filter.admits(record) ? [.discovered(DiscoveredPeer(record: record))] : []
        case .cachedAsReplacement, .rejected:
            // A node this one talked to and the table has no room for: still a peer to dial.
            if config.filter.admits(record) { recentLookupPeers.remember(entry) }
            return []
        case .checkLiveness(let oldest):
            let seq = localRecord.sequenceNumber
            return request(.liveness, message: { .ping(Ping(requestID: $0, enrSeq: seq)) }, to: oldest.contact,
                           now: now, using: &random).actions
        case .updated:
            return []
        }
    }

    private mutating func handleRequest(
        _ message: Message, from address: NodeAddress, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        guard abuse.admitsRequest(from: address.nodeID, now: now) else {
            statistics.requestsRateLimited += 1
            return []
        }
        var responses: [Message] = []
        var actions: [DiscoveryAction] = []
        switch message {
        case .ping(let ping):
            responses = [.pong(Pong(
                requestID: ping.requestID, enrSeq: localRecord.sequenceNumber, recipientIP: address.endpoint.ip,
                recipientPort: address.endpoint.port))]
            actions += fetchRecordIfNewer(address, seq: ping.enrSeq, now: now, using: &random)
        case .findNode(let findNode):
            responses = NodesPacking.messages(requestID: findNode.requestID, records: records(atDistances: findNode.distances))
                .map(Message.nodes)
        case .talkRequest(let talk):
            let answer = talkHandlers[talk.protocolName]?(address, talk.request) ?? []
            responses = [.talkResponse(TalkResponse(requestID: talk.requestID, response: answer))]
        case .regTopic(let register):
            responses = answerRegistration(register, from: address, now: now, using: &random)
        case .topicQuery(let query):
            responses = answerTopicQuery(query, now: now, using: &random)
        case .pong, .nodes, .talkResponse, .regConfirmation, .topicNodes:
            return []
        }
        for response in responses {
            guard let sent = try? session.sendResponse(response, to: address, using: &random) else { continue }
            actions = process(sent, now: now, using: &random) + actions
        }
        return actions
    }

    private func records(atDistances distances: [UInt16]) -> [NodeRecord] {
        var seen: Set<UInt16> = []
        var records: [NodeRecord] = []
        for distance in distances.prefix(16) where seen.insert(distance).inserted {
            if distance == 0 {
                records.append(localRecord)
            } else {
                records += table.entries(atDistance: Int(distance)).map(\.record)
            }
            if records.count >= config.maximumNodesPerResponse { break }
        }
        return Array(records.prefix(config.maximumNodesPerResponse))
    }

    private mutating func fetchRecordIfNewer(
        _ address: NodeAddress, seq: UInt64, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        guard let known = table.entry(for: address.nodeID)?.record ?? session.sessions.peek(address)?.record,
              seq > known.sequenceNumber,
              !outstanding.values.contains(where: { $0.peer == address.nodeID && $0.purpose.isRecordFetch })
        else { return [] }
        return request(.recordFetch, message: { .findNode(FindNode(requestID: $0, distances: [0])) }, distances: [0],
                       to: NodeContact(record: known, endpoint: address.endpoint), now: now, using: &random).actions
    }

    private mutating func handleResponse(
        _ message: Message, from address: NodeAddress, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        let id = message.requestID
        guard var request = outstanding[id], request.peer == address.nodeID else { return [] }
        table.markAlive(address.nodeID, now: now)
        switch message {
        case .pong(let pong):
            outstanding[id] = nil
            var actions = handleAddressVote(pong, from: address.nodeID, now: now)
            actions += fetchRecordIfNewer(address, seq: pong.enrSeq, now: now, using: &random)
            if case .userPing = request.purpose { actions.append(.pong(id, pong, from: address.nodeID)) }
            return actions
        case .nodes(let nodes) where request.topic != nil:
            request.collectAuxiliary(nodes.records)
            return topicResponseArrived(request, id: id, from: address, now: now, using: &random)
        case .nodes(let nodes):
            // Records not at a requested distance are dropped (spec); each id is computed once.
            let distances = request.distances
            let cache = session.recordCache
            let valid = nodes.records.map { IdentifiedRecord(record: $0, nodeID: cache.nodeID(of: $0) ?? $0.discoveryNodeID) }.filter {
                distances.contains(UInt16(address.nodeID.logDistance(to: $0.nodeID)))
            }
            request.collect(valid.lazy.map(\.record), limit: config.maximumNodesPerResponse)
            // Complete once the session layer awaits no more NODES messages (it counts them, and
            // after a retry awaits the whole answer again).
            let complete = !session.isAwaitingResponse(id, from: address)
            outstanding[id] = complete ? nil : request
            return nodesArrived(request, id: id, records: valid, complete: complete, from: address, now: now, using: &random)
        case .talkResponse(let talk):
            outstanding[id] = nil
            if case .userTalk = request.purpose { return [.talkResponse(id, talk.response, from: address.nodeID)] }
            return []
        case .regConfirmation(let confirmation):
            // A retried request may be confirmed twice: the first answer stands.
            request.confirmation = request.confirmation ?? confirmation
            request.partsReceived += 1
            return topicResponseArrived(request, id: id, from: address, now: now, using: &random)
        case .topicNodes(let nodes):
            request.collect(nodes.records, limit: config.maximumNodesPerResponse)
            return topicResponseArrived(request, id: id, from: address, now: now, using: &random)
        case .ping, .findNode, .talkRequest, .regTopic, .topicQuery:
            return []
        }
    }

    private mutating func nodesArrived(
        _ request: Outstanding, id: RequestID, records: [IdentifiedRecord], complete: Bool, from address: NodeAddress,
        now: Duration, using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        switch request.purpose {
        case .lookup(let lookupID):
            guard var lookup = lookups.removeValue(forKey: lookupID) else { return [] }
            for record in records where !abuse.isBanned(record.nodeID, now: now) {
                lookup.add(record.record, nodeID: record.nodeID, localID: localID)
            }
            if complete {
                let cache = session.recordCache
                let ids = request.records.map { cache.nodeID(of: $0) ?? $0.discoveryNodeID }
                lookup.complete(address.nodeID, asked: request.distances, records: ids)
            }
            lookups[lookupID] = consume lookup
            return advance(lookupID, now: now, using: &random)
        case .recordFetch:
            guard let record = records.first(where: { $0.nodeID == address.nodeID })?.record,
                  let entry = table.entry(for: address.nodeID), record.sequenceNumber > entry.record.sequenceNumber,
                  record.udpEndpoint == entry.endpoint
            else { return [] }
            _ = table.insert(TableEntry(record: record, endpoint: entry.endpoint, lastSeen: now))
            return []
        case .userFindNode:
            return complete ? [.nodes(id, request.records, from: address.nodeID)] : []
        case .liveness, .userPing, .userTalk, .userRegisterTopic, .userTopicQuery, .topicSearch, .advertisement:
            return []
        }
    }

    private mutating func handleFailure(
        _ id: RequestID, _ failure: RequestFailure, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        guard let request = outstanding.removeValue(forKey: id) else { return [] }
        switch request.purpose {
        case .lookup(let lookupID):
            guard var lookup = lookups.removeValue(forKey: lookupID) else { return [] }
            // A peer that answered in part stays a result; its plan is kept for a later query.
            lookup.complete(request.peer, asked: [], records: request.partsReceived > 0 ? [] : nil)
            lookups[lookupID] = consume lookup
            return advance(lookupID, now: now, using: &random)
        case .liveness:
            table.remove(request.peer)
            return []
        case .recordFetch:
            return []
        case .userFindNode where request.partsReceived > 0:
            return [.nodes(id, request.records, from: request.peer)]
        case .userTopicQuery where request.partsReceived > 0, .userRegisterTopic where request.confirmation != nil,
             .topicSearch where request.partsReceived > 0, .advertisement where request.confirmation != nil:
            // Part of the answer came: it stands.
            return finishTopicRequest(request, id: id, now: now, using: &random)
        case .topicSearch(let searchID):
            topicSearches[searchID]?.registrarFailed(request.peer)
            return advanceSearch(searchID, now: now, using: &random)
        case .advertisement(let topic):
            advertisers[topic]?.failed(request.peer, now: now)
            return runAdvertiser(topic, now: now, using: &random)
        case .userPing, .userFindNode, .userTalk, .userRegisterTopic, .userTopicQuery:
            return [.requestFailed(id, failure)]
        }
    }

    // MARK: Lookups

    private mutating func advance(
        _ id: LookupID, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [DiscoveryAction] {
        guard var lookup = lookups.removeValue(forKey: id) else { return [] }
        if lookup.isFinished {
            lastFinishedLookup = lookup
            return [.lookupFinished(id, lookup.result)]
        }
        var queries: [(RequestID, NodeContact, [UInt16])] = []
        for index in lookup.nextToQuery() {
            let candidate = lookup.candidates[index]
            let distances = lookup.distancesToAsk(index)
            let requestID = newRequestID(&random)
            lookup.markWaiting(index, request: requestID)
            outstanding[requestID] = Outstanding(purpose: .lookup(id), peer: candidate.nodeID, distances: distances)
            queries.append((requestID, NodeContact(record: candidate.record, endpoint: candidate.endpoint), distances))
        }
        lookups[id] = consume lookup
        var actions: [DiscoveryAction] = []
        for (requestID, contact, distances) in queries {
            let sent = session.sendRequest(
                .findNode(FindNode(requestID: requestID, distances: distances)), to: contact, now: now, using: &random)
            actions += process(sent, now: now, using: &random)
        }
        return actions
    }

    /// The distances to ask `peer` for nodes close to `target`, most useful first (a responder
    /// stops at ``DiscoveryConfig/maximumNodesPerResponse`` records): `d` = the log distance of
    /// `target` from `peer` (its bucket may hold nodes closer than `d`), then `d-1`, `d-2`, …
    /// (nodes at exactly `d` from the target; few when `peer` is close), then `d+1`, `d+2`, …
    /// (the next shells around the target, which a close peer must be asked for).
    static func lookupDistances(from peer: NodeID, to target: NodeID, count: Int) -> [UInt16] {
        guard count > 0 else { return [] }
        let center = max(1, peer.logDistance(to: target))
        var distances: [UInt16] = [UInt16(center)]
        distances.reserveCapacity(count)
        var below = center - 1
        while distances.count < count, below >= 1, center - below <= count / 3 {
            distances.append(UInt16(below))
            below -= 1
        }
        var above = center + 1
        while distances.count < count, above <= 256 {
            distances.append(UInt16(above))
            above += 1
        }
        while distances.count < count, below >= 1 {
            distances.append(UInt16(below))
            below -= 1
        }
        return distances
    }

    // MARK: External address

    private mutating func handleAddressVote(_ pong: Pong, from voter: NodeID, now: Duration) -> [DiscoveryAction] {
        votes.record(Endpoint(ip: pong.recipientIP, port: pong.recipientPort), from: voter, now: now)
        guard let winner = votes.winner(minimumVotes: config.minimumAddressVotes, now: now),
              winner != localRecord.udpEndpoint
        else { return [] }
        let updated: NodeRecord
        do throws(ENRError) {
            updated = try localRecord.updated(signingWith: localKey) { builder throws(ENRError) in
                if winner.ip.count == 4 {
                    try builder.setIP(winner.ip)
                    builder.setUDP(winner.port)
                } else {
                    try builder.setIP6(winner.ip)
                    builder.setUDP6(winner.port)
                }
            }
        } catch {
            return []
        }
        adopt(updated)
        return [.localRecordUpdated(updated)]
    }

    // MARK: Helpers

    /// Makes `record` the local one: sessions announce it, and advertisers forget the
    /// exclusions that the old one may have caused.
    private mutating func adopt(_ record: NodeRecord) {
        session.updateLocalRecord(record)
        for topic in advertisers.keys { advertisers[topic]?.localRecordChanged() }
    }

    private func newRequestID(_ random: inout some RandomNumberGenerator) -> RequestID {
        while true {
            let id = RequestID(random.next())
            if outstanding[id] == nil { return id }
        }
    }

    static func randomNodeID(_ random: inout some RandomNumberGenerator) -> NodeID {
        NodeID(uncheckedBytes: SessionHandler.randomBytes(NodeID.byteCount, &random))
    }
}

/// A record with its node id computed once.
struct IdentifiedRecord: Sendable {
    var record: NodeRecord
    var nodeID: NodeID
}

extension DiscoveryNode.Purpose {
    var isRecordFetch: Bool {
        if case .recordFetch = self { return true }
        return false
    }
}
