import LibP2PCore
import Logging
import NIOCore
import Synchronization

/// The shared state and services of a ``P2PHost``: the connection registry, identify and
/// ping. Stream handlers and the transport's observer reach the host through it.
final class P2PHostCore: Sendable {
    private struct State {
        var listeners: [TCPListener] = []
        var listenAddrs: [Multiaddr] = []
        var connections: [PeerID: P2PConnection] = [:]
        var identified: [PeerID: IdentifyInfo] = [:]
        var observers: [(id: Int, call: @Sendable (P2PConnection) -> Void)] = []
        var nextObserverID = 0
        var closed = false
    }

    private enum Registration {
        case kept
        case replaced(P2PConnection)
        case loser
        case hostClosed
    }

    let identity: LibP2PIdentity
    let configuration: P2PHostConfiguration
    private let events: AsyncStream<P2PHostEvent>.Continuation
    private let logger: Logger
    private let state = Mutex(State())

    init(
        identity: LibP2PIdentity, configuration: P2PHostConfiguration, protocolTable: StreamProtocolTable,
        events: AsyncStream<P2PHostEvent>.Continuation, logger: Logger
    ) {
        self.protocolTable = protocolTable
        self.identity = identity
        self.configuration = configuration
        self.events = events
        self.logger = logger
    }

    // MARK: Registry

    /// The stream protocols served, the transport's table (identify announces them).
    let protocolTable: StreamProtocolTable
    var protocols: [String] { protocolTable.protocolIDs }
    var listenAddrs: [Multiaddr] { state.withLock { $0.listenAddrs } }

    func addListener(_ listener: TCPListener, address: Multiaddr) {
        state.withLock {
            $0.listeners.append(listener)
            $0.listenAddrs.append(address)
        }
    }

    func requireOpen() throws(P2PError) {
        if state.withLock({ $0.closed }) { throw .hostClosed }
    }

    /// Adds a connection observer; returns its id and the connections kept so far (under the
    /// same lock, so none is missed or seen twice).
    func addObserver(_ observer: @escaping @Sendable (P2PConnection) -> Void) -> (id: Int, existing: [P2PConnection]) {
        state.withLock {
            let id = $0.nextObserverID
            $0.nextObserverID += 1
            $0.observers.append((id, observer))
            return (id, Array($0.connections.values))
        }
    }

    /// Removes the observer `id`; it is not called after this returns, except by a call already
    /// under way.
    func removeObserver(_ id: Int) {
        state.withLock { $0.observers.removeAll { $0.id == id } }
    }

    func connection(to peer: PeerID) -> P2PConnection? {
        state.withLock { $0.connections[peer] }
    }

    func identifyInfo(of peer: PeerID) -> IdentifyInfo? {
        state.withLock { $0.identified[peer] }
    }

    /// The connection kept to `connection`'s peer (`connection` itself unless it lost a tie-break).
    func kept(for connection: P2PConnection) -> P2PConnection {
        guard let peer = connection.remotePeer else { return connection }
        return state.withLock { $0.connections[peer] } ?? connection
    }

