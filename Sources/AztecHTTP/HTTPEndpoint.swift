import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Why an HTTP endpoint did not start.
public struct HTTPEndpointError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The failure, naming the address, e.g. `cannot listen on 127.0.0.1:8080 (…)`.
    public let description: String
}

/// One HTTP/1.1 server of the node, on Hummingbird 2, with the ``HTTPEndpointLimits`` enforced on
/// every connection, run as a swift-service-lifecycle `ServiceGroup` so that ``stop()`` is a
/// graceful shutdown: the server stops accepting, requests in progress get their responses, then
/// connections close.
///
/// Pipelined requests (several in one write) are answered in order, one after the other.
final class HTTPEndpoint: Sendable {
    typealias Respond = @Sendable (Request, BasicRequestContext) async throws -> Response

    /// The port the server listens on (the bound one when started on port 0).
    let port: Int
    private let services: ServiceGroup
    private let running: Task<Void, any Error>

    private init(port: Int, services: ServiceGroup, running: Task<Void, any Error>) {
        self.port = port
        self.services = services
        self.running = running
    }

    /// Binds `host:port` and serves `respond`; returns once the server listens.
    /// - Throws: ``HTTPEndpointError`` naming the address when it cannot listen (for example when
    ///   the port is in use).
    static func start(host: String, port: Int, limits: HTTPEndpointLimits, group: any EventLoopGroup,
                      logger: Logger, respond: @escaping Respond) async throws -> HTTPEndpoint {
        let counter = AddressConnectionCounter(limit: limits.maxConnectionsPerAddress, logger: logger)
        let channel = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuardHandler(limits: limits, counter: counter)],
            idleTimeout: nil,
            httpDecoderConfiguration: .init(maxHeaderFieldSize: limits.maxHeaderBytes,
                                            maxHeaderListSize: limits.maxHeaderBytes,
                                            maxHeaderFieldCount: limits.maxHeaderFields))
        let (bound, boundContinuation) = AsyncStream<Int>.makeStream()
        let slots = RequestSlots(count: limits.maxConcurrentRequests)
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { request, context in
                try await slots.withSlot { try await respond(request, context) }
            },
            server: .http1(configuration: channel),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), backlog: 256, reuseAddress: true,
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)),
            onServerRunning: { channel in
                boundContinuation.yield(channel.localAddress?.port ?? port)
                boundContinuation.finish()
            },
            eventLoopGroupProvider: .shared(group),
            logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let running = Task {
            defer { boundContinuation.finish() }
            try await services.run()
        }
        var iterator = bound.makeAsyncIterator()
        if let boundPort = await iterator.next() {
            return HTTPEndpoint(port: boundPort, services: services, running: running)
        }
        let reason: String
        do {
            try await running.value
            reason = "the server stopped before it listened"
        } catch {
            reason = "\(error)"
        }
        throw HTTPEndpointError(description: "cannot listen on \(host):\(port) (\(reason))")
    }

    /// Shuts down gracefully: no new connections, responses in progress finished, then closed.
    func stop() async {
        await services.triggerGracefulShutdown()
        _ = try? await running.value
    }
}
