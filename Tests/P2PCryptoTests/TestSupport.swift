/// Hex decoding for literals in tests: `nil` on anything that is not even-length hex.
func hex(_ text: String) -> [UInt8] {
    var out = [UInt8]()
    var high: UInt8?
    for c in text.utf8 {
        let nibble: UInt8
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
        default: fatalError("bad hex literal in test: \(text)")
        }
        if let h = high { out.append(h << 4 | nibble); high = nil } else { high = nibble }
    }
    precondition(high == nil, "odd-length hex literal in test")
    return out
}

func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
}