    /// Called by the transport for every established connection.
    func register(_ connection: P2PConnection) {
        guard let peer = connection.remotePeer else {
            connection.channel.close(promise: nil)
            return
        }
        let local = identity.peerID
        let (registration, observers) = state.withLock { state -> (Registration, [(id: Int, call: @Sendable (P2PConnection) -> Void)]) in
            guard !state.closed else { return (.hostClosed, []) }
            guard let existing = state.connections[peer], existing !== connection, existing.isActive else {
                state.connections[peer] = connection
                return (.kept, state.observers)
            }
            if ConnectionTieBreak.prefersNew(
                existingIsDialer: existing.isDialer, newIsDialer: connection.isDialer, local: local, remote: peer)
            {
                state.connections[peer] = connection
                return (.replaced(existing), state.observers)
            }
            return (.loser, [])
        }
        switch registration {
        case .hostClosed:
            connection.channel.close(promise: nil)
            return
        case .loser:
            logger.debug("libp2p duplicate connection closed", metadata: ["peer": "\(peer)"])
            Task { await connection.close() }
            return
        case .replaced(let existing):
            logger.debug("libp2p duplicate connection replaced", metadata: ["peer": "\(peer)"])
            Task { await existing.close() }
        case .kept:
            break
        }
        connection.closeFuture.whenComplete { [self] _ in
            let removed = state.withLock { state -> Bool in
                guard state.connections[peer] === connection else { return false }
                state.connections[peer] = nil
                state.identified[peer] = nil
                return true
            }
            if removed { events.yield(.disconnected(peer)) }
        }
        for observer in observers { observer.call(connection) }
        events.yield(.connected(connection))
        if configuration.identifyOnConnect {
            Task { [self] in
                do { _ = try await identify(connection) } catch {
                    logger.debug("libp2p identify failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
                }
            }
        }
    }

    func close() async {
        let (listeners, connections) = state.withLock { state in
            state.closed = true
            return (state.listeners, Array(state.connections.values))
        }
        for listener in listeners { await listener.close() }
        for connection in connections { await connection.close() }
        events.finish()
    }

    // MARK: Identify

    /// The identify message this node sends to the peer behind `remoteAddress`.
    func localIdentify(observed remoteAddress: SocketAddress?) -> IdentifyMessage {
        var message = IdentifyMessage()
        message.publicKey = identity.identityKeyProtobuf
        let addrs = state.withLock { $0.listenAddrs }
        let protocols = protocolTable.protocolIDs
        message.listenAddrs = addrs.map(\.bytes)
        message.protocols = protocols
        message.observedAddr = remoteAddress.flatMap { Multiaddr(tcp: $0) }?.bytes
        message.protocolVersion = configuration.protocolVersion
        message.agentVersion = configuration.agentVersion
        return message
    }

    func serveIdentify(_ stream: P2PStream) async {
        do {
            try await stream.write(ByteBuffer(bytes: localIdentify(observed: stream.remoteAddress).framed()))
            try await stream.closeWrite()
        } catch {
            await stream.reset()
        }
    }

    func receiveIdentifyPush(_ stream: P2PStream) async {
        let limits = configuration.identifyLimits
        do {
            let bytes = try await withDeadline(configuration.requestTimeout) {
                var reader = P2PStreamReader(stream)
                return try await reader.readToEnd(limit: limits.maxStreamBytes)
            }
            try await stream.closeWrite()
            guard let peer = try? PeerID(multihashBytes: stream.remotePeerID) else { return }
            let info = try IdentifyInfo(try IdentifyMessage.decodeStream(bytes, limits: limits), from: peer)
            store(info, for: peer)
        } catch {
            logger.info("libp2p identify push rejected", metadata: ["error": "\(error)"])
            await stream.reset()
        }
    }

    private func store(_ info: IdentifyInfo, for peer: PeerID) {
        let connected = state.withLock { state -> Bool in
            guard state.connections[peer] != nil else { return false }
            state.identified[peer] = info
            return true
        }
        if connected { events.yield(.identified(peer, info)) }
    }

    func identify(_ connection: P2PConnection) async throws -> IdentifyInfo {
        guard let peer = connection.remotePeer else { throw P2PError.invalidPeerID }
        let limits = configuration.identifyLimits
        let stream = try await connection.openStream(protocol: configuration.identifyProtocolID)
        let bytes: [UInt8]
        do {
            bytes = try await withDeadline(configuration.requestTimeout) {
                try await stream.closeWrite()
                var reader = P2PStreamReader(stream)
                return try await reader.readToEnd(limit: limits.maxStreamBytes)
            }
        } catch {
            await stream.reset()
            throw error
        }
        let info: IdentifyInfo
        do throws(IdentifyError) {
            info = try IdentifyInfo(try IdentifyMessage.decodeStream(bytes, limits: limits), from: peer)
        } catch {
            logger.info("libp2p identify rejected", metadata: ["peer": "\(peer)", "error": "\(error)"])
            throw P2PError.identify(error)
        }
        store(info, for: peer)
        return info
    }

    /// Whether any connection is open.
    var hasConnections: Bool { state.withLock { !$0.connections.isEmpty } }

    func pushIdentify() async {
        let connections = state.withLock { Array($0.connections.values) }
        for connection in connections {
            do {
                let stream = try await connection.openStream(protocol: configuration.identifyPushProtocolID)
                try await stream.write(ByteBuffer(bytes: localIdentify(observed: connection.channel.remoteAddress).framed()))
                try await stream.closeWrite()
            } catch {
                logger.debug("libp2p identify push failed", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: Ping

    static func servePing(_ stream: P2PStream) async {
        var reader = P2PStreamReader(stream)
        do {
            while let payload = try await reader.read(exactly: P2PHostConfiguration.pingSize) {
                try await stream.write(ByteBuffer(bytes: payload))
            }
            try await stream.closeWrite()
        } catch {
            await stream.reset()
        }
    }

    func ping(_ connection: P2PConnection, count: Int) async throws -> [Duration] {
        let stream = try await connection.openStream(protocol: P2PHostConfiguration.pingProtocolID)
        do {
            let rtts = try await withDeadline(configuration.requestTimeout * max(count, 1)) {
                var reader = P2PStreamReader(stream)
                var rng = SystemRandomNumberGenerator()
                var rtts: [Duration] = []
                let clock = ContinuousClock()
                for _ in 0..<count {
                    let payload = (0..<P2PHostConfiguration.pingSize).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    let start = clock.now
                    try await stream.write(ByteBuffer(bytes: payload))
                    guard let answer = try await reader.read(exactly: payload.count) else {
                        throw P2PError.connectionClosed
                    }
                    guard answer == payload else { throw P2PError.pingMismatch }
                    rtts.append(clock.now - start)
                }
                return rtts
            }
            try await stream.closeWrite()
            return rtts
        } catch {
            await stream.reset()
            throw error
        }
    }
}
