import Foundation

/// JSON-RPC 2.0 over any transport: a request body in, a response body out (sans-IO; the HTTP
/// adapter is `JSONRPCHTTPServer`).
///
/// Methods (the `node_*` names are aliases from the API):
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
///
/// Limits against hostile bodies: JSON nested deeper than ``maxDepth`` is a parse error before any
/// of it is looked at (`JSONParser` is linear in the body); a batch's responses are written in
/// order until they reach ``maxResponseBytes``, and every later response in it is a
/// ``JSONRPCErrorCode/responseTooLarge`` error, so a small batch of `getTransaction` calls cannot
/// make the node write megabytes.
public struct JSONRPCHandler: Sendable {
    /// What the methods call (usually an ``AztecTxService``).
    public let backend: any AztecRPCBackend
    /// Most requests in one batch. Default 100.
    public let maxBatchSize: Int
    /// Most transactions one `getPendingTransactions` call returns. Default 1,000.
    public let maxPageSize: Int
    /// Deepest JSON nesting accepted. Default 16 (a batch of requests with structured params needs 4).
    public let maxDepth: Int
    /// Most bytes of results in one response; later results of a batch become errors. Default 2 MiB
    /// (four of the largest transactions, hex-encoded, fit).
    public let maxResponseBytes: Int

    /// A handler over `backend` with the given limits (the defaults are described on each property).
    public init(backend: any AztecRPCBackend, maxBatchSize: Int = 100, maxPageSize: Int = 1000,
                maxDepth: Int = 16, maxResponseBytes: Int = 2 << 20) {
        self.backend = backend
        self.maxBatchSize = maxBatchSize
        self.maxPageSize = maxPageSize
        self.maxDepth = maxDepth
        self.maxResponseBytes = maxResponseBytes
    }

    /// The response body for `body`, or `nil` when nothing is to be sent back (only notifications).
    public func handle(body: [UInt8]) async -> [UInt8]? {
        let parsed: JSONValue
        do {
            parsed = try JSONParser(maxDepth: maxDepth).parse(body)
        } catch {
            let message: String
            if case .tooDeep = error.kind { message = "parse error: \(error)" } else { message = "parse error: body is not valid JSON (\(error))" }
            return Self.errorObject(id: .null, JSONRPCError(.parseError, message)).serialized
        }
        if case .array(let batch) = parsed {
            guard !batch.isEmpty else {
                return Self.errorObject(id: .null, JSONRPCError(.invalidRequest, "empty batch")).serialized
            }
            guard batch.count <= maxBatchSize else {
                return Self.errorObject(id: .null, JSONRPCError(.invalidRequest, "batch larger than \(maxBatchSize)")).serialized
            }
            let requests = batch.map(Self.parseRequest)
            let responses = await withTaskGroup(of: (Int, JSONOutput?).self) { group in
                for (index, request) in requests.enumerated() {
                    group.addTask { (index, await self.respond(to: request)) }
                }
                var ordered = [JSONOutput?](repeating: nil, count: requests.count)
                for await (index, response) in group { ordered[index] = response }
                return ordered
            }
            return batchBody(requests: requests, responses: responses)
        }
        let request = Self.parseRequest(parsed)
        guard let response = await respond(to: request) else { return nil }
        let bytes = response.serialized
        guard bytes.count > maxResponseBytes, case .call(let id?, _, _) = request else { return bytes }
        return Self.errorObject(id: id.json, Self.tooLarge(maxResponseBytes)).serialized
    }

