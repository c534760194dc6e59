import AztecHTTP
import AztecP2P
import DiscV5
import DiscV5NIO
import ENR
import Foundation
import GossipSub
import GossipSubHost
import LibP2P
import LibP2PCore
import Logging
import NIOCore
import NIOPosix
import P2PCrypto

/// An Aztec P2P node: the one object an embedding Swift node creates.
///
/// It wires a libp2p `P2PHost` (TCP, Noise, yamux/mplex, identify, ping), a `GossipSubHost`
/// running the transaction topic over every connection of that host (inbound and outbound), a
/// discv5 `DiscoveryService` whose Aztec peers (matching `aztec` and `eth` chain ids) are dialed
/// up to ``AztecNodeConfiguration/targetPeerCount``, an `AztecTxService` that validates every
/// message of the topic (its verdict goes back to the router, so a rejected message penalises the
/// forwarding peer through P4), and optionally the JSON-RPC server.
///
/// Lifecycle: ``init(configuration:state:proofVerifier:group:logger:)``, ``start()``,
/// ``syncStatusChanged(synced:)`` when the chain state is synced (the topic is joined only then),
/// ``blockPublished(_:)`` for each block, ``stop()``.
public actor AztecNode {
    enum Phase { case idle, running, stopped }

    /// The validated configuration.
    public nonisolated let configuration: AztecNodeConfiguration
    /// The libp2p peer id (from the secp256k1 key, as in the ENR).
    public nonisolated let peerID: PeerID
    /// The transaction service (validation, pool, journal).
    public nonisolated let transactions: AztecTxService
    /// Every transaction newly admitted to the pool, from gossip or from ``submit(ssz:)``.
    public nonisolated var receivedTransactions: AsyncStream<ValidatedTransaction> { transactions.receivedTransactions }
    /// The libp2p host.
    public nonisolated let host: P2PHost
    /// The GossipSub router host.
    public nonisolated let gossip: GossipSubHost
    /// The data directory, if configured.
    public nonisolated let dataDirectory: NodeDataDirectory?

    private nonisolated let key: Secp256k1.PrivateKey
    private nonisolated let port: GossipSubTxPort
    private nonisolated let group: any EventLoopGroup
    private nonisolated let logger: Logger
    private nonisolated let dialFilter: AztecPeerFilter
    private(set) var phase = Phase.idle
    private var discovery: DiscoveryService?
    /// The Aztec advertisers the last topic search found (dial candidates beside the table's).
    private var topicAdvertisers: [DiscoveredPeer] = []
    private var topicSearchRunning = false
    private var rpc: JSONRPCHTTPServer?
    private var metricsServer: MetricsHTTPServer?
    private var tasks: [Task<Void, Never>] = []
    private var boundAddress: Multiaddr?
    /// Which peers to dial and when to look up more (the sans-IO policy the simulator runs too).
    private var dialPlanner: PeerDialPlanner<PeerID>
    /// The configured static peers' ids, never dropped for the mesh's sake.
    private let staticPeerIDs: Set<PeerID>
    /// The planner's clock: time since the node was made.
    private let clockOrigin = ContinuousClock.now
    private var bans: PeerBanList<PeerID>
    private var metrics: NodeMetrics

    /// Builds the node (nothing listens before ``start()``).
    ///
    /// - Parameters:
    ///   - configuration: every setting of the node; validated here.
    ///   - state: the chain state asked about nullifiers.
    ///   - proofVerifier: verifies private kernel proofs.
    ///   - group: the event loops of the TCP, UDP and HTTP channels.
    ///   - logger: where the node logs peers, bans, journal events and failures.
    public init(configuration: AztecNodeConfiguration, state: any TxStateProvider, proofVerifier: any TxProofVerifier,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "aztec.node")) throws {
        let configuration = try configuration.validated()
        let directory = try configuration.dataDirectory.map { path throws(AztecNodeError) in try NodeDataDirectory(path: path) }
        var rng = SystemRandomNumberGenerator()
        let key: Secp256k1.PrivateKey
        if let configured = configuration.privateKey {
            key = configured
        } else if let directory {
            key = try directory.loadOrCreateKey()
        } else {
            key = Secp256k1.PrivateKey.generate(using: &rng)
        }
        let libp2pKey = PrivateKey(secp256k1: key)

        var score = configuration.peerScore
        score.topics[configuration.topic.description] = configuration.topicScore
        let metrics = NodeMetrics(registry: configuration.metricsRegistry)
        var hostConfiguration = configuration.gossipHost
        hostConfiguration.metricsFactory = hostConfiguration.metricsFactory ?? metrics.factory
        // One libp2p host (transport, Noise, identify, ping); GossipSub is a protocol attached to it.
        let host = try P2PHost(
            identity: try LibP2PIdentity(privateKey: libp2pKey, using: &rng), configuration: configuration.host,
            group: group, logger: logger)
        let router = GossipSubRouter<PeerID>(
            config: try GossipSubConfig(validating: configuration.gossip), seed: configuration.routerSeed ?? rng.next(),
            scoring: try PeerScore<PeerID>(parameters: score, thresholds: configuration.scoreThresholds))
        // The node hands connections over itself (`connected(_:)`) and GossipSub admits no banned peer.
        let gossip = try GossipSubHost(
            attachingTo: host, router: router, configuration: hostConfiguration, everyConnection: false, logger: logger)
        let port = GossipSubTxPort(gossip: gossip, host: host)
        do {
            self.transactions = try AztecTxService(
                config: configuration.txServiceConfig, state: state, proofVerifier: proofVerifier, gossip: port, peers: port,
                journalPath: directory?.journalPath, journalEvents: Self.journalLogger(logger), clock: AztecNode.wallClock)
        } catch let error as TxPoolJournal.JournalError {
            logger.critical("cannot open the transaction pool journal", metadata: ["error": "\(error)"])
            throw AztecNodeError.dataDirectory("\(error)")
        }
        self.configuration = configuration
        self.peerID = libp2pKey.peerID
        self.host = host
        self.gossip = gossip
        self.dataDirectory = directory
        self.key = key
        self.port = port
        self.group = group
        self.logger = logger
        self.metrics = metrics
        self.bans = PeerBanList(duration: configuration.banDuration, capacity: configuration.maximumBannedPeers)
        self.dialFilter = AztecPeerFilter(aztecChainID: configuration.aztecChainID, ethereumChainID: configuration.ethereumChainID)
        self.dialPlanner = PeerDialPlanner(settings: configuration.dialSettings)
        self.staticPeerIDs = Set(configuration.staticPeers.compactMap(\.peerID))
    }

    /// Writes what the pool journal reports to `logger`: damage and failed writes as errors.
    static func journalLogger(_ logger: Logger) -> @Sendable (TxPoolJournalEvent) -> Void {
        { event in
            let message = Logger.Message(stringLiteral: event.description)
            switch event {
            case .opened(let recovery) where recovery.isDamaged || recovery.rewriteError != nil:
                logger.error(message)
            case .opened(let recovery) where recovery.format == .legacy || recovery.tornTailBytes > 0:
                logger.notice(message)
            case .opened:
                logger.info(message)
            case .writeFailed, .compactionFailed:
                logger.error(message)
            case .damagedFileKeptAside:
                logger.warning(message)
            }
        }
    }

    /// Time since the Unix epoch.
    static let wallClock: @Sendable () -> Duration = {
        let seconds = Date().timeIntervalSince1970
        return .nanoseconds(Int64(seconds * 1e9))
    }

    // MARK: Lifecycle

    /// Starts the GossipSub host, listens on TCP, starts discv5 (announcing the TCP port and the
    /// chain ids in the ENR, seeded with the saved ENRs), the JSON-RPC server and the periodic tasks.
    public func start() async throws {
        guard phase == .idle else { throw AztecNodeError.alreadyStarted }
        phase = .running
        let c = configuration
        // A banned peer gets no GossipSub session, also when it opens a pubsub stream itself.
        await gossip.admitPeers { [weak self] peer in await self?.admits(peer) ?? false }
        await gossip.start()
        let service = transactions
        await gossip.setValidator(topic: c.topic.description) { message, _ in
            await service.handleGossip(message.data).gossipResult
        }
        let events = host.events
        tasks.append(Task { [weak self] in
            for await event in events {
                if case .connected(let connection) = event { await self?.connected(connection) }
            }
        })
        // Each step names the address it failed on ("Address already in use" alone does not say which).
        func step<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
            do { return try await body() } catch { throw AztecNodeError.startFailed("\(what): \(error)") }
        }
        do {
            let listen = try Multiaddr("/ip4/\(c.listenHost)/tcp/\(c.tcpPort)")
            boundAddress = try await step("cannot listen on TCP \(c.listenHost):\(c.tcpPort)") { try await host.listen(listen) }
            if c.discoveryEnabled {
                try await step("cannot start discovery on UDP \(c.listenHost):\(c.udpPort)") { try await startDiscovery() }
            }
            if let rpcHost = c.rpcHost {
                rpc = try await JSONRPCHTTPServer.start(
                    host: rpcHost, port: c.rpcPort, handler: JSONRPCHandler(backend: NodeRPCBackend(node: self)),
                    limits: c.httpLimits, group: group)
            }
            if let metricsHost = c.metricsHost {
                metricsServer = try await MetricsHTTPServer.start(host: metricsHost, port: c.metricsPort, limits: c.httpLimits,
                                                                group: group) { [weak self] in
                    await self?.metricsText() ?? []
                }
            }
        } catch let error as AztecNodeError {
            await stop()
            throw error
        } catch {
            await stop()
            throw AztecNodeError.startFailed("\(error)")
        }
        if c.startSynced { await transactions.syncStatusChanged(synced: true) }
        tasks.append(Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: c.dialInterval)
                guard let self, !Task.isCancelled else { return }
                await self.maintainPeers()
            }
        })
        tasks.append(Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: c.tickInterval)
                guard let self, !Task.isCancelled else { return }
                await self.housekeeping()
            }
        })
        await maintainPeers()
    }

    private func startDiscovery() async throws {
        let c = configuration
        var template = NodeRecordBuilder(sequenceNumber: UInt64(max(1, Date().timeIntervalSince1970 * 1000)))
        template.setTCP(UInt16(tcpPort ?? 0))
        template.setAztecChainID(c.aztecChainID)
        template.setEthereumChainID(c.ethereumChainID)
        let saved = dataDirectory?.loadKnownNodes() ?? []
        let service = try await DiscoveryService.start(
            key: key, template: template, config: c.discovery, host: c.listenHost, port: c.udpPort,
            announceIP: IPv4Address(c.announcedHost)?.bytes, seeds: saved, group: group)
        discovery = service
        if c.topicDiscoveryEnabled { await service.advertise(c.discoveryTopic) }
        let logger = self.logger
        let banSeconds = c.discovery.banDuration.components.seconds
        tasks.append(Task {
            // One line per ban (the core reports each once; `aztec_discovery_bans_total` counts them).
            for await ban in service.bans {
                logger.warning("discovery banned a node", metadata: [
                    "node": "\(ban.nodeID)", "endpoint": "\(ban.endpoint)", "reason": "\(ban.reason)",
                    "offences": "\(ban.offences)", "seconds": "\(banSeconds)",
                ])
            }
        })
    }

    /// Saves the known ENRs, flushes the pool journal, and closes the server, discovery and every connection.
    public func stop() async {
        guard phase != .stopped else { return }
        phase = .stopped
        for task in tasks { task.cancel() }
        tasks = []
        await rpc?.stop()
        rpc = nil
        await metricsServer?.stop()
        metricsServer = nil
        await saveKnownNodes()
        await transactions.shutdown()
        await discovery?.stop()
        discovery = nil
        await port.stop()
        await gossip.stop()
        await host.close()
    }

    // MARK: Chain events and transactions

    /// The state provider's sync report: the node joins the transaction topic once synced, and
    /// leaves it when it falls behind.
    public func syncStatusChanged(synced: Bool) async { await transactions.syncStatusChanged(synced: synced) }

    /// A published block: its transactions and those spending its nullifiers leave the pool.
    @discardableResult
    public func blockPublished(_ block: BlockReport) async -> [TxPool.Removal] { await transactions.blockPublished(block) }

    /// Validates, pools and gossips a transaction given as SSZ bytes.
    public func submit(ssz: [UInt8]) async throws(TxSubmitError) -> TxHash { try await transactions.submit(ssz: ssz) }

    // MARK: Queries

    /// The TCP listen address with `/p2p/<peer id>` (after ``start()``).
    public var listenAddress: Multiaddr? { boundAddress }
    /// The bound TCP port (after ``start()``).
    public var tcpPort: Int? {
        boundAddress?.components.lazy.compactMap { if case .tcp(let p) = $0 { Int(p) } else { nil } }.first
    }
    /// The node's current ENR (after ``start()`` with discovery).
    public var localRecord: NodeRecord? { get async { await discovery?.localRecord } }
    /// The port of the JSON-RPC server, if running.
    public var rpcPort: Int? { rpc?.port }
    /// The port of the metrics endpoint, if running.
    public var metricsPort: Int? { metricsServer?.port }

    /// What `GET /metrics` serves, in Prometheus text: the transaction service's counters, the
    /// node's peer gauges, the libp2p inbound refusals, the discovery counters and the GossipSub
    /// host's metrics, all from ``AztecNodeConfiguration/metricsRegistry``.
    public func metricsText() async -> [UInt8] {
        let refusals = host.transport.inboundRefusals
        let pool = await transactions.poolStats
        let snapshot = NodeMetrics.Snapshot(
            service: await transactions.metrics, poolTransactions: pool.count, poolBytes: pool.bytes,
            synced: await transactions.isSynced,
            journalFailures: await transactions.journalFailureCount,
            peers: await gossip.connectedPeers().count, topicPeers: await topicPeers().count,
            bannedPeers: bans.active(now: sinceOrigin).count, discoveredPeers: await discoveredPeerCount(),
            refusals: refusals, discovery: await discovery?.statistics ?? DiscoveryNode.Statistics(),
            adsPlaced: await discovery?.advertisementStatus(of: configuration.discoveryTopic)?.placed ?? 0,
            advertisersKnown: topicAdvertisers.count)
        return metrics.render(snapshot)
    }
    /// The connected GossipSub peers with their addresses, scores and directions.
    public func peers() async -> [PeerSummary] { await port.peers() }
    /// The current score of every connected peer.
    public func peerScores() async -> [PeerID: Double] { await gossip.peerScores() }
    /// Connected peers subscribed to the transaction topic.
    public func topicPeers() async -> [PeerID] { await gossip.topicPeers(configuration.topic.description) }
    /// A pooled transaction.
    public func transaction(_ hash: TxHash) async -> TxPool.Entry? { await transactions.transaction(hash) }
    /// Pooled transactions by fee, after `cursor`.
    public func pendingTransactions(after cursor: TxPool.Cursor? = nil, limit: Int = 100) async -> [TxPool.Entry] {
        await transactions.pendingTransactions(after: cursor, limit: limit)
    }
    /// Pool counts and bytes.
    public var poolStats: TxPool.Stats { get async { await transactions.poolStats } }

    /// Peers discovery reports (passing the chain-id filter).
    public func discoveredPeerCount() async -> Int { await discovery?.peers.count ?? 0 }

    /// The discv5 routing table's records (what ``stop()`` saves to the data directory).
    public func knownRecords() async -> [NodeRecord] { await discovery?.knownRecords ?? [] }

    // MARK: Peer maintenance

    /// Whether `peer` may have a GossipSub session: not banned.
    private func admits(_ peer: PeerID) -> Bool { !bans.isBanned(peer, now: sinceOrigin) }

    /// A new connection, inbound or outbound: handed to GossipSub unless its peer is banned.
    private func connected(_ connection: P2PConnection) {
        if let peer = connection.remotePeer, bans.isBanned(peer, now: sinceOrigin) {
            logger.debug("refused a banned peer", metadata: ["peer": "\(peer)"])
            Task { await connection.close() }
            return
        }
        Task { [gossip] in _ = try? await gossip.add(connection) }
    }

    /// Disconnects and bans the peers whose score fell below the ban threshold, and bans those
    /// that left before their score fell (the verdict on what they sent came later).
    private func banMisbehavingPeers() async {
        let threshold = configuration.banScoreThreshold ?? configuration.scoreThresholds.graylistThreshold
        let gone = await gossip.disconnectedPeerScores(below: threshold)
        let scores = await gossip.peerScores().merging(gone) { connected, _ in connected }
        let now = sinceOrigin
        bans.expire(now: now)
        for peer in bans.banPeers(scoredBelow: threshold, scores.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, now: now) {
            logger.warning("banned a peer", metadata: ["peer": "\(peer)", "score": "\(scores[peer] ?? 0)"])
            await host.connection(to: peer)?.close()
        }
    }

    /// Time since ``clockOrigin``: the clock of the sans-IO policies (dial planner, bans).
    private var sinceOrigin: Duration { ContinuousClock.now - clockOrigin }

    /// The peers refused at present: their score fell below the ban threshold less than
    /// ``AztecNodeConfiguration/banDuration`` ago.
    public func bannedPeers() -> [PeerBan] {
        bans.active(now: sinceOrigin).map {
            PeerBan(peer: $0.peer, score: $0.score, since: clockOrigin + $0.since, until: clockOrigin + $0.until)
        }
    }

    private func maintainPeers() async {
        guard phase == .running else { return }
        await banMisbehavingPeers()
        let now = sinceOrigin
        let connected = Set(await gossip.connectedPeers())
        let meshShortfall = configuration.gossip.dLow - (await gossip.meshPeers(configuration.topic.description).count)
        let outbound = await gossip.outboundPeerCount()
        // Static peers stay whatever their backoff: the operator chose them.
        let replaceable = meshShortfall > 0
            ? await gossip.backedOffSubscribers(configuration.topic.description).filter { !staticPeerIDs.contains($0) } : []
        guard dialPlanner.wantsCandidates(connected: connected.count, outbound: outbound, meshShortfall: meshShortfall,
                                          replaceable: replaceable.count, now: now)
        else { return }
        var staticPeers: [PeerID] = []
        var addresses: [PeerID: Multiaddr] = [:]
        for address in configuration.staticPeers {
            guard let peer = address.peerID, !connected.contains(peer), peer != peerID, host.connection(to: peer) == nil,
                  !bans.isBanned(peer, now: now) else { continue }
            staticPeers.append(peer)
            addresses[peer] = address
        }
        var candidates: [PeerDialPlanner<PeerID>.Candidate] = []
        if let discovery {
            let (table, beyondTable) = await discovery.peerGroups
            var random = SystemRandomNumberGenerator()
            let advertisers = topicAdvertisers
            candidates = dialPlanner.orderedCandidates(
                table: table, distance: { $0.logDistance ?? 0 }, beyondTable: { advertisers + beyondTable }, using: &random
            ) {
                dialCandidate($0, connected: connected, addresses: &addresses, now: now)
            }
        }
        let plan = dialPlanner.plan(connected: connected.count, outbound: outbound, meshShortfall: meshShortfall, staticPeers: staticPeers,
                                    candidates: candidates, replaceable: replaceable, now: now)
        for peer in plan.disconnects {
            logger.info("replacing a peer that keeps the mesh short", metadata: ["peer": "\(peer)"])
            await host.connection(to: peer)?.close()
        }
        for peer in plan.dials {
            guard let address = addresses[peer] else { continue }
            Task { await self.dial(address, peer: peer) }
        }
        if plan.startLookup {
            guard let discovery else { return dialPlanner.lookupFinished() }
            Task {
                _ = await discovery.randomLookup()
                self.lookupFinished()
            }
            if configuration.topicDiscoveryEnabled, !topicSearchRunning {
                topicSearchRunning = true
                let topic = configuration.discoveryTopic
                Task {
                    let found = await discovery.searchTopic(topic)
                    self.topicSearchFinished(found)
                }
            }
        }
    }

    /// The candidate for a discovered peer if the node may dial it (not itself, not connected, not
    /// banned, passing the dial filter, with an address), noting its address.
    private func dialCandidate(_ peer: DiscoveredPeer, connected: Set<PeerID>, addresses: inout [PeerID: Multiaddr],
                               now: Duration) -> PeerDialPlanner<PeerID>.Candidate? {
        guard peer.peerID != peerID, !connected.contains(peer.peerID), !bans.isBanned(peer.peerID, now: now) else { return nil }
        if let connection = host.connection(to: peer.peerID) {
            // A connection GossipSub has no session on (its add raced with a replaced
            // duplicate): hand it over again (a no-op when a session exists).
            if connection.isActive { Task { [gossip] in _ = try? await gossip.add(connection) } }
            return nil
        }
        guard dialFilter.shouldDial(peer.record), let address = peer.multiaddrs.first else { return nil }
        if addresses[peer.peerID] == nil { addresses[peer.peerID] = address }
        // The smaller peer id (multihash bytes, as ConnectionTieBreak orders them) dials first.
        return .init(peer: peer.peerID, dialsFirst: !peer.peerID.multihashBytes.lexicographicallyPrecedes(peerID.multihashBytes))
    }

    private func lookupFinished() { dialPlanner.lookupFinished() }

    /// Keeps the Aztec advertisers a topic search found (the filter's, not this node) as dial candidates.
    private func topicSearchFinished(_ records: [NodeRecord]) {
        topicSearchRunning = false
        let filter = configuration.discovery.filter
        topicAdvertisers = records.filter { filter.admits($0) }.map { DiscoveredPeer(record: $0) }.filter { $0.peerID != peerID }
    }

    private func dial(_ address: Multiaddr, peer: PeerID) async {
        var connected = false
        do {
            let connection = try await host.dial(address, timeout: .seconds(5))
            // The host's `.connected` event hands new connections to GossipSub; adding again is a no-op.
            _ = try? await gossip.add(connection)
            connected = true
        } catch {
            logger.debug("dial failed", metadata: ["address": "\(address)", "error": "\(error)"])
        }
        dialPlanner.dialFinished(peer, connected: connected, now: sinceOrigin)
    }

    private func housekeeping() async {
        guard phase == .running else { return }
        await transactions.tick()
        await saveKnownNodes()
    }

    private func saveKnownNodes() async {
        guard let dataDirectory, let discovery else { return }
        let records = await discovery.knownRecords
        guard !records.isEmpty else { return }
        do { try dataDirectory.saveKnownNodes(records) } catch {
            logger.warning("cannot save known ENRs", metadata: ["error": "\(error)"])
        }
    }
}
