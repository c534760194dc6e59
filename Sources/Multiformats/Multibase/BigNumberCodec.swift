/// Codecs that read the bytes as one big-endian number written in radix 10, 36 or 58, with
/// each leading zero byte written as the alphabet's first character.
///
/// Both directions are quadratic in the length, so decoding is capped by
/// ``Multibase/maxBigNumberTextLength``.
enum BigNumberCodec {
    static func encode(_ data: some Collection<UInt8>, alphabet: MultibaseAlphabet, into out: inout [UInt8]) {
        let radix = UInt32(alphabet.characters.count)
        let bytes = Array(data)
        let zeros = bytes.prefix { $0 == 0 }.count
        // Little-endian digits in `radix`.
        var digits = [UInt8]()
        digits.reserveCapacity(bytes.count * 138 / 100 + 1)
        for byte in bytes[zeros...] {
            var carry = UInt32(byte)
            for index in digits.indices {
                carry += UInt32(digits[index]) << 8
                digits[index] = UInt8(carry % radix)
                carry /= radix
            }
            while carry > 0 {
                digits.append(UInt8(carry % radix))
                carry /= radix
            }
        }
        out.reserveCapacity(out.count + zeros + digits.count)
        out.append(contentsOf: repeatElement(alphabet.characters[0], count: zeros))
        for digit in digits.reversed() { out.append(alphabet.characters[Int(digit)]) }
    }

    static func decode(_ text: Substring.UTF8View, alphabet: MultibaseAlphabet) throws(MultibaseError) -> [UInt8] {
        let limit = Multibase.maxBigNumberTextLength
        guard text.count <= limit else { throw .tooLong(length: text.count, limit: limit) }
        let radix = UInt32(alphabet.characters.count)
        var zeros = 0
        var leading = true
        // Little-endian bytes of the number.
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.count)
        var offset = 0
        for character in text {
            let value = alphabet.values[Int(character)]
            guard value != 0xff else { throw .invalidCharacter(offset: offset) }
            offset += 1
            if leading {
                if value == 0 { zeros += 1; continue }
                leading = false
            }
            var carry = UInt32(value)
            for index in bytes.indices {
                carry += UInt32(bytes[index]) * radix
                bytes[index] = UInt8(truncatingIfNeeded: carry)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(truncatingIfNeeded: carry))
                carry >>= 8
            }
        }
        var out = [UInt8](repeating: 0, count: zeros)
        out.reserveCapacity(zeros + bytes.count)
        out.append(contentsOf: bytes.reversed())
        return out
    }
}