    /// A batch's responses in order, each replaced by an error once the budget is spent.
    func batchBody(requests: [ParsedRequest], responses: [JSONOutput?]) -> [UInt8]? {
        var out: [UInt8] = [UInt8(ascii: "[")]
        var written = 0
        for (request, response) in zip(requests, responses) {
            guard let response else { continue }
            var bytes = response.serialized
            if out.count + bytes.count > maxResponseBytes {
                let id: JSONOutput
                switch request {
                case .call(let requestID?, _, _): id = requestID.json
                case .invalid(let requestID, _): id = requestID.json
                case .call(nil, _, _): continue
                }
                bytes = Self.errorObject(id: id, Self.tooLarge(maxResponseBytes)).serialized
            }
            if written > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: bytes)
            written += 1
        }
        guard written > 0 else { return nil }
        out.append(UInt8(ascii: "]"))
        return out
    }

    static func tooLarge(_ limit: Int) -> JSONRPCError {
        JSONRPCError(.responseTooLarge, "response larger than \(limit) bytes: request fewer results at a time")
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
        /// Any other number, as its text (echoed back unchanged).
        case numberText(String)
        case null

        var json: JSONOutput {
            switch self {
            case .string(let s): .string(s)
            case .number(let n): .integer(n)
            case .numberText(let text): .number(text)
            case .null: .null
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
        case .number(let text): .numberText(text)
        case .bool, .array, .object: nil
        }
    }

    static func parseParam(_ raw: JSONValue) -> Param {
        switch raw {
        case .null: .null
        case .string(let s): .string(s)
        case .integer(let i): .integer(i)
        case .number: .other("a non-integer number or one outside the 64-bit range")
        case .bool: .other("a boolean")
        case .array: .other("an array")
        case .object: .other("an object")
        }
    }

    // MARK: Dispatch

    func respond(to request: ParsedRequest) async -> JSONOutput? {
        switch request {
        case .invalid(let id, let message):
            return Self.errorObject(id: id.json, JSONRPCError(.invalidRequest, message))
        case .call(let id, let method, let params):
            let outcome: Result<JSONOutput, JSONRPCError>
            do throws(JSONRPCError) {
                outcome = .success(try await call(method, params))
            } catch {
                outcome = .failure(error)
            }
            guard let id else { return nil }
            switch outcome {
            case .success(let result):
                return .object([.init("jsonrpc", .string("2.0")), .init("id", id.json), .init("result", result)])
            case .failure(let error):
                return Self.errorObject(id: id.json, error)
            }
        }
    }

    func call(_ method: String, _ params: Params) async throws(JSONRPCError) -> JSONOutput {
        if case .invalid = params { throw JSONRPCError(.invalidParams, "params must be an array or an object") }
        switch method {
        case "aztec_sendTransaction", "node_sendTx":
            let text = try Self.stringParam(params, position: 0, name: "tx")
            guard let ssz = Self.decodeTransactionText(text) else {
                throw JSONRPCError(.invalidParams, "tx must be 0x-prefixed hex or base64 of the transaction's SSZ")
            }
            do {
                let hash = try await backend.submitTransaction(ssz: ssz)
                return .string(hash.description)
            } catch {
                throw JSONRPCError(error)
            }
        case "aztec_getTransaction", "node_getTxByHash":
            let text = try Self.stringParam(params, position: 0, name: "hash")
            guard let hash = TxHash(hex: text) else { throw JSONRPCError(.invalidParams, "hash must be 32 bytes of hex") }
            guard let entry = await backend.pooledTransaction(hash) else { return .null }
            return Self.entryObject(entry, includeBody: true)
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
            let next: JSONOutput = page.count == Int(limit) ? .string(page.last.map { TxPool.Cursor(after: $0).description } ?? "") : .null
            return .object([.init("txs", .array(page.map { Self.entryObject($0, includeBody: false) })), .init("next", next)])
        case "aztec_getPoolStats":
            try Self.requireNoParams(params)
            let stats = await backend.poolStatistics()
            let latest: JSONOutput = stats.latestBlock.map { .number(String($0)) } ?? .null
            return .object([.init("count", .int(stats.count)), .init("bytes", .int(stats.bytes)),
                            .init("maxTransactions", .int(stats.maxTransactions)), .init("maxBytes", .int(stats.maxBytes)),
                            .init("latestBlock", latest)])
        case "aztec_getPeers", "node_getPeers":
            try Self.requireNoParams(params)
            let peers = await backend.connectedPeers()
            return .array(peers.map {
                .object([.init("peerId", .string($0.peerID)), .init("addresses", .array($0.addresses.map(JSONOutput.string))),
                         .init("score", .double($0.score)), .init("direction", .string($0.direction))])
            })
        case "node_getNodeInfo":
            try Self.requireNoParams(params)
            return .object(await backend.nodeInfo().sorted { $0.key < $1.key }.map { .init($0.key, .string($0.value)) })
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

    static func entryObject(_ entry: TxPool.Entry, includeBody: Bool) -> JSONOutput {
        var members: [JSONOutput.Member] = [
            .init("hash", .string(entry.hash.description)),
            .init("size", .int(entry.size)),
            .init("priorityFee", .string(String(entry.priorityFee))),
            .init("nullifiers", .array(entry.transaction.nullifiers.map { .string("0x" + HexCoding.encode($0.bytes)) })),
        ]
        if includeBody { members.append(.init("tx", .string("0x" + HexCoding.encode(TxWireCodec.ssz(entry.transaction))))) }
        return .object(members)
    }

    static func errorObject(id: JSONOutput, _ error: JSONRPCError) -> JSONOutput {
        .object([.init("jsonrpc", .string("2.0")), .init("id", id),
                 .init("error", .object([.init("code", .int(error.code.rawValue)), .init("message", .string(error.message))]))])
    }
}
