import AsyncHTTPClient
import AztecP2P
import Foundation
import NIOCore

/// A JSON-RPC client of an Aztec node, as a PXE would use it (`aztec-p2p tx send`).
///
/// Requests go through AsyncHTTPClient, whose pool keeps connections open between calls: a
/// load generator measures the node, not its own TCP handshakes. By default every client
/// shares `HTTPClient.shared`, which retries a refused connection until the call's timeout;
/// ``withNodeHTTPClient(connectionsPerHost:_:)`` gives a client that reports a node that is
/// down at once and keeps as many connections per node as the caller has calls in flight.
public struct AztecRPCClient: Sendable {
    /// The node's host name or IP address (an IPv6 one without brackets).
    public let host: String
    /// The node's TCP port.
    public let port: Int
    /// The HTTP path requests are POSTed to, `/` by default.
    public let path: String
    /// The HTTP client the requests go through.
    public let httpClient: HTTPClient
    /// The longest a call may take, connection included.
    public var timeout: Duration = .seconds(30)
    /// The largest response body accepted; a larger one fails the call.
    public var maximumResponseBytes = 64 << 20

    /// The client for `http://host:port/path`, sending through `httpClient`.
    public init(host: String, port: Int, path: String = "/", httpClient: HTTPClient = .shared) {
        self.host = host
        self.port = port
        self.path = path
        self.httpClient = httpClient
    }

    /// The client for `http://host:port/path`, or `nil` for anything else (no TLS here).
    public init?(url: String, httpClient: HTTPClient = .shared) {
        guard let components = URLComponents(string: url), components.scheme == "http",
              let host = components.host, !host.isEmpty else { return nil }
        self.init(host: host, port: components.port ?? 80, path: components.path.isEmpty ? "/" : components.path,
                  httpClient: httpClient)
    }

    /// What went wrong with a call.
    public enum CallError: Error, Sendable, CustomStringConvertible {
        /// The node answered with a JSON-RPC error.
        case rpc(code: Int, message: String)
        /// The node answered something that is not a JSON-RPC response.
        case badResponse(status: Int, body: String)

        /// The JSON-RPC code and message, or the HTTP status and the body's first 200 characters.
        public var description: String {
            switch self {
            case .rpc(let code, let message): "JSON-RPC error \(code): \(message)"
            case .badResponse(let status, let body): "unexpected HTTP \(status) response: \(body.prefix(200))"
            }
        }
    }

    /// Submits a transaction's SSZ (as hex) with `aztec_sendTransaction` and returns its hash.
    public func sendTransaction(ssz: [UInt8]) async throws -> TxHash {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"aztec_sendTransaction","params":["0x"# + HexCoding.encode(ssz) + #""]}"#
        let result = try await call(body: Array(body.utf8))
        guard let text = result as? String, let hash = TxHash(hex: text) else {
            throw CallError.badResponse(status: 200, body: String(describing: result))
        }
        return hash
    }

    /// POSTs one request body and returns its `result`, or throws its `error`.
    public func call(body: [UInt8]) async throws -> Any {
        let (status, bytes) = try await post(body)
        let text = String(buffer: bytes)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any] else {
            throw CallError.badResponse(status: status, body: text)
        }
        if let error = object["error"] as? [String: Any] {
            throw CallError.rpc(code: error["code"] as? Int ?? 0, message: error["message"] as? String ?? "")
        }
        guard status == 200, let result = object["result"] else {
            throw CallError.badResponse(status: status, body: text)
        }
        return result
    }

    private func post(_ body: [UInt8]) async throws -> (status: Int, body: ByteBuffer) {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var request = HTTPClientRequest(url: "http://\(authority)\(path)")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await httpClient.execute(request, timeout: TimeAmount(timeout))
        return (Int(response.status.code), try await response.body.collect(upTo: maximumResponseBytes))
    }
}

/// Runs `body` with an AsyncHTTPClient for talking to nodes, then shuts the client down.
///
/// A refused connection fails the calls waiting for it at once (no retries until the timeout:
/// a node that is down should be reported as down), connecting gives up after 10 s, and up to
/// `connectionsPerHost` connections to one node are kept open for reuse.
public func withNodeHTTPClient<T: Sendable>(
    connectionsPerHost: Int = 8, _ body: (HTTPClient) async throws -> T
) async throws -> T {
    var configuration = HTTPClient.Configuration()
    configuration.timeout.connect = .seconds(10)
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, connectionsPerHost)
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}
