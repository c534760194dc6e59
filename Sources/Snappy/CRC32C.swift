/// CRC-32C (Castagnoli, reflected polynomial `0x82F63B78`), as used by the Snappy framing
/// format (RFC 3720 section 12.1), computed with a table-driven slice-by-8 loop.
public enum CRC32C {
    /// The reflected Castagnoli polynomial.
    public static let polynomial: UInt32 = 0x82F6_3B78

    /// Eight 256-entry tables laid out back to back: table `k` gives the CRC contribution of a
    /// byte followed by `k` zero bytes.
    @usableFromInline
    static let tables: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ ((crc & 1) &* polynomial) }
            table[byte] = crc
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = table[(slice - 1) * 256 + byte]
                table[slice * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xff)]
            }
        }
        return table
    }()

    /// The CRC-32C of `bytes`.
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    /// The CRC-32C of `bytes`.
    @inlinable
    public static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        if let crc = bytes.withContiguousStorageIfAvailable({ update(0, UnsafeRawBufferPointer($0)) }) {
            return crc
        }
        return Array(bytes).withUnsafeBytes { update(0, $0) }
    }

    /// Continues a CRC-32C: `update(checksum(a), b) == checksum(a + b)`.
    @inlinable
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        tables.withUnsafeBufferPointer { table in
            guard let table = table.baseAddress else { return crc }
            return update(crc, bytes, table: table)
        }
    }

    @inlinable
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer, table t: UnsafePointer<UInt32>) -> UInt32 {
        var crc = ~crc
        guard let base = bytes.baseAddress else { return ~crc }
        var index = 0
        let count = bytes.count
        while count - index >= 8 {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let low = UInt32(truncatingIfNeeded: word) ^ crc
            let high = UInt32(truncatingIfNeeded: word >> 32)
            crc = t[7 * 256 + Int(low & 0xff)]
                ^ t[6 * 256 + Int((low >> 8) & 0xff)]
                ^ t[5 * 256 + Int((low >> 16) & 0xff)]
                ^ t[4 * 256 + Int(low >> 24)]
                ^ t[3 * 256 + Int(high & 0xff)]
                ^ t[2 * 256 + Int((high >> 8) & 0xff)]
                ^ t[1 * 256 + Int((high >> 16) & 0xff)]
                ^ t[Int(high >> 24)]
            index &+= 8
        }
        while index < count {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            crc = (crc >> 8) ^ t[Int((crc ^ UInt32(byte)) & 0xff)]
            index &+= 1
        }
        return ~crc
    }

    /// Masks a CRC as the Snappy framing format stores it: rotate right by 15 bits, then add
    /// `0xa282ead8` with wraparound.
    @inlinable
    public static func mask(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }

    /// Undoes ``mask(_:)``.
    @inlinable
    public static func unmask(_ masked: UInt32) -> UInt32 {
        let rotated = masked &- 0xA282_EAD8
        return (rotated << 15) | (rotated >> 17)
    }
}
