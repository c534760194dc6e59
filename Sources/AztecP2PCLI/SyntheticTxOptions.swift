import ArgumentParser
import AztecP2P

/// The shape of the synthetic transactions the `tx` tools build: size and chain id.
struct SyntheticTxOptions: ParsableArguments {
    @Option(help: "A synthetic transaction's SSZ size in bytes.")
    var size = 40_000

    @Option(help: "The Aztec chain id synthetic transactions are bound to.")
    var chainID: UInt64 = 1

    func validate() throws {
        guard size > 0, size <= 1 << 20 else { throw ValidationError("--size must be in 1...1048576") }
    }

    /// The SSZ bytes of a synthetic transaction of `size` bytes bound to `chainID`.
    func ssz(priorityFee: UInt128 = 1, using rng: inout SplitMix64) -> [UInt8] {
        var limits = TxLimits.default
        limits.aztecChainID = chainID
        return SyntheticTransactions.make(size: size, priorityFee: priorityFee, limits: limits, using: &rng).sszEncoded()
    }
}
