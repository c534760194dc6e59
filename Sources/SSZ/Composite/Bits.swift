/// Packed-bit helpers shared by the bitfield types (bit `i` is bit `i % 8` of byte `i / 8`).
@usableFromInline
enum Bits {
    /// Parses a bitlist serialization: returns the packed bits without the delimiter and the bit count.
    @inlinable
    static func decodeBitlist(_ bytes: UnsafeRawBufferPointer, limit: Int?) throws(SSZError) -> (bytes: [UInt8], count: Int) {
        guard let last = bytes.last, last != 0 else { throw .make(.missingBitlistDelimiter) }
        let highest = 7 - last.leadingZeroBitCount
        let count = (bytes.count - 1) * 8 + highest
        if let limit, count > limit { throw .make(.limitExceeded) }
        var packed = Array(bytes[0 ..< (count + 7) / 8])
        if highest > 0 { packed[packed.count - 1] = last & ~(1 << UInt8(highest)) }
        return (packed, count)
    }

    /// Serializes packed bits plus the delimiter bit.
    @inlinable
    static func encodeBitlist(_ packed: [UInt8], count: Int, into writer: inout SSZWriter) {
        let full = count / 8
        packed.withUnsafeBytes { writer.write(UnsafeRawBufferPointer(rebasing: $0[0 ..< full])) }
        let tail: UInt8 = count % 8 == 0 ? 0 : packed[full]
        writer.writeByte(tail | (1 << UInt8(count % 8)))
    }

    /// The leaf chunks of packed bits.
    @inlinable
    static func fill(_ packed: [UInt8], _ buffer: UnsafeMutableRawBufferPointer) {
        packed.withUnsafeBytes { source in
            if source.count > 0 { buffer.baseAddress.unsafelyUnwrapped.copyMemory(from: source.baseAddress.unsafelyUnwrapped, byteCount: source.count) }
        }
    }

    @inlinable
    static func get(_ packed: [UInt8], _ index: Int) -> Bool { packed[index / 8] & (1 << UInt8(index % 8)) != 0 }

    @inlinable
    static func set(_ packed: inout [UInt8], _ index: Int, _ value: Bool) {
        if value { packed[index / 8] |= 1 << UInt8(index % 8) } else { packed[index / 8] &= ~(1 << UInt8(index % 8)) }
    }

    @inlinable
    static func pack(_ bits: some Sequence<Bool>) -> (bytes: [UInt8], count: Int) {
        var packed: [UInt8] = []
        var count = 0
        for bit in bits {
            if count % 8 == 0 { packed.append(0) }
            if bit { packed[count / 8] |= 1 << UInt8(count % 8) }
            count += 1
        }
        return (packed, count)
    }
}
