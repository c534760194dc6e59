import LibP2PCore
import Logging
import NIOCore
import NIOPosix
import Noise
import Synchronization

/// libp2p over TCP: listens and dials (IPv4 and IPv6), upgrading every connection (Noise,
/// yamux or mplex), serving inbound streams with `handlers` and enforcing ``ConnectionLimits``.
///
/// Inbound connections refused by the limits are not logged one by one (anyone can cause them at
/// will): they are counted (``inboundRefusals``) and summarised in one `notice` line per
/// ``ConnectionLimits/refusalLogInterval``. Failed inbound upgrades get a warning each, up to
/// five per interval; the summary counts the rest.
public final class TCPTransport: Sendable {
    /// The event loops connections run on.
    public let group: any EventLoopGroup
    /// The upgrade parameters (identity, muxers, timeouts).
    public let upgrade: ConnectionUpgradeConfiguration
    /// The stream protocols served on every connection, by protocol id (a host registers its
    /// protocols here, also after connections exist).
    public let protocolTable: StreamProtocolTable
    /// Inbound stream handlers by protocol id (a snapshot of ``protocolTable``).
    public var handlers: P2PStreamHandlers { protocolTable.handlers }
    /// The connection caps.
    public let limits: ConnectionLimits
    private let logger: Logger
    private let counts = Mutex(ConnectionCounts())
    /// Called with every established connection, inbound and outbound, before anyone else sees it.
    private let observer: (@Sendable (P2PConnection) -> Void)?

    /// Creates a transport; the configuration is validated once here. `observer` sees every
    /// established connection (a host keeps its registry with it).
    public convenience init(
        group: any EventLoopGroup, upgrade: ConnectionUpgradeConfiguration, handlers: P2PStreamHandlers = [:],
        limits: ConnectionLimits = .init(), logger: Logger = Logger(label: "libp2p.tcp"),
        observer: (@Sendable (P2PConnection) -> Void)? = nil
    ) throws(ConnectionUpgradeError) {
        try self.init(group: group, upgrade: upgrade, protocols: StreamProtocolTable(handlers), limits: limits,
                      logger: logger, observer: observer)
    }

    /// Creates a transport serving the protocols of `protocols`, a table its owner may change
    /// while connections run.
    public init(
        group: any EventLoopGroup, upgrade: ConnectionUpgradeConfiguration, protocols: StreamProtocolTable,
        limits: ConnectionLimits = .init(), logger: Logger = Logger(label: "libp2p.tcp"),
        observer: (@Sendable (P2PConnection) -> Void)? = nil
    ) throws(ConnectionUpgradeError) {
        self.group = group
        self.upgrade = try upgrade.validated()
        self.protocolTable = protocols
        self.limits = try limits.validated()
        self.logger = logger
        self.observer = observer
    }

    /// Connections counted now: (inbound, outbound, pending in both directions).
    public var connectionCounts: (inbound: Int, outbound: Int, pending: Int) {
        counts.withLock { ($0.inbound, $0.outbound, $0.pending) }
    }

    /// Connections being upgraded now, by direction.
    public var pendingCounts: (inbound: Int, outbound: Int) {
        counts.withLock { ($0.pendingInbound, $0.pendingOutbound) }
    }

    /// Inbound connections refused by each limit, and inbound upgrades that failed, since the
    /// transport was created (for metrics).
    public var inboundRefusals: InboundRefusals { counts.withLock { $0.total } }

