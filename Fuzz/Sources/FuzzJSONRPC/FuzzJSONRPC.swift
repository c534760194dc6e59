import AztecP2P
import Dispatch
import Foundation
import FuzzSupport

/// The JSON-RPC handler on any request body: it never traps or hangs, and answers either
/// nothing (only notifications) or a JSON object or array of responses, each with `jsonrpc`
/// 2.0 and exactly one of `result` and `error` (with an integer code).
@main enum FuzzJSONRPC {
    /// A backend with an empty pool and no peers that decodes what is submitted.
    struct Backend: AztecRPCBackend {
        func submitTransaction(ssz: [UInt8]) async throws(TxSubmitError) -> TxHash {
            do { return try TxWireCodec.decode(ssz: ssz, limits: .default).hash } catch { throw .invalid(error) }
        }
        func pooledTransaction(_ hash: TxHash) async -> TxPool.Entry? { nil }
        func pendingTransactions(after cursor: TxPool.Cursor?, limit: Int) async -> [TxPool.Entry] { [] }
        func poolStatistics() async -> TxPool.Stats { TxPool(config: .default).stats }
        func connectedPeers() async -> [PeerSummary] { [] }
        func nodeInfo() async -> [String: String] { ["peerId": "fuzz"] }
    }

    final class Box: @unchecked Sendable { var value: [UInt8]?? }

    static func main() {
        let handler = JSONRPCHandler(backend: Backend())
        Fuzzer.run { bytes in
            let body = Array(bytes)
            let box = Box()
            let done = DispatchSemaphore(value: 0)
            // Detached: `main` runs on the main actor, which the semaphore below blocks.
            Task.detached {
                box.value = .some(await handler.handle(body: body))
                done.signal()
            }
            precondition(done.wait(timeout: .now() + 10) == .success, "handler hung")
            guard case let response?? = box.value else { return }
            guard let json = try? JSONSerialization.jsonObject(with: Data(response)) else {
                preconditionFailure("response is not JSON")
            }
            let responses = (json as? [[String: Any]]) ?? [(json as? [String: Any]) ?? [:]]
            precondition(!responses.isEmpty, "empty batch response")
            for r in responses {
                precondition(r["jsonrpc"] as? String == "2.0", "missing jsonrpc 2.0")
                precondition((r["result"] == nil) != (r["error"] == nil), "result and error both or neither")
                if let error = r["error"] {
                    precondition(((error as? [String: Any])?["code"] as? Int) != nil, "error without integer code")
                }
            }
        }
    }
}
