import Foundation

/// JSON-RPC 2.0 over any transport: a request body in, a response body out (sans-IO; the HTTP
/// adapter is ``JSONRPCHTTPServer``).
///
/// Methods (the `node_*` names are aliases from the issue's API):
/// - `aztec_sendTransaction` / `node_sendTx`: params `[tx]` or `{"tx": tx}`, where `tx` is the
///   transaction's SSZ as `0x`-prefixed hex or as base64. Result: the transaction hash (hex).
/// - `aztec_getTransaction` / `node_getTxByHash`: params `[hash]` or `{"hash": hash}`. Result: the
///   pooled transaction (`hash`, `tx` as SSZ hex, `size`, `priorityFee` as decimal) or `null`.
/// - `aztec_getPendingTransactions` / `node_getPendingTxs`: params `[]`, `[limit]`, `[limit, after]`
///   or `{"limit": n, "after": cursor}`; highest fee first. Result: `{"txs": [...], "next": cursor|null}`,
///   where the opaque cursor stays valid when its transaction leaves the pool.
/// - `aztec_getPoolStats`, `aztec_getPeers` / `node_getPeers`, `node_getNodeInfo`: no params.
///
/// Batches of up to ``maxBatchSize`` requests are answered in order, concurrently. Requests
/// without an `id` are notifications and get no response.
public struct JSONRPCHandler: Sendable {
    public let backend: any AztecRPCBackend
    /// Most requests in one batch. Default 100.
    public let maxBatchSize: Int
    /// Most transactions one `getPendingTransactions` call returns. Default 1,000.
    public let maxPageSize: Int

    public init(backend: any AztecRPCBackend, maxBatchSize: Int = 100, maxPageSize: Int = 1000) {
        self.backend = backend
        self.maxBatchSize = maxBatchSize
        self.maxPageSize = maxPageSize
    }

    /// The response body for `body`, or `nil` when nothing is to be sent back (only notifications).
    public func handle(body: [UInt8]) async -> [UInt8]? {
        let parsed: JSONValue
        do {
            parsed = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            return Self.serialize(Self.errorObject(id: NSNull(), JSONRPCError(.parseError, "parse error: body is not valid JSON")))
        }
        if case .array(let batch) = parsed {
            guard !batch.isEmpty else {
                return Self.serialize(Self.errorObject(id: NSNull(), JSONRPCError(.invalidRequest, "empty batch")))
            }
            guard batch.count <= maxBatchSize else {
                return Self.serialize(Self.errorObject(id: NSNull(),
                                                       JSONRPCError(.invalidRequest, "batch larger than \(maxBatchSize)")))
            }
            let requests = batch.map(Self.parseRequest)
            let responses = await withTaskGroup(of: (Int, ResponseBox?).self) { group in
                for (index, request) in requests.enumerated() {
                    group.addTask { (index, await self.respond(to: request)) }
                }
                var ordered = [ResponseBox?](repeating: nil, count: requests.count)
                for await (index, response) in group { ordered[index] = response }
                return ordered.compactMap { $0?.object }
            }
            return responses.isEmpty ? nil : Self.serialize(responses)
        }
        guard let response = await respond(to: Self.parseRequest(parsed)) else { return nil }
        return Self.serialize(response.object)
    }

    // MARK: Requests

    /// A request after the envelope checks; `Sendable` so batches can run concurrently.
    enum ParsedRequest: Sendable {
        case invalid(id: RequestID, message: String)
        case call(id: RequestID?, method: String, params: Params)
    }

    enum RequestID: Sendable {
        case string(String)
        case number(Int64)
        case double(Double)
        case null

        var json: Any {
            switch self {
            case .string(let s): s
            case .number(let n): NSNumber(value: n)
            case .double(let d): NSNumber(value: d)
            case .null: NSNull()
            }
        }
    }

    enum Param: Sendable {
        case string(String)
        case integer(Int64)
        case other(String)
        case null
    }

    enum Params: Sendable {
        case none
        case positional([Param])
        case named([String: Param])
        case invalid
    }

