/// The multibase encodings: a prefix character naming the base, then the encoded bytes.
///
/// ```swift
/// Multibase.base32.encode(bytes)             // "b..."
/// let (base, bytes) = try Multibase.decode("zQm...")
/// ```
/// Decoding is case-insensitive for the bases whose alphabets are (base16, base32*, base36),
/// requires exact padding for the padded variants, and rejects non-zero trailing bits.
public enum Multibase: String, Sendable, Hashable, CaseIterable {
    /// `\0`: the bytes themselves, unencoded.
    case identity
    /// `0`: binary digits, eight per byte.
    case base2
    /// `7`: octal, 3 bits per digit.
    case base8
    /// `9`: decimal, the bytes read as one big number.
    case base10
    /// `f`: lowercase hex.
    case base16
    /// `F`: uppercase hex.
    case base16Upper = "base16upper"
    /// `b`: RFC 4648 base32, lowercase, unpadded (libp2p's CID text form).
    case base32
    /// `B`: RFC 4648 base32, uppercase, unpadded.
    case base32Upper = "base32upper"
    /// `c`: RFC 4648 base32, lowercase, padded.
    case base32Pad = "base32pad"
    /// `C`: RFC 4648 base32, uppercase, padded.
    case base32PadUpper = "base32padupper"
    /// `v`: base32 with the extended-hex alphabet, lowercase, unpadded.
    case base32Hex = "base32hex"
    /// `V`: base32hex, uppercase, unpadded.
    case base32HexUpper = "base32hexupper"
    /// `t`: base32hex, lowercase, padded.
    case base32HexPad = "base32hexpad"
    /// `T`: base32hex, uppercase, padded.
    case base32HexPadUpper = "base32hexpadupper"
    /// `h`: z-base-32 (human-oriented alphabet).
    case base32Z = "base32z"
    /// `k`: base36 (big number), lowercase.
    case base36
    /// `K`: base36 (big number), uppercase.
    case base36Upper = "base36upper"
    /// `z`: base58, Bitcoin alphabet (the alphabet of legacy peer id text, which has no prefix).
    case base58BTC = "base58btc"
    /// `Z`: base58 with the Flickr alphabet.
    case base58Flickr = "base58flickr"
    /// `m`: RFC 4648 base64, unpadded.
    case base64
    /// `M`: RFC 4648 base64, padded.
    case base64Pad = "base64pad"
    /// `u`: RFC 4648 base64url, unpadded.
    case base64URL = "base64url"
    /// `U`: RFC 4648 base64url, padded.
    case base64URLPad = "base64urlpad"
    /// `🚀`: one emoji per byte.
    case base256Emoji = "base256emoji"

    /// The longest text (after the prefix) the quadratic radix-10/36/58 decoders accept.
    public static let maxBigNumberTextLength = 4096
    /// The longest text the other decoders accept by default.
    public static let defaultMaxTextLength = 1 << 20

    /// The multibase name (as in the multibase table), e.g. `base58btc`.
    public var name: String { rawValue }

    /// The prefix character.
    public var prefix: Character {
        switch self {
        case .identity: "\u{0}"
        case .base2: "0"
        case .base8: "7"
        case .base10: "9"
        case .base16: "f"
        case .base16Upper: "F"
        case .base32: "b"
        case .base32Upper: "B"
        case .base32Pad: "c"
        case .base32PadUpper: "C"
        case .base32Hex: "v"
        case .base32HexUpper: "V"
        case .base32HexPad: "t"
        case .base32HexPadUpper: "T"
        case .base32Z: "h"
        case .base36: "k"
        case .base36Upper: "K"
        case .base58BTC: "z"
        case .base58Flickr: "Z"
        case .base64: "m"
        case .base64Pad: "M"
        case .base64URL: "u"
        case .base64URLPad: "U"
        case .base256Emoji: "\u{1F680}"
        }
    }

    /// The encoding a prefix character names, if supported.
    public init?(prefix: Character) {
        guard let base = Multibase.allCases.first(where: { $0.prefix == prefix }) else { return nil }
        self = base
    }