    /// Adds the connection handler to `channel` and returns the future connection. The caller
    /// has taken a pending slot (of `source` for an inbound connection); this gives it back when
    /// the upgrade ends.
    private func install(
        on channel: any Channel, role: ConnectionRole, expectedPeer: [UInt8]?, source: ConnectionSource? = nil
    ) -> EventLoopFuture<P2PConnection> {
        let promise = channel.eventLoop.makePromise(of: P2PConnection.self)
        do {
            var rng = SystemRandomNumberGenerator()
            let ephemeral: NoiseKeyPair
            do throws(NoiseError) { ephemeral = try NoiseKeyPair.generate(using: &rng) } catch { throw ConnectionUpgradeError.handshake(error) }
            let upgrade = try ConnectionUpgrade(
                role: role, configuration: upgrade, expectedRemotePeerID: expectedPeer, ephemeralKey: ephemeral)
            var logger = self.logger
            logger[metadataKey: "remote"] = "\(channel.remoteAddress.map { "\($0)" } ?? "?")"
            // Anyone can make inbound upgrades fail at will: only a few warnings per interval.
            let loop = channel.eventLoop
            let budget: (@Sendable () -> Bool)? = role == .dialer ? nil : { @Sendable [self] in mayWarnOfInboundFailure(on: loop) }
            let handler = P2PConnectionHandler(
                upgrade: upgrade, multistream: self.upgrade.multistream, protocols: protocolTable,
                established: promise, logger: logger, mayWarnOfUpgradeFailure: budget)
            try channel.pipeline.syncOperations.addHandler(handler)
        } catch let error as ConnectionUpgradeError {
            promise.fail(P2PError.upgrade(error))
        } catch {
            promise.fail(error)
        }
        let dialer = role == .dialer
        let observer = self.observer
        return promise.futureResult.flatMapResult { [self] connection -> Result<P2PConnection, any Error> in
            guard upgradeEnded(source: source, established: true, on: channel.eventLoop) else {
                channel.close(promise: nil)
                return .failure(P2PError.connectionLimit(dialer ? .outbound : .inbound))
            }
            channel.closeFuture.whenComplete { [self] _ in counts.withLock { $0.closed(dialer: dialer) } }
            observer?(connection)
            return .success(connection)
        }.flatMapErrorThrowing { [self] error -> P2PConnection in
            if case P2PError.connectionLimit = error { throw error }
            _ = upgradeEnded(source: source, established: false, on: channel.eventLoop)
            throw error
        }
    }

    /// Gives back the pending slot of an upgrade that ended (`source`: an inbound one's); returns
    /// whether an established connection is kept.
    private func upgradeEnded(source: ConnectionSource?, established: Bool, on loop: any EventLoop) -> Bool {
        guard let source else {
            return counts.withLock { $0.upgradedOutbound(established: established, limits: limits) }
        }
        let kept = counts.withLock { $0.upgradedInbound(from: source, established: established, limits: limits) }
        if !kept { scheduleRefusalSummary(on: loop) }
        return kept
    }

    /// Spends one of the interval's warnings of failed inbound upgrades; without one left, the
    /// failure goes into the summary instead.
    private func mayWarnOfInboundFailure(on loop: any EventLoop) -> Bool {
        let now = Duration.nanoseconds(Int64(clamping: NIODeadline.now().uptimeNanoseconds))
        let interval = limits.refusalLogInterval
        guard counts.withLock({ $0.mayWarnOfFailure(now: now, interval: interval) }) else {
            scheduleRefusalSummary(on: loop)
            return false
        }
        return true
    }

    /// Makes sure the inbound refusals not yet reported are logged, as one line, one interval
    /// from now.
    private func scheduleRefusalSummary(on loop: any EventLoop) {
        guard counts.withLock({ $0.claimSummary() }) else { return }
        let interval = limits.refusalLogInterval
        let (seconds, attoseconds) = interval.components
        let nanos = Int64(clamping: seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let delay = TimeAmount.nanoseconds(nanos.overflow ? .max : nanos.partialValue + attoseconds / 1_000_000_000)
        loop.scheduleTask(in: delay) { [self] in
            let refusals = counts.withLock { $0.takeUnreported() }
            guard !refusals.isEmpty else { return }
            logger.notice("libp2p \(refusals.summary(interval: interval))", metadata: [
                "refused": "\(refusals.refused)", "perSourcePendingCap": "\(refusals.pendingFromSource)",
                "pendingFull": "\(refusals.pendingFull)", "inboundFull": "\(refusals.inboundFull)",
                "handshakesFailed": "\(refusals.handshakesFailed)",
            ])
        }
    }

    /// Listens on `host:port` (port 0 picks a free one).
    public func listen(host: String, port: Int) async throws -> TCPListener {
        let (stream, continuation) = AsyncStream<P2PConnection>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                let source = ConnectionSource(channel.remoteAddress)
                if let refused = counts.withLock({ $0.admitInbound(from: source, limits: limits) }) {
                    scheduleRefusalSummary(on: channel.eventLoop)
                    return channel.eventLoop.makeFailedFuture(P2PError.connectionLimit(refused))
                }
                return channel.eventLoop.makeCompletedFuture(withResultOf: {
                    let future = install(on: channel, role: .listener, expectedPeer: nil, source: source)
                    future.whenSuccess { continuation.yield($0) }
                })
            }
            .bind(host: host, port: port).get()
        channel.closeFuture.whenComplete { _ in continuation.finish() }
        return TCPListener(channel: channel, connections: stream)
    }

