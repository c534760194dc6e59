import AztecP2P
import FuzzSupport

/// The transaction gossip message (Snappy block of SSZ): decoding under the default limits
/// never traps; a decoded transaction re-encodes to exactly the SSZ bytes it came from (SSZ is
/// canonical), its message decodes back to the same transaction, and the structural rules
/// judge it without trapping. The input is tried both as a message and as raw SSZ.
@main enum FuzzAztecTx {
    static func main() {
        let limits = TxLimits.default
        Fuzzer.run { bytes in
            let input = Array(bytes)
            if let ssz = try? TxWireCodec.decompress(input, limits: limits) {
                check(ssz: ssz, limits: limits)
            }
            check(ssz: input, limits: limits)
        }
    }

    static func check(ssz: [UInt8], limits: TxLimits) {
        guard let tx = try? TxWireCodec.decode(ssz: ssz, limits: limits) else { return }
        precondition(tx.sszEncoded() == ssz, "SSZ re-encode changed the bytes")
        precondition((try? TxWireCodec.decode(TxWireCodec.encode(tx), limits: limits)) == tx, "message round trip changed the transaction")
        _ = tx.hash
        _ = try? TxStructuralRules.check(tx, limits: limits, latestBlock: 1)
    }
}
