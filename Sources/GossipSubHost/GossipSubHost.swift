import GossipSub
import LibP2P
import LibP2PCore
import Logging
import Metrics
import NIOCore

/// One gossipsub router driven over libp2p connections.
///
/// The actor owns the sans-IO `GossipSubRouter` and carries out its actions: one outbound
/// pubsub stream per peer (the first of ``GossipSubHostConfiguration/protocols`` the peer speaks)
/// fed from a bounded queue (`OutboundFrameQueue`, `OutboundQueuePolicy`); inbound streams read as length-prefixed RPC frames;
/// a heartbeat task; asynchronous validators behind a bounded queue; subscriptions as
/// `AsyncStream`s; events and swift-metrics.
///
/// GossipSub is a protocol of a `P2PHost`: ``init(attachingTo:router:configuration:everyConnection:logger:)``
/// adds it to a host the application runs, and
/// ``make(identity:config:seed:scoring:configuration:muxers:group:logger:)`` builds a host of its own
/// for it. Lifecycle: ``start()``, then ``listen(host:port:)`` / ``dial(host:port:expectedPeer:)``;
/// ``stop()``.
public actor GossipSubHost {
    struct Session {
        let connection: P2PConnection
        /// This host's pubsub stream to the peer.
        let stream: P2PStream
        let queue: OutboundQueue
        let proto: GossipProtocol
        var writer: Task<Void, Never>?
        var dropsThisHeartbeat = 0
        /// The queue's expiries already counted in the stats.
        var expiredCounted = (frames: 0, bytes: 0)
    }

    /// The local peer id.
    public nonisolated let peerID: PeerID
    /// The libp2p host whose connections carry gossipsub.
    public nonisolated let p2pHost: P2PHost
    /// The host's transport (its protocol table includes the pubsub protocols).
    public nonisolated var transport: TCPTransport { p2pHost.transport }
    /// Whether ``start()`` runs gossipsub on every connection of ``p2pHost``.
    private let observesHost: Bool
    /// Whether the host was built for gossipsub alone (``make(identity:config:seed:scoring:configuration:muxers:group:logger:)``):
    /// then a dropped peer loses its connection and ``stop()`` closes the host.
    private let ownsHost: Bool
    /// Host events; buffered (newest kept) so a slow reader cannot stall the host.
    public nonisolated let events: AsyncStream<GossipSubHostEvent>

    let configuration: GossipSubHostConfiguration
    nonisolated let rpcLimits: RPCLimits
    let logger: Logger
    let clock = ContinuousClock()
    let origin: ContinuousClock.Instant
    var router: GossipSubRouter<PeerID>
    var metrics: HostMetrics
    var stats = GossipSubHostStats()

    let eventContinuation: AsyncStream<GossipSubHostEvent>.Continuation
    private let inboundStreams: AsyncStream<P2PStream>
    var sessions: [PeerID: Session] = [:]
    /// The session being opened to each peer (our outbound stream being negotiated): whoever
    /// else needs that peer's session (a second connection, an inbound stream) awaits it.
    private var opening: [PeerID: Task<Void, Never>] = [:]
    /// The connections whose close is watched (each once, however often it is added).
    private var watched: Set<ObjectIdentifier> = []
    /// Each peer's inbound pubsub stream being read: one per peer, as the spec has it; a newer
    /// one replaces (resets) the older.
    private var inbound: [PeerID: P2PStream] = [:]
    /// The newest connection added for each peer: when the session's connection closes while
    /// a newer one is open (a simultaneous dial resolved after the session opened), the
    /// session moves to it.
    private var newest: [PeerID: P2PConnection] = [:]
    /// Which peers may have a session (``admitPeers(_:)``); all when `nil`.
    private var admission: (@Sendable (PeerID) async -> Bool)?
    var subscribers: [String: [Int: AsyncStream<ReceivedMessage>.Continuation]] = [:]
    var nextSubscriberID = 0
    var validators: [String: GossipValidator] = [:]
    var validating = 0
    var receivedAt: [MessageID: ContinuousClock.Instant] = [:]
    var lastScores: [PeerID: Double] = [:]
    /// The router's own timer (``GossipSubRouter/nextDeadline``) and when it fires.
    var routerTimer: Task<Void, Never>?
    var routerTimerAt: Duration?
    private var tasks: [Task<Void, Never>] = []
    /// The host's call for each new connection (``start()`` with `everyConnection`), removed by ``stop()``.
    private var connectionObserver: ConnectionObservation.ID?
    var stopped = false

    /// GossipSub as a protocol of `host`, which may be running already: the pubsub protocols are
    /// registered on it, and from ``start()`` every connection the host keeps (present and
    /// future, after its tie-break) runs gossipsub. The host's identity signs under StrictSign
    /// when `router` is configured so; listening, dialing and closing stay the host's.
    ///
    /// - Parameters:
    ///   - host: the libp2p host whose connections carry gossipsub.
    ///   - router: the router, configured (message id, signature policy, scoring) and seeded.
    ///   - configuration: queues, limits and timers; validated here.
    ///   - everyConnection: `false` runs gossipsub only on the connections given to ``add(_:)``
    ///     and those a peer opens a pubsub stream on (for an application that admits peers itself).
    ///   - logger: where peer events are logged.
    public init(
        attachingTo host: P2PHost, router: GossipSubRouter<PeerID>,
        configuration: GossipSubHostConfiguration = GossipSubHostConfiguration(),
        everyConnection: Bool = true, logger: Logger = Logger(label: "gossipsub.host")
    ) throws {
        try self.init(attachingTo: host, router: router, configuration: configuration, everyConnection: everyConnection,
                      ownsHost: false, logger: logger)
    }

    init(
        attachingTo host: P2PHost, router: GossipSubRouter<PeerID>, configuration: GossipSubHostConfiguration,
        everyConnection: Bool, ownsHost: Bool, logger: Logger
    ) throws {
        let configuration = try configuration.validated()
        let (inbound, inboundContinuation) = AsyncStream.makeStream(of: P2PStream.self)
        var handlers: P2PStreamHandlers = [:]
        for proto in configuration.protocols {
            handlers[proto.protocolID] = { stream in _ = inboundContinuation.yield(stream) }
        }
        host.register(handlers)
        self.p2pHost = host
        self.observesHost = everyConnection
        self.ownsHost = ownsHost
        self.peerID = host.peerID
        self.configuration = configuration
        self.rpcLimits = router.config.parameters.rpcLimits
        self.logger = logger
        self.router = router
        self.origin = ContinuousClock.now
        self.metrics = HostMetrics(prefix: configuration.metricsPrefix, node: configuration.metricsNodeLabel,
                                   factory: configuration.metricsFactory ?? MetricsSystem.factory)
        self.inboundStreams = inbound
        let (events, eventContinuation) = AsyncStream.makeStream(
            of: GossipSubHostEvent.self, bufferingPolicy: .bufferingNewest(4096))
        self.events = events
        self.eventContinuation = eventContinuation
    }

    /// Virtual time of the router: the time since the host was made.
    var now: Duration { clock.now - origin }

    // MARK: Lifecycle

    /// Starts the heartbeat and the serving of inbound pubsub streams.
    public func start() {
        guard tasks.isEmpty, !stopped else { return }
        let interval = router.config.parameters.heartbeatInterval
        tasks.append(Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                await self.heartbeat()
            }
        })
        let inbound = inboundStreams
        tasks.append(Task { [weak self] in
            for await stream in inbound {
                guard let self else { return }
                Task { await self.serveInbound(stream) }
            }
        })
        if observesHost {
            let observation = p2pHost.observeConnections { [weak self] connection in
                Task { _ = try? await self?.add(connection) }
            }
            connectionObserver = observation.id
            for connection in observation.existing { Task { _ = try? await self.add(connection) } }
        }
    }

    /// Stops every task and ends the pubsub streams (a host of its own: closes the host, its
    /// listeners and connections); finishes subscriptions and events.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        for task in tasks { task.cancel() }
        tasks = []
        routerTimer?.cancel()
        routerTimer = nil
        if let connectionObserver { p2pHost.stopObservingConnections(connectionObserver) }
        connectionObserver = nil
        let all = sessions
        for (peer, session) in all {
            session.queue.close()
            session.writer?.cancel()
            _ = router.peerDisconnected(peer, now: now)
        }
        sessions = [:]
        newest = [:]
        let inboundStreams = inbound.values
        inbound = [:]
        if ownsHost {
            await p2pHost.close()
        } else {
            // An attached host's connections stay the host's: the pubsub protocols leave it and
            // the pubsub streams end.
            p2pHost.unregister(protocols: configuration.protocols.map(\.protocolID))
            for session in all.values { await session.stream.reset() }
            for stream in inboundStreams { await stream.reset() }
        }
        for topic in subscribers.values { for c in topic.values { c.finish() } }
        subscribers = [:]
        eventContinuation.finish()
    }

    /// Listens on `host:port` (0: any free port) through the host. Returns the bound port.
    public func listen(host: String, port: Int) async throws -> Int {
        let bound = try await p2pHost.listen(try Self.tcpAddress(host: host, port: port))
        for case .tcp(let boundPort) in bound.components { return Int(boundPort) }
        throw P2PError.unsupportedAddress("\(bound)")
    }

    /// Dials `host:port` through the host and runs gossipsub on the connection. Returns the
    /// remote peer.
    @discardableResult
    public func dial(host: String, port: Int, expectedPeer: PeerID? = nil) async throws -> PeerID {
        var address = try Self.tcpAddress(host: host, port: port)
        if let expectedPeer { address = address.encapsulate(.p2p(expectedPeer)) }
        return try await add(try await p2pHost.dial(address))
    }

    /// `/ip4|ip6/<host>/tcp/<port>` for an IP literal.
    static func tcpAddress(host: String, port: Int) throws -> Multiaddr {
        let socket = try SocketAddress(ipAddress: host, port: port)
        guard let address = Multiaddr(tcp: socket) else { throw P2PError.unsupportedAddress("\(socket)") }
        return address
    }

    /// Runs gossipsub over an established connection (from this host's transport): opens this
    /// host's pubsub stream to the peer unless the peer has a session already. Returns once the
    /// session is open, or known not to open (no protocol in common, connection lost).
    @discardableResult
    public func add(_ connection: P2PConnection) async throws -> PeerID {
        let peer = try PeerID(multihashBytes: connection.remotePeerID)
        if watched.insert(ObjectIdentifier(connection)).inserted {
            connection.closeFuture.whenComplete { [weak self] _ in
                Task { await self?.connectionClosed(connection, peer: peer) }
            }
        }
        guard !stopped else { return peer }
        newest[peer] = connection
        if let admission, !(await admission(peer)) { return peer }
        // An open already under way (perhaps on a connection that has since closed, as when a
        // simultaneous dial is resolved) is awaited, then this connection is tried if that one
        // did not give a session.
        while sessions[peer] == nil, !stopped, connection.isActive {
            if let pending = opening[peer] {
                await pending.value
                continue
            }
            let open = Task { await self.openSession(on: connection, to: peer) }
            opening[peer] = open
            await open.value
            break
        }
        return peer
    }

    /// Only peers for which `admit` is true get a session (an application's ban list), whether
    /// their connection is added or they open a pubsub stream; checked before each session.
    public func admitPeers(_ admit: @escaping @Sendable (PeerID) async -> Bool) {
        admission = admit
    }

    /// Opens the outbound pubsub stream on `connection` and makes `peer`'s session.
    private func openSession(on connection: P2PConnection, to peer: PeerID) async {
        defer { opening[peer] = nil }
        var opened: (P2PStream, GossipProtocol)?
        for proto in configuration.protocols {
            if let stream = try? await connection.openStream(protocol: proto.protocolID) {
                opened = (stream, proto)
                break
            }
        }
        guard let (stream, proto) = opened, sessions[peer] == nil, !stopped else {
            if let (stream, _) = opened { Task { await stream.reset() } }
            if opened == nil { logger.debug("no pubsub protocol in common", metadata: ["peer": "\(peer)"]) }
            return
        }
        let (clock, origin) = (clock, origin)
        let queue = OutboundQueue(
            maxMessageBytes: configuration.maxQueuedMessageBytes, maxControlBytes: configuration.maxQueuedControlBytes,
            now: { clock.now - origin })
        var session = Session(connection: connection, stream: stream, queue: queue, proto: proto)
        session.writer = Task { [weak self] in
            while let batch = await queue.next() {
                do {
                    try await stream.write(bytes: batch)
                } catch {
                    await self?.disconnect(peer, reason: "write failed: \(error)")
                    return
                }
            }
        }
        sessions[peer] = session
        metrics.peers.record(sessions.count)
        eventContinuation.yield(.peerConnected(peer, protocol: proto))
        process(router.peerConnected(peer, protocol: proto, outbound: connection.isDialer, now: now))
        if router.wantsRoundTrips { measureRoundTrip(to: peer, over: connection) }
        // P6: peers sharing an address past the colocation threshold lose score.
        if let ip = connection.channel.remoteAddress?.ipAddress { router.setPeerIPs(peer, [ip]) }
    }

    /// Pings a new peer three times and reports the shortest round trip to the router, for lazy
    /// mesh push to the nearest peers (``AnnouncedPeers/nearest``). A peer that does not answer
    /// pings counts as farthest.
    private func measureRoundTrip(to peer: PeerID, over connection: P2PConnection) {
        let host = p2pHost
        Task { [weak self] in
            guard let times = try? await host.ping(connection, count: 3), let shortest = times.min() else { return }
            await self?.roundTripMeasured(shortest, to: peer)
        }
    }

    /// Tells the router the round-trip time to `peer`: the host measures it when a session
    /// starts if the router asks (``GossipSubRouter/wantsRoundTrips``); an application with its
    /// own measurements may report them as well.
    public func roundTripMeasured(_ roundTrip: Duration, to peer: PeerID) {
        router.roundTripMeasured(roundTrip, to: peer)
        eventContinuation.yield(.roundTripMeasured(peer, roundTrip))
    }

    private func connectionClosed(_ connection: P2PConnection, peer: PeerID) {
        watched.remove(ObjectIdentifier(connection))
        if let stream = inbound[peer], stream.connection === connection { inbound[peer] = nil }
        if newest[peer] === connection { newest[peer] = nil }
        if let session = sessions[peer], session.connection === connection {
            disconnect(peer, reason: "connection closed")
        }
        // The peer's session may have been on this connection, or was still being opened on it.
        if sessions[peer] == nil, let other = newest[peer], other.isActive, !stopped {
            Task { _ = try? await add(other) }
        }
    }

    /// Drops `peer`: its queue, its router state and its connection.
    func disconnect(_ peer: PeerID, reason: String) {
        collectExpiries(of: peer)
        guard let session = sessions.removeValue(forKey: peer) else { return }
        logger.debug("peer disconnected", metadata: ["peer": "\(peer)", "reason": "\(reason)"])
        session.queue.close()
        session.writer?.cancel()
        metrics.peers.record(sessions.count)
        lastScores[peer] = nil
        eventContinuation.yield(.peerDisconnected(peer))
        process(router.peerDisconnected(peer, now: now))
        let inboundStream = inbound.removeValue(forKey: peer)
        if ownsHost {
            let connection = session.connection
            Task { await connection.close() }
        } else {
            // The connection is the host's and may carry other protocols: only pubsub ends.
            let stream = session.stream
            Task {
                await stream.reset()
                await inboundStream?.reset()
            }
        }
    }

    // MARK: Inbound streams

    /// Whether `peer`, whose inbound stream arrived on `connection`, has a session, opening it
    /// on that connection when nobody has yet (the stream may come before the connection is
    /// added); the RPCs of a peer without a session never reach the router.
    private func sessionReady(_ peer: PeerID, on connection: P2PConnection) async -> Bool {
        if sessions[peer] == nil { _ = try? await add(connection) }
        return sessions[peer] != nil
    }

    /// Makes `stream` the peer's one inbound pubsub stream, resetting an older one (a peer
    /// that reconnected, or opened a second stream): `false` when the host has stopped.
    private func adoptInbound(_ stream: P2PStream, from peer: PeerID) -> Bool {
        guard !stopped, stream.connection.isActive else { return false }
        if let older = inbound.updateValue(stream, forKey: peer), older !== stream {
            stats.replacedInboundStreams += 1
            Task { await older.reset() }
        }
        return true
    }

    private func inboundEnded(_ stream: P2PStream, from peer: PeerID) {
        if inbound[peer] === stream { inbound[peer] = nil }
    }

    /// Reads RPC frames from an inbound pubsub stream until it ends.
    nonisolated func serveInbound(_ stream: P2PStream) async {
        guard let peer = stream.connection.remotePeer, await sessionReady(peer, on: stream.connection),
              await adoptInbound(stream, from: peer) else {
            await stream.reset()
            return
        }
        defer { Task { await self.inboundEnded(stream, from: peer) } }
        var reader = RPCFrameReader(limits: rpcLimits)
        do {
            for try await buffer in stream {
                reader.append(buffer)
                while let (rpc, size) = try reader.next() {
                    await rpcReceived(rpc, size: size, from: peer, at: ContinuousClock.now)
                }
            }
        } catch is RPCDecodingError {
            await malformedStream(from: peer)
            await stream.reset()
        } catch {
            // Reset or connection loss: the connection's close handles the rest.
        }
    }

    private func malformedStream(from peer: PeerID) {
        stats.malformedStreams += 1
        router.penalize(peer, reason: .malformedMessage, count: 1)
        eventContinuation.yield(.penalised(peer, reason: .malformedMessage))
    }
}
