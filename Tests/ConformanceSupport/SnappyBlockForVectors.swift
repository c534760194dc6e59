import CSnappy

/// Decompresses a Snappy block (as the `*.ssz_snappy` vector files are stored), straight
/// through libsnappy so that vector loading does not depend on the library under test.
public enum SnappyBlockForVectors {
    public struct Invalid: Error {}

    public static func decompress(_ input: [UInt8], limit: Int = 1 << 26) throws -> [UInt8] {
        var length = 0
        let status = input.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                snappy_uncompressed_length($0.baseAddress, $0.count, &length)
            }
        }
        guard status == SNAPPY_OK, length <= limit else { throw Invalid() }
        var output = [UInt8](repeating: 0, count: length)
        var produced = length
        let result = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                source.withMemoryRebound(to: CChar.self) { s in
                    target.withMemoryRebound(to: CChar.self) { t in
                        snappy_uncompress(s.baseAddress, s.count, t.baseAddress, &produced)
                    }
                }
            }
        }
        guard result == SNAPPY_OK, produced == length else { throw Invalid() }
        return output
    }
}
