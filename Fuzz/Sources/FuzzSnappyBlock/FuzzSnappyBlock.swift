import FuzzSupport
import Snappy

/// Decompresses arbitrary bytes as a Snappy block with a 1 MiB limit. Whatever decompresses
/// must be accepted by the validity check, and must survive compress + decompress unchanged;
/// whatever fails to decompress must also fail the validity check.
@main enum FuzzSnappyBlock {
    static func main() {
        Fuzzer.run { bytes in
            let limit = 1 << 20
            let valid = SnappyBlock.isValid(bytes, maxLength: limit)
            guard let output = try? SnappyBlock.decompress(bytes, maxLength: limit) else {
                precondition(!valid, "isValid accepted a block that decompress rejected")
                return
            }
            precondition(valid, "isValid rejected a block that decompress accepted")
            precondition(output.count == (try? SnappyBlock.uncompressedLength(bytes)), "length differs from preamble")
            guard let recompressed = try? SnappyBlock.compress(output) else {
                preconditionFailure("compress failed on decompressed output")
            }
            let again = try? SnappyBlock.decompress(recompressed, maxLength: output.count)
            precondition(again == output, "compress/decompress round trip changed the data")
        }
    }
}
