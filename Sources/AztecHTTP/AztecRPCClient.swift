import Foundation

/// A JSON-RPC client of an Aztec node, as a PXE would use it (`aztec-p2p tx send`).
public struct AztecRPCClient: Sendable {
    public let host: String
    public let port: Int
    public let path: String

    public init(host: String, port: Int, path: String = "/") {
        self.host = host
        self.port = port
        self.path = path
    }

    /// The client for `http://host:port/path`, or `nil` for anything else (no TLS here).
    public init?(url: String) {
        guard let components = URLComponents(string: url), components.scheme == "http",
              let host = components.host, !host.isEmpty else { return nil }
        self.init(host: host, port: components.port ?? 80, path: components.path.isEmpty ? "/" : components.path)
    }

    /// What went wrong with a call.
    public enum CallError: Error, Sendable, CustomStringConvertible {
        /// The node answered with a JSON-RPC error.
        case rpc(code: Int, message: String)
        /// The node answered something that is not a JSON-RPC response.
        case badResponse(status: Int, body: String)

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
        let response = try await JSONRPCHTTPClient.post(host: host, port: port, path: path, body: body)
        let text = String(decoding: response.body, as: UTF8.self)
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw CallError.badResponse(status: response.status, body: text)
        }
        if let error = object["error"] as? [String: Any] {
            throw CallError.rpc(code: error["code"] as? Int ?? 0, message: error["message"] as? String ?? "")
        }
        guard response.status == 200, let result = object["result"] else {
            throw CallError.badResponse(status: response.status, body: text)
        }
        return result
    }
}
