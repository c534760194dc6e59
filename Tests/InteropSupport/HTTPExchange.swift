import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One HTTP request of a test through AsyncHTTPClient: the status and the whole body.
public enum HTTPExchange {
    /// What came back.
    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
    }

    /// POSTs `body` as JSON to `http://host:port/path`.
    public static func post(host: String = "127.0.0.1", port: Int, path: String = "/", body: [UInt8]) async throws -> Response {
        try await request(method: .POST, host: host, port: port, path: path, body: body)
    }

    /// Sends one request with `body` (none when empty) and collects the response.
    public static func request(method: HTTPMethod, host: String = "127.0.0.1", port: Int, path: String,
                               body: [UInt8] = []) async throws -> Response {
        var request = HTTPClientRequest(url: "http://\(host):\(port)\(path)")
        request.method = method
        if !body.isEmpty {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Response(status: Int(response.status.code), body: Array(bytes.readableBytesView))
    }
}
