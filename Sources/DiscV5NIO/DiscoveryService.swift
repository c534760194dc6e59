import DiscV5
import ENR
import NIOCore
import NIOPosix
import P2PCrypto

/// Discovery v5 over UDP: a `DiscoveryNode` behind a SwiftNIO datagram channel, with an
/// async API. All protocol logic stays in the sans-IO core; this actor only moves datagrams,
/// keeps time and resumes the callers' continuations.
public actor DiscoveryService {
    private var node: DiscoveryNode
    private var random = SystemRandomNumberGenerator()
    private let origin = ContinuousClock.now
    private let channel: Channel
    private var lookupWaiters: [LookupID: CheckedContinuation<[NodeRecord], Never>] = [:]
    private var requestWaiters: [RequestID: CheckedContinuation<DiscoveryAction, Never>] = [:]
    private var tasks: [Task<Void, Never>] = []
    /// The one sleep armed for the core's next deadline, the deadline it wakes at, and its
    /// generation (a timer that was replaced but woke anyway is ignored).
    private var timer: Task<Void, Never>?
    private var timerDeadline: Duration?
    private var timerGeneration = 0
    /// How many times the service woke for the core's deadline: a service with nothing due
    /// sleeps, so this grows with the work the core schedules, not with time.
    public private(set) var timerWakeCount = 0
    private let peersContinuation: AsyncStream<DiscoveredPeer>.Continuation
    private let recordsContinuation: AsyncStream<NodeRecord>.Continuation
    private let bansContinuation: AsyncStream<DiscoveryBan>.Continuation
    /// Peers entering the routing table that pass the configured `PeerFilter`.
    public nonisolated let discoveredPeers: AsyncStream<DiscoveredPeer>
    /// The local record each time it changes (external address votes, ``updateLocalRecord(_:)``).
    public nonisolated let localRecordUpdates: AsyncStream<NodeRecord>
    /// Each node the core bans, once per ban (the newest 64 are kept if nobody reads them): the
    /// owner logs them; ``statistics`` counts them.
    public nonisolated let bans: AsyncStream<DiscoveryBan>
    /// The UDP endpoint the service is bound to.
    public nonisolated let boundEndpoint: Endpoint

    /// Binds UDP `host`:`port` (0: any free port) and starts serving. The local record is
    /// `template` with `ip` and `udp` set to the bound address (`announceIP` replaces the
    /// address, e.g. for a wildcard bind), and `ng` when `config` makes the node a topic
    /// registrar, signed with `key`.
    ///
    /// The socket is bound exclusively (no `SO_REUSEADDR`): a port another socket holds fails
    /// with ``DiscoveryServiceError/bindFailed(host:port:reason:)`` instead of two processes
    /// sharing it and one of them never hearing its datagrams.
    public static func start(
        key: Secp256k1.PrivateKey, template: NodeRecordBuilder = NodeRecordBuilder(), config: DiscoveryConfig = DiscoveryConfig(),
        host: String, port: Int, announceIP: [UInt8]? = nil, seeds: [NodeRecord] = [],
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> DiscoveryService {
        let (datagrams, datagramsContinuation) = AsyncStream.makeStream(of: Datagram.self, bufferingPolicy: .bufferingNewest(4_096))
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramInboundHandler(continuation: datagramsContinuation))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            datagramsContinuation.finish()
            throw DiscoveryServiceError.bindFailed(host: host, port: port, reason: "\(error)")
        }
        do {
            guard let local = channel.localAddress, let bound = Endpoint(local) else { throw DiscoveryServiceError.unsupportedAddress }
            let announced = Endpoint(ip: announceIP ?? bound.ip, port: bound.port)
            var builder = template
            if config.topicRegistrar != nil { builder.setTopicDiscoveryVersion(TopicDiscovery.version) }
            if announced.ip.count == 4 {
                try builder.setIP(announced.ip)
                builder.setUDP(announced.port)
            } else {
                try builder.setIP6(announced.ip)
                builder.setUDP6(announced.port)
            }
            let record = try builder.signed(with: key)
            var node = try DiscoveryNode(key: key, record: record, config: config)
            node.addSeeds(seeds)
            let service = DiscoveryService(node: node, channel: channel, bound: bound)
            await service.run(datagrams)
            return service
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private init(node: DiscoveryNode, channel: Channel, bound: Endpoint) {
        self.node = node
        self.channel = channel
        self.boundEndpoint = bound
        (discoveredPeers, peersContinuation) = AsyncStream.makeStream(of: DiscoveredPeer.self, bufferingPolicy: .bufferingNewest(1_024))
        (localRecordUpdates, recordsContinuation) = AsyncStream.makeStream(of: NodeRecord.self, bufferingPolicy: .bufferingNewest(16))
        (bans, bansContinuation) = AsyncStream.makeStream(of: DiscoveryBan.self, bufferingPolicy: .bufferingNewest(64))
    }

    private func run(_ datagrams: AsyncStream<Datagram>) {
        tasks.append(Task { [weak self] in
            for await datagram in datagrams {
                guard let self else { return }
                await self.receive(datagram)
            }
        })
        let actions = node.start(now: now, using: &random)
        perform(actions)
    }

    /// Stops serving and closes the socket; pending requests fail.
    public func stop() async {
        for task in tasks { task.cancel() }
        tasks = []
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        timerGeneration += 1
        try? await channel.close()
        for (_, waiter) in lookupWaiters { waiter.resume(returning: []) }
        lookupWaiters = [:]
        for (id, waiter) in requestWaiters { waiter.resume(returning: .requestFailed(id, .timeout)) }
        requestWaiters = [:]
        peersContinuation.finish()
        recordsContinuation.finish()
        bansContinuation.finish()
    }

    // MARK: State

    /// The current local record.
    public var localRecord: NodeRecord { node.localRecord }
    /// The routing table's records (to save in a known-nodes file).
    public var knownRecords: [NodeRecord] { node.knownRecords }
    /// The peers passing the filter: the table's, then the nodes it had no room for.
    public var peers: [DiscoveredPeer] { node.peers }
    /// The table's peers passing the filter (`DiscoveryNode.tablePeers`), and the nodes this one
    /// talked to that the table had no room for (`DiscoveryNode.lookupPeers`): dial the table's first.
    public var peerGroups: (table: [DiscoveredPeer], lookups: [DiscoveredPeer]) {
        (node.tablePeers, node.lookupPeers.map { DiscoveredPeer(record: $0.record) })
    }
    /// Counters of the core.
    public var statistics: DiscoveryNode.Statistics { node.statistics }
    /// Number of sessions held.
    public var sessionCount: Int { node.session.sessions.count }
    /// Number of routing-table entries.
    public var tableCount: Int { node.table.count }
    /// Whether `node` is banned now.
    public func isBanned(_ node: NodeID) -> Bool { self.node.isBanned(node, now: now) }

    /// Answers TALKREQ for `protocolName` with `handler`.
    public func registerTalkProtocol(_ protocolName: [UInt8], handler: @escaping TalkHandler) {
        node.registerTalkProtocol(protocolName, handler: handler)
    }

    /// Changes the local record (sequence number incremented, re-signed).
    @discardableResult
    public func updateLocalRecord(_ change: (inout NodeRecordBuilder) throws(ENRError) -> Void) throws(ENRError) -> NodeRecord {
        let record = try node.updateLocalRecord(change)
        recordsContinuation.yield(record)
        return record
    }

    // MARK: Requests

    /// The closest nodes to `target` found by an iterative lookup (empty if too many lookups run).
    public func lookup(_ target: NodeID) async -> [NodeRecord] {
        let (id, actions) = node.lookup(target, now: now, using: &random)
        guard let id else { return [] }
        return await withCheckedContinuation { continuation in
            lookupWaiters[id] = continuation
            perform(actions)
        }
    }

    /// A lookup for a random target (a crawl step).
    public func randomLookup() async -> [NodeRecord] {
        var bytes: [UInt8] = []
        for _ in 0..<4 { withUnsafeBytes(of: random.next()) { bytes += $0 } }
        guard let target = NodeID(bytes: bytes) else { return [] }
        return await lookup(target)
    }

    /// PINGs the node of `record`.
    public func ping(_ record: NodeRecord) async throws(DiscoveryServiceError) -> Pong {
        let (id, actions) = node.ping(record, now: now, using: &random)
        switch await wait(id, actions) {
        case .pong(_, let pong, _): return pong
        case .requestFailed(_, let failure): throw .requestFailed(failure)
        default: throw .requestFailed(.timeout)
        }
    }

    /// Asks the node of `record` for the records at `distances`.
    public func findNode(_ record: NodeRecord, distances: [UInt16]) async throws(DiscoveryServiceError) -> [NodeRecord] {
        let (id, actions) = node.findNode(record, distances: distances, now: now, using: &random)
        switch await wait(id, actions) {
        case .nodes(_, let records, _): return records
        case .requestFailed(_, let failure): throw .requestFailed(failure)
        default: throw .requestFailed(.timeout)
        }
    }

    /// Sends TALKREQ to the node of `record` and returns its TALKRESP payload.
    public func talk(_ record: NodeRecord, protocolName: [UInt8], request: [UInt8]) async throws(DiscoveryServiceError) -> [UInt8] {
        let (id, actions) = node.talk(record, protocolName: protocolName, request: request, now: now, using: &random)
        switch await wait(id, actions) {
        case .talkResponse(_, let payload, _): return payload
        case .requestFailed(_, let failure): throw .requestFailed(failure)
        default: throw .requestFailed(.timeout)
        }
    }

    /// Asks the registrar of `record` to admit this node's advertisement for `topic`, presenting
    /// the latest `ticket` it issued (empty at first). The answer says admitted (empty ticket,
    /// `waitTime` the lifetime in ms) or when to try again with its ticket.
    public func registerTopic(
        _ topic: TopicID, at record: NodeRecord, ticket: [UInt8] = []
    ) async throws(DiscoveryServiceError) -> RegisterConfirmation {
        let (id, actions) = node.registerTopic(topic, at: record, ticket: ticket, now: now, using: &random)
        switch await wait(id, actions) {
        case .topicRegistration(_, let confirmation, _): return confirmation
        case .requestFailed(_, let failure): throw .requestFailed(failure)
        default: throw .requestFailed(.timeout)
        }
    }

    /// The distinct advertisers of `topic` found at the registrars this node knows, asked bucket
    /// by bucket (`TopicSearch`; empty if too many lookups run).
    public func searchTopic(_ topic: TopicID, settings: TopicSearch.Settings = TopicSearch.Settings()) async -> [NodeRecord] {
        let (id, actions) = node.searchTopic(topic, settings: settings, now: now, using: &random)
        guard let id else { return [] }
        return await withCheckedContinuation { continuation in
            lookupWaiters[id] = continuation
            perform(actions)
        }
    }

    /// Starts advertising `topic` at registrars of the network, renewing until
    /// ``stopAdvertising(_:)`` (`DiscoveryNode.advertiseTopic`); `false` when too many topics are
    /// advertised already.
    @discardableResult
    public func advertise(_ topic: TopicID, settings: TopicAdvertiser.Settings = TopicAdvertiser.Settings()) -> Bool {
        let (started, actions) = node.advertiseTopic(topic, settings: settings, now: now, using: &random)
        perform(actions)
        return started
    }

    /// Stops advertising `topic` (placed advertisements expire at their registrars).
    public func stopAdvertising(_ topic: TopicID) { node.stopAdvertising(topic) }

    /// How the advertisements of `topic` stand; `nil` when it is not advertised.
    public func advertisementStatus(of topic: TopicID) -> TopicAdvertiser.Status? {
        node.advertisementStatus(of: topic, now: now)
    }

    /// The advertisers of `topic`, each once, as searches find them: a search at once, then one
    /// every `interval` until the consumer stops iterating (at most `limit` distinct records).
    public nonisolated func search(
        _ topic: TopicID, every interval: Duration = .seconds(30), limit: Int = 4_096,
        settings: TopicSearch.Settings = TopicSearch.Settings()
    ) -> AsyncStream<NodeRecord> {
        AsyncStream(bufferingPolicy: .bufferingNewest(limit)) { continuation in
            let task = Task { [weak self] in
                var seen: Set<NodeID> = []
                while !Task.isCancelled, let self {
                    for record in await self.searchTopic(topic, settings: settings) where seen.count < limit {
                        if seen.insert(record.discoveryNodeID).inserted { continuation.yield(record) }
                    }
                    try? await Task.sleep(for: interval)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The advertisers of `topic` the registrar of `record` holds.
    public func queryTopic(_ topic: TopicID, at record: NodeRecord) async throws(DiscoveryServiceError) -> [NodeRecord] {
        let (id, actions) = node.queryTopic(topic, at: record, now: now, using: &random)
        switch await wait(id, actions) {
        case .topicNodes(_, let records, _): return records
        case .requestFailed(_, let failure): throw .requestFailed(failure)
        default: throw .requestFailed(.timeout)
        }
    }

    private func wait(_ id: RequestID, _ actions: [DiscoveryAction]) async -> DiscoveryAction {
        await withCheckedContinuation { continuation in
            requestWaiters[id] = continuation
            perform(actions)
        }
    }

    // MARK: Driving the core

    private var now: Duration { ContinuousClock.now - origin }

    private func receive(_ datagram: Datagram) {
        let actions = node.handlePacket(datagram.bytes, from: datagram.source, now: now, using: &random)
        perform(actions)
    }

    /// The timer of `generation` woke: runs what is due, then arms the next sleep.
    private func timerFired(_ generation: Int) {
        guard generation == timerGeneration else { return }
        timerWakeCount += 1
        timer = nil
        timerDeadline = nil
        if let deadline = node.nextDeadline, deadline <= now {
            perform(node.handleTimeout(now: now, using: &random))
        } else {
            armTimer()
        }
    }

    /// Sleeps until the core's next deadline: one timer, replaced only when the deadline moved
    /// earlier. A later or vanished deadline keeps the armed timer, whose early wake finds
    /// nothing due and re-arms. Called after every call into the core.
    private func armTimer() {
        guard !tasks.isEmpty, let deadline = node.nextDeadline else { return }
        if timer != nil, let armed = timerDeadline, armed <= deadline { return }
        timer?.cancel()
        timerGeneration += 1
        timerDeadline = deadline
        let generation = timerGeneration
        // At least a millisecond: a core whose deadline stayed in the past would otherwise spin.
        let delay = max(deadline - now, .milliseconds(1))
        timer = Task { [weak self] in
            do { try await Task.sleep(for: delay) } catch { return }
            await self?.timerFired(generation)
        }
    }

    private func perform(_ actions: [DiscoveryAction]) {
        defer { armTimer() }
        for action in actions {
            switch action {
            case .send(let packet, let endpoint):
                guard let address = try? endpoint.socketAddress() else { continue }
                var buffer = channel.allocator.buffer(capacity: packet.count)
                buffer.writeBytes(packet)
                channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
            case .discovered(let peer):
                peersContinuation.yield(peer)
            case .lookupFinished(let id, let records), .topicSearchFinished(let id, let records):
                lookupWaiters.removeValue(forKey: id)?.resume(returning: records)
            case .pong(let id, _, _), .nodes(let id, _, _), .talkResponse(let id, _, _), .requestFailed(let id, _),
                 .topicRegistration(let id, _, _), .topicNodes(let id, _, _):
                requestWaiters.removeValue(forKey: id)?.resume(returning: action)
            case .localRecordUpdated(let record):
                recordsContinuation.yield(record)
            case .banned(let ban):
                bansContinuation.yield(ban)
            }
        }
    }
}
