import ArgumentParser
import AsyncHTTPClient
import AztecHTTP
import AztecP2P

/// The options `tx send` and `tx load` share: the node to send to and the shape of synthetic
/// transactions.
struct TxToolOptions: ParsableArguments {
    @Option(help: "The node's JSON-RPC URL, e.g. http://127.0.0.1:8080/")
    var rpc: String

    @OptionGroup var synthetic: SyntheticTxOptions

    var size: Int { synthetic.size }

    func validate() throws {
        guard AztecRPCClient(url: rpc) != nil else { throw ValidationError("--rpc must be an http:// URL with a host") }
    }

    /// The client of `--rpc`, its calls going through `http`.
    func client(using http: HTTPClient) throws -> AztecRPCClient {
        guard let client = AztecRPCClient(url: rpc, httpClient: http) else { throw ValidationError("bad --rpc URL") }
        return client
    }

    /// The SSZ bytes of a synthetic transaction of `size` bytes bound to the chain id.
    func syntheticSSZ(priorityFee: UInt128 = 1, using rng: inout SplitMix64) -> [UInt8] {
        synthetic.ssz(priorityFee: priorityFee, using: &rng)
    }
}
