import Logging
import NIOCore
import NIOPosix
import Noise

/// libp2p over TCP: listens and dials, upgrading every connection (Noise, yamux or mplex)
/// and serving inbound streams with `handlers`.
public final class TCPTransport: Sendable {
    /// The event loops connections run on.
    public let group: any EventLoopGroup
    /// The upgrade parameters (identity, muxers, timeouts).
    public let upgrade: ConnectionUpgradeConfiguration
    /// Inbound stream handlers by protocol id.
    public let handlers: P2PStreamHandlers
    private let logger: Logger

    /// Creates a transport; the configuration is validated once here.
    public init(
        group: any EventLoopGroup, upgrade: ConnectionUpgradeConfiguration, handlers: P2PStreamHandlers = [:],
        logger: Logger = Logger(label: "libp2p.tcp")
    ) throws(ConnectionUpgradeError) {
        self.group = group
        self.upgrade = try upgrade.validated()
        self.handlers = handlers
        self.logger = logger
    }

    /// Adds the connection handler to `channel` and returns the future connection.
    private func install(
        on channel: any Channel, role: ConnectionRole, expectedPeer: [UInt8]?
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
            let handler = P2PConnectionHandler(
                upgrade: upgrade, multistream: self.upgrade.multistream, handlers: handlers,
                established: promise, logger: logger)
            try channel.pipeline.syncOperations.addHandler(handler)
        } catch let error as ConnectionUpgradeError {
            promise.fail(P2PError.upgrade(error))
        } catch {
            promise.fail(error)
        }
        return promise.futureResult
    }

    /// Listens on `host:port` (port 0 picks a free one).
    public func listen(host: String, port: Int) async throws -> TCPListener {
        let (stream, continuation) = AsyncStream<P2PConnection>.makeStream()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture(withResultOf: {
                    let future = install(on: channel, role: .listener, expectedPeer: nil)
                    future.whenSuccess { continuation.yield($0) }
                })
            }
            .bind(host: host, port: port).get()
        channel.closeFuture.whenComplete { _ in continuation.finish() }
        return TCPListener(channel: channel, connections: stream)
    }

    /// Dials `host:port`, upgrades, and returns the connection. `expectedPeer` (peer id bytes)
    /// makes the dial fail unless the remote authenticates as that peer. `timeout` bounds the
    /// TCP connect; the upgrade is bounded by the configuration's handshake timeout.
    public func dial(
        host: String, port: Int, expectedPeer: [UInt8]? = nil, timeout: Duration = .seconds(10)
    ) async throws -> P2PConnection {
        let (seconds, attoseconds) = timeout.components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let connectTimeout = TimeAmount.nanoseconds(nanos.overflow ? .max : nanos.partialValue + attoseconds / 1_000_000_000)
        let loop = group.next()
        let result = loop.makePromise(of: P2PConnection.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(connectTimeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture(withResultOf: {
                        install(on: channel, role: .dialer, expectedPeer: expectedPeer).cascade(to: result)
                    })
                }
                .connect(host: host, port: port).get()
        } catch ChannelError.connectTimeout(_) {
            result.fail(P2PError.dialTimedOut)
            throw P2PError.dialTimedOut
        } catch {
            result.fail(error)
            throw error
        }
        _ = channel
        return try await result.futureResult.get()
    }
}

/// A listening socket and the connections it accepted (after their upgrade).
public final class TCPListener: Sendable {
    /// The bound port.
    public var localPort: Int { channel.localAddress?.port ?? 0 }
    /// Upgraded inbound connections; finishes when the listener closes.
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