    private enum Scheme {
        case identity
        case bits(Int, MultibaseAlphabet, padded: Bool)
        case bigNumber(MultibaseAlphabet)
        case emoji
    }

    private var scheme: Scheme {
        switch self {
        case .identity: .identity
        case .base2: .bits(1, .base2, padded: false)
        case .base8: .bits(3, .base8, padded: false)
        case .base10: .bigNumber(.base10)
        case .base16: .bits(4, .base16, padded: false)
        case .base16Upper: .bits(4, .base16Upper, padded: false)
        case .base32: .bits(5, .base32, padded: false)
        case .base32Upper: .bits(5, .base32Upper, padded: false)
        case .base32Pad: .bits(5, .base32, padded: true)
        case .base32PadUpper: .bits(5, .base32Upper, padded: true)
        case .base32Hex: .bits(5, .base32Hex, padded: false)
        case .base32HexUpper: .bits(5, .base32HexUpper, padded: false)
        case .base32HexPad: .bits(5, .base32Hex, padded: true)
        case .base32HexPadUpper: .bits(5, .base32HexUpper, padded: true)
        case .base32Z: .bits(5, .base32Z, padded: false)
        case .base36: .bigNumber(.base36)
        case .base36Upper: .bigNumber(.base36Upper)
        case .base58BTC: .bigNumber(.base58BTC)
        case .base58Flickr: .bigNumber(.base58Flickr)
        case .base64: .bits(6, .base64, padded: false)
        case .base64Pad: .bits(6, .base64, padded: true)
        case .base64URL: .bits(6, .base64URL, padded: false)
        case .base64URLPad: .bits(6, .base64URL, padded: true)
        case .base256Emoji: .emoji
        }
    }

    /// `data` encoded with this base, prefix included.
    ///
    /// For ``identity`` the bytes become the text as UTF-8; bytes that are not valid UTF-8 are
    /// replaced by U+FFFD, so only UTF-8 data round-trips through the identity base.
    public func encode(_ data: some Collection<UInt8>) -> String {
        String(prefix) + encodeWithoutPrefix(data)
    }

    /// `data` encoded with this base, without the prefix (e.g. a legacy base58btc peer id).
    public func encodeWithoutPrefix(_ data: some Collection<UInt8>) -> String {
        var out = [UInt8]()
        switch scheme {
        case .identity:
            return String(decoding: Array(data), as: UTF8.self)
        case .emoji:
            return Base256EmojiCodec.encode(data)
        case .bits(let bits, let alphabet, let padded):
            BitPackingCodec.encode(data, bits: bits, alphabet: alphabet, padded: padded, into: &out)
        case .bigNumber(let alphabet):
            BigNumberCodec.encode(data, alphabet: alphabet, into: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `text` (without a prefix) in this base.
    public func decodeWithoutPrefix(
        _ text: Substring, maxLength: Int = Multibase.defaultMaxTextLength
    ) throws(MultibaseError) -> [UInt8] {
        let utf8 = text.utf8
        guard utf8.count <= maxLength else { throw .tooLong(length: utf8.count, limit: maxLength) }
        switch scheme {
        case .identity:
            return Array(utf8)
        case .emoji:
            return try Base256EmojiCodec.decode(text)
        case .bits(let bits, let alphabet, let padded):
            return try BitPackingCodec.decode(utf8, bits: bits, alphabet: alphabet, padded: padded)
        case .bigNumber(let alphabet):
            return try BigNumberCodec.decode(utf8, alphabet: alphabet)
        }
    }

    /// Decodes multibase text: the base its prefix names, and the bytes.
    public static func decode(
        _ text: some StringProtocol, maxLength: Int = Multibase.defaultMaxTextLength
    ) throws(MultibaseError) -> (base: Multibase, bytes: [UInt8]) {
        let text = Substring(text)
        guard let first = text.first else { throw .empty }
        guard let base = Multibase(prefix: first) else { throw .unknownPrefix(first) }
        let bytes = try base.decodeWithoutPrefix(text[text.index(after: text.startIndex)...], maxLength: maxLength)
        return (base, bytes)
    }
}
