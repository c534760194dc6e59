/// RFC 4648-style codecs: each character carries a fixed number of bits (1, 3, 4, 5 or 6),
/// most significant first, with the last character zero-filled and optional `=` padding.
enum BitPackingCodec {
    static let pad = UInt8(ascii: "=")

    /// Characters per padded block: 8 for base32, 4 for base64, 1 for the others.
    static func blockLength(bitsPerCharacter bits: Int) -> Int {
        switch bits {
        case 5: 8
        case 6: 4
        default: 1
        }
    }

    static func encode(
        _ data: some Collection<UInt8>, bits: Int, alphabet: MultibaseAlphabet, padded: Bool, into out: inout [UInt8]
    ) {
        let mask: UInt32 = (1 << UInt32(bits)) - 1
        let start = out.count
        out.reserveCapacity(start + (data.count * 8 + bits - 1) / bits + 8)
        var accumulator: UInt32 = 0
        var pending = 0
        for byte in data {
            accumulator = accumulator << 8 | UInt32(byte)
            pending += 8
            while pending >= bits {
                pending -= bits
                out.append(alphabet.characters[Int((accumulator >> UInt32(pending)) & mask)])
            }
            accumulator &= (1 << UInt32(pending)) - 1
        }
        if pending > 0 {
            out.append(alphabet.characters[Int((accumulator << UInt32(bits - pending)) & mask)])
        }
        if padded {
            let block = blockLength(bitsPerCharacter: bits)
            while (out.count - start) % block != 0 { out.append(pad) }
        }
    }

    static func decode(
        _ text: Substring.UTF8View, bits: Int, alphabet: MultibaseAlphabet, padded: Bool
    ) throws(MultibaseError) -> [UInt8] {
        var dataLength = text.count
        if padded {
            let block = blockLength(bitsPerCharacter: bits)
            guard text.count % block == 0 else { throw .invalidLength }
            var padding = 0
            var index = text.endIndex
            while index > text.startIndex {
                let previous = text.index(before: index)
                guard text[previous] == pad else { break }
                padding += 1
                index = previous
            }
            guard padding < block else { throw .invalidLength }
            dataLength -= padding
            // The padding must be exactly what the encoder adds.
            guard (dataLength + block - 1) / block * block == text.count else { throw .invalidLength }
        }
        var out = [UInt8]()
        out.reserveCapacity(dataLength * bits / 8)
        var accumulator: UInt32 = 0
        var pending = 0
        var offset = 0
        for character in text.prefix(dataLength) {
            let value = alphabet.values[Int(character)]
            guard value != 0xff else { throw .invalidCharacter(offset: offset) }
            accumulator = accumulator << UInt32(bits) | UInt32(value)
            pending += bits
            if pending >= 8 {
                pending -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(pending)))
            }
            accumulator &= (1 << UInt32(pending)) - 1
            offset += 1
        }
        guard pending < bits else { throw .invalidLength }
        guard accumulator == 0 else { throw .nonZeroTrailingBits }
        return out
    }
}