    struct ResponseBox: @unchecked Sendable {
        let object: Any
    }

    static func parseRequest(_ value: JSONValue) -> ParsedRequest {
        guard case .object(let object) = value else { return .invalid(id: .null, message: "request is not an object") }
        var id: RequestID?
        if let raw = object["id"] {
            guard let parsed = parseID(raw) else { return .invalid(id: .null, message: "id must be a string, number or null") }
            id = parsed
        }
        guard object["jsonrpc"] == .string("2.0") else {
            return .invalid(id: id ?? .null, message: "jsonrpc must be \"2.0\"")
        }
        guard case .string(let method)? = object["method"] else {
            return .invalid(id: id ?? .null, message: "method must be a string")
        }
        let params: Params
        switch object["params"] {
        case .none: params = .none
        case .array(let array)?: params = .positional(array.map(parseParam))
        case .object(let dictionary)?: params = .named(dictionary.mapValues(parseParam))
        default: params = .invalid
        }
        return .call(id: id, method: method, params: params)
    }

    static func parseID(_ raw: JSONValue) -> RequestID? {
        switch raw {
        case .null: .null
        case .string(let s): .string(s)
        case .integer(let i): .number(i)
        case .number(let d): .double(d)
        case .bool, .array, .object: nil
        }
    }

    static func parseParam(_ raw: JSONValue) -> Param {
        switch raw {
        case .null: .null
        case .string(let s): .string(s)
        case .integer(let i): .integer(i)
        case .number: .other("a non-integer number")
        case .bool: .other("a boolean")
        case .array: .other("an array")
        case .object: .other("an object")
        }
    }

    // MARK: Dispatch

    func respond(to request: ParsedRequest) async -> ResponseBox? {
        switch request {
        case .invalid(let id, let message):
            return ResponseBox(object: Self.errorObject(id: id.json, JSONRPCError(.invalidRequest, message)))
        case .call(let id, let method, let params):
            let outcome: Result<Any, JSONRPCError>
            do throws(JSONRPCError) {
                outcome = .success(try await call(method, params).object)
            } catch {
                outcome = .failure(error)
            }
            guard let id else { return nil }
            switch outcome {
            case .success(let result):
                return ResponseBox(object: ["jsonrpc": "2.0", "id": id.json, "result": result] as [String: Any])
            case .failure(let error):
                return ResponseBox(object: Self.errorObject(id: id.json, error))
            }
        }
    }

    func call(_ method: String, _ params: Params) async throws(JSONRPCError) -> ResponseBox {
        if case .invalid = params { throw JSONRPCError(.invalidParams, "params must be an array or an object") }
        switch method {
        case "aztec_sendTransaction", "node_sendTx":
            let text = try Self.stringParam(params, position: 0, name: "tx")
            guard let ssz = Self.decodeTransactionText(text) else {
                throw JSONRPCError(.invalidParams, "tx must be 0x-prefixed hex or base64 of the transaction's SSZ")
            }
            do {
                let hash = try await backend.submitTransaction(ssz: ssz)
                return ResponseBox(object: hash.description)
            } catch {
                throw JSONRPCError(error)
            }
        case "aztec_getTransaction", "node_getTxByHash":
            let text = try Self.stringParam(params, position: 0, name: "hash")
            guard let hash = TxHash(hex: text) else { throw JSONRPCError(.invalidParams, "hash must be 32 bytes of hex") }
            guard let entry = await backend.pooledTransaction(hash) else { return ResponseBox(object: NSNull()) }
            return ResponseBox(object: Self.entryObject(entry, includeBody: true))
        case "aztec_getPendingTransactions", "node_getPendingTxs":
            let limit = try Self.optionalIntParam(params, position: 0, name: "limit") ?? 100
            guard limit >= 1, limit <= maxPageSize else {
                throw JSONRPCError(.invalidParams, "limit must be in 1...\(maxPageSize)")
            }
            var cursor: TxPool.Cursor?
            if let text = try Self.optionalStringParam(params, position: 1, name: "after") {
                guard let parsed = TxPool.Cursor(text) else {
                    throw JSONRPCError(.invalidParams, "after must be a cursor returned as next")
                }
                cursor = parsed
            }
            let page = await backend.pendingTransactions(after: cursor, limit: Int(limit))
            let next: Any = page.count == Int(limit) ? (page.last.map { TxPool.Cursor(after: $0).description } ?? "") : NSNull()
            return ResponseBox(object: ["txs": page.map { Self.entryObject($0, includeBody: false) }, "next": next] as [String: Any])
        case "aztec_getPoolStats":
            try Self.requireNoParams(params)
            let stats = await backend.poolStatistics()
            var object: [String: Any] = ["count": stats.count, "bytes": stats.bytes,
                                         "maxTransactions": stats.maxTransactions, "maxBytes": stats.maxBytes]
            object["latestBlock"] = stats.latestBlock.map { NSNumber(value: $0) } ?? NSNull()
            return ResponseBox(object: object)
        case "aztec_getPeers", "node_getPeers":
            try Self.requireNoParams(params)
            let peers = await backend.connectedPeers()
            return ResponseBox(object: peers.map {
                ["peerId": $0.peerID, "addresses": $0.addresses, "score": $0.score, "direction": $0.direction] as [String: Any]
            })
        case "node_getNodeInfo":
            try Self.requireNoParams(params)
            return ResponseBox(object: await backend.nodeInfo())
        default:
            throw JSONRPCError(.methodNotFound, "method not found: \(method)")
        }
    }

