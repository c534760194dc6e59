import ArgumentParser
import AztecP2P

/// The options the `tx` tools share: the node to send to and the shape of synthetic
/// transactions.
struct TxToolOptions: ParsableArguments {
    @Option(help: "The node's JSON-RPC URL, e.g. http://127.0.0.1:8080/")
    var rpc: String

    @Option(help: "A synthetic transaction's SSZ size in bytes.")
    var size = 40_000

    @Option(help: "The Aztec chain id synthetic transactions are bound to.")
    var chainID: UInt64 = 1

    func validate() throws {
        guard size > 0, size <= 1 << 20 else { throw ValidationError("--size must be in 1...1048576") }
        guard AztecRPCClient(url: rpc) != nil else { throw ValidationError("--rpc must be an http:// URL with a host") }
    }

    func client() throws -> AztecRPCClient {
        guard let client = AztecRPCClient(url: rpc) else { throw ValidationError("bad --rpc URL") }
        return client
    }

    /// The SSZ bytes of a synthetic transaction of `size` bytes bound to `chainID`.
    func syntheticSSZ(priorityFee: UInt128 = 1, using rng: inout SplitMix64) -> [UInt8] {
        var limits = TxLimits.default
        limits.aztecChainID = chainID
        return SyntheticTransactions.make(size: size, priorityFee: priorityFee, limits: limits, using: &rng).sszEncoded()
    }
}
