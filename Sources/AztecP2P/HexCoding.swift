/// Hex text for hashes and transaction bytes (JSON-RPC). Hand-written because neither the
/// standard library nor Foundation has a hex codec.
public enum HexCoding {
    @usableFromInline static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lowercase hex of `bytes`, no prefix.
    @inlinable
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of hex text with or without `0x`; `nil` on odd length or a non-hex character.
    ///
    /// Works on contiguous UTF-8 (one copy first if the string is bridged or not contiguous), so
    /// an 80 KB hex transaction decodes at memory speed.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var string = String(text)
        return string.withUTF8 { decode(utf8: $0) }
    }

    /// The bytes of hex UTF-8 with or without `0x`; `nil` on odd length or a non-hex character.
    public static func decode(utf8 input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var start = 0
        if input.count >= 2, input[0] == UInt8(ascii: "0"), input[1] | 0x20 == UInt8(ascii: "x") { start = 2 }
        let digits = input.count - start
        guard digits % 2 == 0 else { return nil }
        var valid = true
        let bytes = nibbleTable.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: digits / 2) { buffer, initialized in
                var i = start
                var o = 0
                // The table has 256 entries: any byte indexes it without a check.
                while i < input.count {
                    let high = table[Int(input[i])]
                    let low = table[Int(input[i + 1])]
                    if high | low > 0x0F { valid = false; break }
                    buffer[o] = high << 4 | low
                    o += 1
                    i += 2
                }
                initialized = o
            }
        }
        return valid ? bytes : nil
    }

    /// 0...15 for hex digits, 0xFF for anything else.
    static let nibbleTable: [UInt8] = (0...255).map { c in
        switch UInt8(c) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(c) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(c) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(c) - UInt8(ascii: "A") + 10
        default: 0xFF
        }
    }
}