    /// Listens on a `/ip4/…/tcp/…` or `/ip6/…/tcp/…` multiaddr (port 0 picks a free one).
    public func listen(_ address: Multiaddr) async throws -> TCPListener {
        let target = try TCPMultiaddrTarget(address)
        guard target.peerID == nil else { throw P2PError.unsupportedAddress("\(address)") }
        return try await listen(host: target.host, port: target.port)
    }

    /// Dials a `/ip4|ip6|dns…/…/tcp/…[/p2p/<id>]` multiaddr; with a `/p2p` component the remote
    /// must authenticate as that peer.
    public func dial(_ address: Multiaddr, timeout: Duration = .seconds(10)) async throws -> P2PConnection {
        let target = try TCPMultiaddrTarget(address)
        return try await dial(
            host: target.host, port: target.port, expectedPeer: target.peerID?.multihashBytes, timeout: timeout)
    }

    /// Dials `host:port`, upgrades, and returns the connection. `expectedPeer` (peer id bytes)
    /// makes the dial fail unless the remote authenticates as that peer. `timeout` bounds the
    /// TCP connect; the upgrade is bounded by the configuration's handshake timeout.
    public func dial(
        host: String, port: Int, expectedPeer: [UInt8]? = nil, timeout: Duration = .seconds(10)
    ) async throws -> P2PConnection {
        if let refused = counts.withLock({ $0.admitOutbound(limits: limits) }) {
            throw P2PError.connectionLimit(refused)
        }
        let (seconds, attoseconds) = timeout.components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let connectTimeout = TimeAmount.nanoseconds(nanos.overflow ? .max : nanos.partialValue + attoseconds / 1_000_000_000)
        let loop = group.next()
        let result = loop.makePromise(of: P2PConnection.self)
        let installed = SharedFlag(false)
        do {
            _ = try await ClientBootstrap(group: loop)
                .connectTimeout(connectTimeout)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture(withResultOf: {
                        installed.store(true)
                        install(on: channel, role: .dialer, expectedPeer: expectedPeer).cascade(to: result)
                    })
                }
                .connect(host: host, port: port).get()
        } catch {
            // The pending slot is given back by `install` once it ran; otherwise here.
            if !installed.load() { _ = counts.withLock { $0.upgradedOutbound(established: false, limits: limits) } }
            var mapped = error
            if case ChannelError.connectTimeout = error { mapped = P2PError.dialTimedOut }
            result.fail(mapped)
            throw mapped
        }
        return try await result.futureResult.get()
    }
}

extension ConnectionSource {
    /// The source of a remote socket address (one shared source when it has no IP address).
    init(_ address: SocketAddress?) {
        switch address.flatMap(Multiaddr.init(tcp:))?.components.first {
        case .ip4(let ip)?: self.init(ip: withUnsafeBytes(of: ip.value.bigEndian) { Array($0) })
        case .ip6(let ip)?: self.init(ip: ip.bytes)
        default: self.init(ip: [])
        }
    }
}

/// A Boolean shared between the dialing task and the channel initializer.
private final class SharedFlag: Sendable {
    private let value: Mutex<Bool>
    init(_ initial: Bool) { value = Mutex(initial) }
    func store(_ new: Bool) { value.withLock { $0 = new } }
    func load() -> Bool { value.withLock { $0 } }
}

/// A listening socket and the connections it accepted (after their upgrade).
public final class TCPListener: Sendable {
    /// The bound port.
    public var localPort: Int { channel.localAddress?.port ?? 0 }
    /// The bound address as a multiaddr (`/ip4/…/tcp/…` or `/ip6/…/tcp/…`).
    public var localAddress: Multiaddr? { channel.localAddress.flatMap { Multiaddr(tcp: $0) } }
    /// Upgraded inbound connections (the newest 256 are kept if nobody reads them); finishes
    /// when the listener closes.
    public let connections: AsyncStream<P2PConnection>
    private let channel: any Channel

    init(channel: any Channel, connections: AsyncStream<P2PConnection>) {
        self.channel = channel
        self.connections = connections
    }

    /// Stops accepting connections (existing ones stay open).
    public func close() async {
        try? await channel.close()
    }
}
