import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client for one JSON-RPC POST (what `aztec-p2p tx send` and the tests use).
public enum JSONRPCHTTPClient {
    /// The error of a failed exchange.
    public struct ClientError: Error, Hashable, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The HTTP response: status code and body.
    public struct Response: Hashable, Sendable {
        public let status: Int
        public let body: [UInt8]
    }

    /// POSTs `body` to `http://host:port/path` and returns the response (body capped at `maxResponseBytes`).
    public static func post(host: String, port: Int, path: String = "/", body: [UInt8], maxResponseBytes: Int = 64 << 20,
                            group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Response {
        try await request(method: .POST, host: host, port: port, path: path, body: body,
                          maxResponseBytes: maxResponseBytes, group: group)
    }

    /// Sends one request and returns the response (body capped at `maxResponseBytes`).
    public static func request(method: HTTPMethod, host: String, port: Int, path: String, body: [UInt8],
                               maxResponseBytes: Int = 64 << 20,
                               group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Response {
        var headers = HTTPHeaders()
        headers.add(name: "host", value: "\(host):\(port)")
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.count))
        headers.add(name: "connection", value: "close")
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
        let payload = ByteBuffer(bytes: body)
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: Response.self)
        // The request is written on the event loop the moment the connection opens, not after a
        // hop back to the caller's task: a server's header deadline (ours is 10 s) runs from the
        // accept, and a busy cooperative pool must not make an idle connection out of this one.
        let connected = ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise, limit: maxResponseBytes))
                }
            }
            .connect(host: host, port: port)
            .map { channel in
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.write(HTTPClientRequestPart.body(.byteBuffer(payload)), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                return channel
            }
        // A failed connect completes nothing else (an uncompleted promise traps in debug builds);
        // a promise completes once, later completions are ignored.
        connected.whenFailure { promise.fail($0) }
        defer { connected.whenSuccess { $0.close(promise: nil) } }
        return try await promise.futureResult.get()
    }
}

private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<JSONRPCHTTPClient.Response>
    private let limit: Int
    private var status = 0
    private var body: [UInt8] = []
    private var completed = false

    init(promise: EventLoopPromise<JSONRPCHTTPClient.Response>, limit: Int) {
        self.promise = promise
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(let chunk):
            guard body.count + chunk.readableBytes <= limit else {
                fail(JSONRPCHTTPClient.ClientError(message: "response larger than \(limit) bytes"))
                context.close(promise: nil)
                return
            }
            body += chunk.readableBytesView
        case .end:
            guard !completed else { return }
            completed = true
            promise.succeed(JSONRPCHTTPClient.Response(status: status, body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(JSONRPCHTTPClient.ClientError(message: "connection closed before the response ended"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        guard !completed else { return }
        completed = true
        promise.fail(error)
    }
}
