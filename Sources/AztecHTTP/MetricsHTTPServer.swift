import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// A metrics endpoint on its own port: `GET /metrics` answers with what `render` returns
/// (Prometheus text exposition, from whichever swift-metrics backend the process bootstrapped),
/// `GET /health` with `ok`; other paths get 404 and other methods 405.
///
/// Request bodies are not read: a request that announces one is answered and its connection closed.
public final class MetricsHTTPServer: Sendable {
    /// The Prometheus text exposition format's content type.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let endpoint: HTTPEndpoint

    /// The port the server listens on (useful when started on port 0).
    public var port: Int { endpoint.port }

    private init(endpoint: HTTPEndpoint) {
        self.endpoint = endpoint
    }

    /// Binds `host:port` and starts serving `render()` at `/metrics`; returns once it listens.
    /// - Throws: ``HTTPEndpointError`` naming the address when it cannot listen.
    public static func start(host: String, port: Int, limits: HTTPEndpointLimits = .init(),
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             logger: Logger = Logger(label: "aztec.metrics"),
                             render: @escaping @Sendable () async -> [UInt8]) async throws -> MetricsHTTPServer {
        let endpoint = try await HTTPEndpoint.start(host: host, port: port, limits: limits, group: group, logger: logger) {
            request, _ in
            var response: Response
            switch (request.method, request.uri.path) {
            case (.get, "/metrics"):
                response = Response(status: .ok, headers: [.contentType: contentType],
                                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: await render())))
            case (.get, "/health"):
                response = .text("ok\n")
            case (.get, _):
                response = .text("see /metrics\n", status: .notFound)
            default:
                response = .text("GET /metrics\n", status: .methodNotAllowed)
            }
            let announcesBody = request.headers[.transferEncoding] != nil
                || (request.headers[.contentLength].flatMap(Int.init) ?? 0) > 0
            if announcesBody { response.headers[.connection] = "close" }
            return response
        }
        return MetricsHTTPServer(endpoint: endpoint)
    }

    /// Stops gracefully: no new connections; requests in progress are answered first.
    public func stop() async {
        await endpoint.stop()
    }
}
