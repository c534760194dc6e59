import NIOCore
import NIOHTTP1
import NIOPosix

/// A metrics endpoint on its own port: `GET /metrics` answers with what `render` returns
/// (Prometheus text exposition, from whichever swift-metrics backend the process bootstrapped),
/// `GET /health` with `ok`; anything else gets 404 or 405.
///
/// Request bodies are not read (at most ``maxRequestBytes`` are discarded before the connection
/// is closed), and idle connections are closed after `idleTimeout`.
public final class MetricsHTTPServer: Sendable {
    /// The Prometheus text exposition format's content type.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    /// Request body bytes tolerated (and discarded) per request.
    public static let maxRequestBytes = 64 * 1024

    private let channel: any Channel
    /// The port the server listens on (useful when started on port 0).
    public let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Binds `host:port` and starts serving `render()` at `/metrics`.
    public static func start(host: String, port: Int, idleTimeout: TimeAmount = .seconds(30),
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             render: @escaping @Sendable () async -> [UInt8]) async throws -> MetricsHTTPServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsChannelHandler(render: render))
                }
            }
            .bind(host: host, port: port).get()
        return MetricsHTTPServer(channel: channel, port: channel.localAddress?.port ?? port)
    }

    /// Stops listening.
    public func stop() async throws { try await channel.close() }
}

/// One HTTP connection of ``MetricsHTTPServer``.
final class MetricsChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let render: @Sendable () async -> [UInt8]
    private var head: HTTPRequestHead?
    private var bodyBytes = 0

    init(render: @escaping @Sendable () async -> [UInt8]) { self.render = render }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            bodyBytes = 0
        case .body(let chunk):
            bodyBytes += chunk.readableBytes
            if bodyBytes > MetricsHTTPServer.maxRequestBytes { context.close(promise: nil) }
        case .end:
            guard let requestHead = head else { context.close(promise: nil); return }
            head = nil
            respond(context: context, to: requestHead)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func respond(context: ChannelHandlerContext, to request: HTTPRequestHead) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        switch (request.method, path) {
        case (.GET, "/metrics"):
            let render = self.render
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.makeFutureWithTask { await render() }.whenSuccess { body in
                let (this, context) = bound.value
                this.write(context: context, request: request, status: .ok, contentType: MetricsHTTPServer.contentType, body: body)
            }
        case (.GET, "/health"):
            write(context: context, request: request, status: .ok, contentType: "text/plain", body: Array("ok\n".utf8))
        case (.GET, _):
            write(context: context, request: request, status: .notFound, contentType: "text/plain", body: Array("see /metrics\n".utf8))
        default:
            write(context: context, request: request, status: .methodNotAllowed, contentType: "text/plain",
                  body: Array("GET /metrics\n".utf8))
        }
    }

    private func write(context: ChannelHandlerContext, request: HTTPRequestHead, status: HTTPResponseStatus,
                       contentType: String, body: [UInt8]) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.count))
        headers.add(name: "connection", value: request.isKeepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !request.isKeepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