    // MARK: Parameters

    static func param(_ params: Params, position: Int, name: String) -> Param? {
        switch params {
        case .none, .invalid: return nil
        case .positional(let list): return position < list.count ? list[position] : nil
        case .named(let map): return map[name]
        }
    }

    static func stringParam(_ params: Params, position: Int, name: String) throws(JSONRPCError) -> String {
        guard let value = try optionalStringParam(params, position: position, name: name) else {
            throw JSONRPCError(.invalidParams, "missing parameter \(name)")
        }
        return value
    }

    static func optionalStringParam(_ params: Params, position: Int, name: String) throws(JSONRPCError) -> String? {
        switch param(params, position: position, name: name) {
        case .none, .null?: return nil
        case .string(let s)?: return s
        default: throw JSONRPCError(.invalidParams, "parameter \(name) must be a string")
        }
    }

    static func optionalIntParam(_ params: Params, position: Int, name: String) throws(JSONRPCError) -> Int64? {
        switch param(params, position: position, name: name) {
        case .none, .null?: return nil
        case .integer(let i)?: return i
        default: throw JSONRPCError(.invalidParams, "parameter \(name) must be an integer")
        }
    }

    static func requireNoParams(_ params: Params) throws(JSONRPCError) {
        switch params {
        case .none: return
        case .positional(let list) where list.isEmpty: return
        case .named(let map) where map.isEmpty: return
        default: throw JSONRPCError(.invalidParams, "this method takes no parameters")
        }
    }

    /// SSZ bytes from `0x` hex or base64 text.
    static func decodeTransactionText(_ text: String) -> [UInt8]? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return HexCoding.decode(text) }
        guard let data = Data(base64Encoded: text) else { return nil }
        return [UInt8](data)
    }

    // MARK: Output

    static func entryObject(_ entry: TxPool.Entry, includeBody: Bool) -> [String: Any] {
        var object: [String: Any] = [
            "hash": entry.hash.description,
            "size": entry.size,
            "priorityFee": String(entry.priorityFee),
            "nullifiers": entry.transaction.nullifiers.map { "0x" + HexCoding.encode($0.bytes) },
        ]
        if includeBody { object["tx"] = "0x" + HexCoding.encode(entry.transaction.sszEncoded()) }
        return object
    }

    static func errorObject(id: Any, _ error: JSONRPCError) -> [String: Any] {
        ["jsonrpc": "2.0", "id": id, "error": ["code": error.code.rawValue, "message": error.message] as [String: Any]]
    }

    static func serialize(_ object: Any) -> [UInt8] {
        do { return [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed])) } catch {
            return Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error"}}"#.utf8)
        }
    }
}
