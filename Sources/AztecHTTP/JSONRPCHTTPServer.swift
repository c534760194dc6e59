import AztecP2P
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The HTTP endpoint of `AztecP2P.JSONRPCHandler`: `POST` (any path) with a JSON body,
/// `GET /health`; other methods get 405.
///
/// The handler stays sans-IO beneath it; this adapter only bounds what reaches it
/// (``HTTPEndpointLimits``): a body over `maxBodyBytes` is answered with HTTP 413 and a JSON-RPC
/// `-32600` error without being read further, and the connection is closed. A request of only
/// notifications gets HTTP 204.
public final class JSONRPCHTTPServer: Sendable {
    private let endpoint: HTTPEndpoint

    /// The port the server listens on (useful when started on port 0).
    public var port: Int { endpoint.port }

    private init(endpoint: HTTPEndpoint) {
        self.endpoint = endpoint
    }

    /// Binds `host:port` and starts serving; returns once it listens.
    /// - Throws: ``HTTPEndpointError`` naming the address when it cannot listen.
    public static func start(host: String, port: Int, handler: JSONRPCHandler, limits: HTTPEndpointLimits = .init(),
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             logger: Logger = Logger(label: "aztec.rpc")) async throws -> JSONRPCHTTPServer {
        let maxBody = limits.maxBodyBytes
        let endpoint = try await HTTPEndpoint.start(host: host, port: port, limits: limits, group: group, logger: logger) {
            request, _ in
            switch request.method {
            case .post:
                return await respond(to: request, handler: handler, maxBodyBytes: maxBody)
            case .get where request.uri.path == "/health":
                return .text("ok\n")
            default:
                return .text("POST JSON-RPC requests\n", status: .methodNotAllowed)
            }
        }
        return JSONRPCHTTPServer(endpoint: endpoint)
    }

    /// Stops gracefully: no new connections; requests in progress are answered first.
    public func stop() async {
        await endpoint.stop()
    }

    static func respond(to request: Request, handler: JSONRPCHandler, maxBodyBytes: Int) async -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            return tooLarge
        }
        var body: [UInt8] = []
        do {
            for try await chunk in request.body {
                guard body.count + chunk.readableBytes <= maxBodyBytes else { return tooLarge }
                body.append(contentsOf: chunk.readableBytesView)
            }
        } catch {
            return Response(status: .badRequest, headers: [.connection: "close"])
        }
        guard let answer = await handler.handle(body: body) else { return Response(status: .noContent) }
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer)))
    }

    static var tooLarge: Response {
        let body = #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"request body too large"}}"#
        return Response(status: .contentTooLarge, headers: [.contentType: "application/json", .connection: "close"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

extension Response {
    /// A plain-text response.
    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
