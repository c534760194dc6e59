import LibP2PCore
import Logging
import NIOCore
import Synchronization

/// A libp2p node over TCP: its identity, a ``TCPTransport`` with ``ConnectionLimits``, identify
/// (`<prefix>/id/1.0.0` and push) and ping (`/ipfs/ping/1.0.0`) served automatically, one kept
/// connection per peer (simultaneous dials resolved by ``ConnectionTieBreak``), and a stream of
/// ``P2PHostEvent``s.
public final class P2PHost: Sendable {
    /// This node's identity.
    public let identity: LibP2PIdentity
    /// The validated configuration.
    public let configuration: P2PHostConfiguration
    /// The transport (for its connection counts).
    public let transport: TCPTransport
    /// Connection, disconnection and identify events (the newest 1024 are kept if unread).
    public let events: AsyncStream<P2PHostEvent>
    private let core: P2PHostCore

    /// Creates a host serving `handlers` plus identify and ping.
    public init(
        identity: LibP2PIdentity, configuration: P2PHostConfiguration = .init(), group: any EventLoopGroup,
        handlers: P2PStreamHandlers = [:], logger: Logger = Logger(label: "libp2p.host")
    ) throws(ConnectionUpgradeError) {
        let configuration = try configuration.validated()
        let (events, continuation) = AsyncStream<P2PHostEvent>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let table = StreamProtocolTable(handlers)
        let core = P2PHostCore(
            identity: identity, configuration: configuration, protocolTable: table, events: continuation, logger: logger)
        table.register(configuration.identifyProtocolID) { [core] stream in await core.serveIdentify(stream) }
        table.register(configuration.identifyPushProtocolID) { [core] stream in await core.receiveIdentifyPush(stream) }
        table.register(P2PHostConfiguration.pingProtocolID) { stream in await P2PHostCore.servePing(stream) }
        self.identity = identity
        self.configuration = configuration
        self.events = events
        self.core = core
        transport = try TCPTransport(
            group: group,
            upgrade: ConnectionUpgradeConfiguration(
                noise: identity.noiseConfiguration, muxers: configuration.muxers,
                muxerConfiguration: configuration.muxerConfiguration, handshakeTimeout: configuration.handshakeTimeout),
            protocols: table, limits: configuration.limits, logger: logger,
            observer: { [core] connection in core.register(connection) })
    }

    /// This node's peer id.
    public var peerID: PeerID { identity.peerID }

    /// The protocols served (sorted), as identify announces them.
    public var protocols: [String] { core.protocols }

    /// The addresses listened on (without `/p2p`), as identify announces them.
    public var listenAddrs: [Multiaddr] { core.listenAddrs }

    /// Listens on a TCP multiaddr (port 0 picks a free port) and returns the bound address
    /// with `/p2p/<peer id>` appended. Peers already connected learn the new address through an
    /// identify push, sent in the background.
    @discardableResult
    public func listen(_ address: Multiaddr) async throws -> Multiaddr {
        let listener = try await transport.listen(address)
        guard let bound = listener.localAddress else {
            await listener.close()
            throw P2PError.unsupportedAddress("\(address)")
        }
        core.addListener(listener, address: bound)
        // Inbound connections are tracked through the transport's observer; drain the queue.
        Task { for await _ in listener.connections {} }
        if core.hasConnections { Task { [core] in await core.pushIdentify() } }
        return bound.encapsulate(.p2p(peerID))
    }

    /// Dials a multiaddr (its `/p2p` peer id, when present, is verified) and returns the
    /// connection kept to that peer: an already open one, or the new one.
    public func dial(_ address: Multiaddr, timeout: Duration = .seconds(10)) async throws -> P2PConnection {
        try core.requireOpen()
        let connection = try await transport.dial(address, timeout: timeout)
        return core.kept(for: connection)
    }

    /// Serves `protocolID` with `handler` on every connection, present and future, and
    /// announces it in identify (peers already connected learn it through an identify push, sent
    /// in the background). How protocols such as GossipSub attach to a running host.
    public func register(protocol protocolID: String, handler: @escaping @Sendable (P2PStream) async -> Void) {
        register([protocolID: handler])
    }

    /// Registers several protocols at once (``register(protocol:handler:)``): one identify push.
    public func register(_ handlers: P2PStreamHandlers) {
        for (protocolID, handler) in handlers { transport.protocolTable.register(protocolID, handler: handler) }
        if core.hasConnections { Task { [core] in await core.pushIdentify() } }
    }

    /// Stops serving `protocols` on streams opened from now on, and stops announcing them
    /// (connected peers learn it through an identify push).
    public func unregister(protocols: [String]) {
        for protocolID in protocols { transport.protocolTable.remove(protocolID) }
        if core.hasConnections { Task { [core] in await core.pushIdentify() } }
    }

    /// Calls `observer` with every connection the host keeps from now on (after the tie-break
    /// of simultaneous connections, before the ``P2PHostEvent/connected(_:)`` event), and returns
    /// the connections kept already: together, each connection once. The returned
    /// ``ConnectionObservation/id`` ends the observation (``stopObservingConnections(_:)``).
    @discardableResult
    public func observeConnections(_ observer: @escaping @Sendable (P2PConnection) -> Void) -> ConnectionObservation {
        let (id, existing) = core.addObserver(observer)
        return ConnectionObservation(id: ConnectionObservation.ID(rawValue: id), existing: existing)
    }

    /// Stops calling the observer `id` registered by ``observeConnections(_:)`` (a call already
    /// under way completes).
    public func stopObservingConnections(_ id: ConnectionObservation.ID) {
        core.removeObserver(id.rawValue)
    }

    /// The open connection to `peer`, if any.
    public func connection(to peer: PeerID) -> P2PConnection? { core.connection(to: peer) }

    /// What `peer` said in its last identify (or push), if it was identified.
    public func identifyInfo(of peer: PeerID) -> IdentifyInfo? { core.identifyInfo(of: peer) }

    /// Runs identify on `connection` now and returns the checked answer (also stored).
    public func identify(_ connection: P2PConnection) async throws -> IdentifyInfo {
        try await core.identify(connection)
    }

    /// Sends `count` pings over one stream and returns each round-trip time.
    public func ping(_ connection: P2PConnection, count: Int = 1) async throws -> [Duration] {
        try await core.ping(connection, count: count)
    }

    /// Pushes this node's identify information to every connected peer.
    public func pushIdentify() async { await core.pushIdentify() }

    /// Stops listening and closes every connection gracefully.
    public func close() async { await core.close() }
}
