import FuzzSupport
import RLP

// Strict RLP: whatever decodes must be canonical, so re-encoding gives the input back, and the
// tree decoder, the validator and the zero-copy reader must agree on acceptance.
@main enum FuzzRLP {
    static func main() {
        let limits = RLPLimits(maximumDepth: 16, maximumItemCount: 4_096, maximumInputLength: 1 << 16)
        Fuzzer.run { bytes in
            let input = [UInt8](bytes)
            let decoded: RLPItem
            do {
                decoded = try RLP.decode(input, limits: limits)
            } catch {
                precondition((try? RLP.validate(input[...], limits: limits)) == nil, "validate accepted what decode rejected")
                return
            }
            precondition(decoded.encoded == input, "RLP re-encoding differs from the accepted input")
            precondition(decoded.encodedCount == input.count, "encodedCount differs from the input length")
            precondition((try? RLP.validate(input[...], limits: limits)) != nil, "validate rejected what decode accepted")
            var reader = RLPReader(input[...], limits: limits)
            let whole = try? reader.readEncodedItem()
            precondition(whole.map(Array.init) == input && reader.isAtEnd, "reader disagrees with decode")
        }
    }
}
