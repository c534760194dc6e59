import FuzzSupport
import Snappy

/// Decodes arbitrary bytes as a Snappy framed stream with a 1 MiB limit, both as a whole
/// buffer and through the incremental decoder fed in pieces (sized from the input's first
/// byte): both must agree. Whatever decodes must survive encode + decode unchanged.
@main enum FuzzSnappyFrame {
    static func main() {
        Fuzzer.run { bytes in
            let limit = 1 << 20
            let whole = try? SnappyFrame.decode(bytes, maxLength: limit)
            let pieceSize = bytes.isEmpty ? 1 : Int(bytes[0] % 64) + 1
            let incremental = decodeIncrementally(bytes, pieceSize: pieceSize, limit: limit)
            precondition(whole == incremental, "incremental and whole-buffer decoding disagree")
            guard let output = whole else { return }
            let framed = SnappyFrame.encode(output)
            let again = try? SnappyFrame.decode(framed, maxLength: output.count)
            precondition(again == output, "encode/decode round trip changed the data")
        }
    }

    static func decodeIncrementally(_ bytes: UnsafeRawBufferPointer, pieceSize: Int, limit: Int) -> [UInt8]? {
        var decoder = SnappyFrameDecoder(maxTotalLength: limit)
        var output: [UInt8] = []
        var offset = 0
        do {
            while offset < bytes.count {
                let end = min(offset + pieceSize, bytes.count)
                decoder.append(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                while let chunk = try decoder.next() { output += chunk }
                offset = end
            }
            try decoder.finish()
        } catch {
            return nil
        }
        return output
    }
}
