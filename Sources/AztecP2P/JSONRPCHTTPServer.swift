import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP adapter of ``JSONRPCHandler``: `POST /` (any path) with a JSON body, `GET /health`.
///
/// Thin on purpose: it bounds the body (``maxBodyBytes``, answered with HTTP 413 and a JSON-RPC
/// `-32600` error before reading further), hands complete bodies to the handler, and writes the
/// result back (HTTP 200, or 204 when the request held only notifications).
public final class JSONRPCHTTPServer: Sendable {
    private let channel: any Channel
    /// The port the server listens on (useful when started on port 0).
    public let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Binds `host:port` and starts serving.
    /// - Parameters:
    ///   - maxBodyBytes: larger request bodies get HTTP 413. Default 1 MiB (a 256 KiB transaction in hex fits).
    ///   - idleTimeout: connections that send nothing for this long are closed (slow or stalled
    ///     clients cannot hold connections open). Default 30 s.
    public static func start(host: String, port: Int, handler: JSONRPCHandler, maxBodyBytes: Int = 1 << 20,
                             idleTimeout: TimeAmount = .seconds(30),
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> JSONRPCHTTPServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPJSONRPCChannelHandler(handler: handler, maxBodyBytes: maxBodyBytes))
                }
            }
            .bind(host: host, port: port).get()
        return JSONRPCHTTPServer(channel: channel, port: channel.localAddress?.port ?? port)
    }

    /// Stops listening (open connections finish their current request).
    public func stop() async throws {
        try await channel.close()
    }
}

/// One HTTP connection: collects a bounded body, calls the handler, writes the response.
final class HTTPJSONRPCChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(head: HTTPRequestHead, body: ByteBuffer)
        /// Body over the limit: answered already, the rest is discarded and the connection closed.
        case discarding
        case responding
    }

    private let handler: JSONRPCHandler
    private let maxBodyBytes: Int
    private var state = State.idle

    init(handler: JSONRPCHandler, maxBodyBytes: Int) {
        self.handler = handler
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .idle):
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > maxBodyBytes {
                rejectOversized(context: context)
                return
            }
            state = .receiving(head: head, body: context.channel.allocator.buffer(capacity: 0))
        case (.body(var chunk), .receiving(let head, var body)):
            guard body.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                rejectOversized(context: context)
                return
            }
            body.writeBuffer(&chunk)
            state = .receiving(head: head, body: body)
        case (.end, .receiving(let head, let body)):
            state = .responding
            finish(context: context, head: head, body: body)
        case (.end, .discarding):
            state = .idle
        case (.body, .discarding), (.head, .discarding):
            break
        case (.head, .receiving), (.head, .responding), (.body, .idle), (.body, .responding),
             (.end, .idle), (.end, .responding):
            // Pipelined or out-of-order parts: this adapter serves one request at a time.
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func finish(context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer) {
        let keepAlive = head.isKeepAlive
        if head.method == .GET, head.uri == "/health" {
            write(context: context, status: .ok, contentType: "text/plain", body: Array("ok\n".utf8), keepAlive: keepAlive)
            return
        }
        guard head.method == .POST else {
            write(context: context, status: .methodNotAllowed, contentType: "text/plain",
                  body: Array("POST JSON-RPC requests\n".utf8), keepAlive: keepAlive)
            return
        }
        let bytes = Array(body.readableBytesView)
        let handler = self.handler
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.makeFutureWithTask {
            await handler.handle(body: bytes)
        }.whenComplete { result in
            let (this, context) = bound.value
            switch result {
            case .success(let response?):
                this.write(context: context, status: .ok, contentType: "application/json", body: response, keepAlive: keepAlive)
            case .success(nil):
                this.write(context: context, status: .noContent, contentType: nil, body: [], keepAlive: keepAlive)
            case .failure:
                this.write(context: context, status: .internalServerError, contentType: nil, body: [], keepAlive: false)
            }
        }
    }

    private func rejectOversized(context: ChannelHandlerContext) {
        state = .discarding
        let body = Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"request body too large"}}"#.utf8)
        write(context: context, status: .payloadTooLarge, contentType: "application/json", body: body, keepAlive: false)
    }

    private func write(context: ChannelHandlerContext, status: HTTPResponseStatus, contentType: String?,
                       body: [UInt8], keepAlive: Bool) {
        var headers = HTTPHeaders()
        if let contentType { headers.add(name: "content-type", value: contentType) }
        headers.add(name: "content-length", value: String(body.count))
        headers.add(name: "connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if case .responding = state { state = .idle }
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
