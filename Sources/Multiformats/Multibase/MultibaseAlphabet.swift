/// An alphabet: its characters (ASCII) and a 256-entry reverse table (`0xff` = not in it).
@usableFromInline
struct MultibaseAlphabet: Sendable {
    @usableFromInline let characters: [UInt8]
    @usableFromInline let values: [UInt8]

    init(_ characters: String, caseInsensitive: Bool) {
        let ascii = Array(characters.utf8)
        var table = [UInt8](repeating: 0xff, count: 256)
        for (value, character) in ascii.enumerated() {
            table[Int(character)] = UInt8(value)
            if caseInsensitive {
                table[Int(Self.lower(character))] = UInt8(value)
                table[Int(Self.upper(character))] = UInt8(value)
            }
        }
        self.characters = ascii
        self.values = table
    }

    /// The same alphabet with its letters upper-cased (same reverse table).
    init(uppercasing other: MultibaseAlphabet) {
        self.characters = other.characters.map(Self.upper)
        self.values = other.values
    }

    private static func lower(_ c: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c) ? c + 32 : c
    }

    private static func upper(_ c: UInt8) -> UInt8 {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) ? c - 32 : c
    }

    static let base2 = MultibaseAlphabet("01", caseInsensitive: false)
    static let base8 = MultibaseAlphabet("01234567", caseInsensitive: false)
    static let base10 = MultibaseAlphabet("0123456789", caseInsensitive: false)
    static let base16 = MultibaseAlphabet("0123456789abcdef", caseInsensitive: true)
    static let base16Upper = MultibaseAlphabet(uppercasing: base16)
    static let base32 = MultibaseAlphabet("abcdefghijklmnopqrstuvwxyz234567", caseInsensitive: true)
    static let base32Upper = MultibaseAlphabet(uppercasing: base32)
    static let base32Hex = MultibaseAlphabet("0123456789abcdefghijklmnopqrstuv", caseInsensitive: true)
    static let base32HexUpper = MultibaseAlphabet(uppercasing: base32Hex)
    static let base32Z = MultibaseAlphabet("ybndrfg8ejkmcpqxot1uwisza345h769", caseInsensitive: true)
    static let base36 = MultibaseAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", caseInsensitive: true)
    static let base36Upper = MultibaseAlphabet(uppercasing: base36)
    static let base58BTC = MultibaseAlphabet(
        "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", caseInsensitive: false)
    static let base58Flickr = MultibaseAlphabet(
        "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", caseInsensitive: false)
    static let base64 = MultibaseAlphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", caseInsensitive: false)
    /// I2P's base64 alphabet (`-` and `~` for 62 and 63), used by `/garlic64`.
    static let i2pBase64 = MultibaseAlphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~", caseInsensitive: false)
    static let base64URL = MultibaseAlphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", caseInsensitive: false)
}
