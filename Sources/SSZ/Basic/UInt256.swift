/// An unsigned 256-bit integer, the SSZ `uint256` basic type.
///
/// Only what SSZ and its users need: construction, comparison, decimal text, and byte access.
/// Stored as four 64-bit limbs, least significant first.
public struct UInt256: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The limbs, least significant first.
    public var limbs: (UInt64, UInt64, UInt64, UInt64)

    /// Zero.
    public static let zero = UInt256(limbs: (0, 0, 0, 0))
    /// 2^256 - 1.
    public static let max = UInt256(limbs: (.max, .max, .max, .max))

    /// A value from its limbs, least significant first.
    @inlinable
    public init(limbs: (UInt64, UInt64, UInt64, UInt64)) { self.limbs = limbs }

    /// A value from a 64-bit integer.
    @inlinable
    public init(_ value: UInt64) { limbs = (value, 0, 0, 0) }

    /// A value from a 128-bit integer.
    @inlinable
    public init(_ value: UInt128) { limbs = (UInt64(truncatingIfNeeded: value), UInt64(truncatingIfNeeded: value >> 64), 0, 0) }

    /// Parses decimal digits; `nil` for empty text, non-digits or values of 2^256 and above.
    public init?(decimal text: some StringProtocol) {
        guard !text.isEmpty else { return nil }
        var value = UInt256.zero
        for character in text.utf8 {
            guard character >= UInt8(ascii: "0"), character <= UInt8(ascii: "9") else { return nil }
            guard let next = value.multipliedAndAdded(10, UInt64(character - UInt8(ascii: "0"))) else { return nil }
            value = next
        }
        self = value
    }

    /// `self * factor + addend`, or `nil` on overflow.
    func multipliedAndAdded(_ factor: UInt64, _ addend: UInt64) -> UInt256? {
        var words = [limbs.0, limbs.1, limbs.2, limbs.3]
        var carry = addend
        for index in 0 ..< 4 {
            let (high, low) = words[index].multipliedFullWidth(by: factor)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            words[index] = sum
            carry = high &+ (overflow ? 1 : 0)
        }
        guard carry == 0 else { return nil }
        return UInt256(limbs: (words[0], words[1], words[2], words[3]))
    }

    /// `self / divisor` and the remainder, for a 64-bit divisor.
    func dividedWithRemainder(by divisor: UInt64) -> (UInt256, UInt64) {
        var words = [limbs.3, limbs.2, limbs.1, limbs.0]
        var remainder: UInt64 = 0
        for index in 0 ..< 4 {
            let (quotient, rest) = divisor.dividingFullWidth((remainder, words[index]))
            words[index] = quotient
            remainder = rest
        }
        return (UInt256(limbs: (words[3], words[2], words[1], words[0])), remainder)
    }

    /// Whether all four limbs are equal.
    public static func == (lhs: UInt256, rhs: UInt256) -> Bool {
        lhs.limbs.0 == rhs.limbs.0 && lhs.limbs.1 == rhs.limbs.1 && lhs.limbs.2 == rhs.limbs.2 && lhs.limbs.3 == rhs.limbs.3
    }

    /// Numeric order (most significant limb first).
    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        (lhs.limbs.3, lhs.limbs.2, lhs.limbs.1, lhs.limbs.0) < (rhs.limbs.3, rhs.limbs.2, rhs.limbs.1, rhs.limbs.0)
    }

    /// Hashes the four limbs, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(limbs.0); hasher.combine(limbs.1); hasher.combine(limbs.2); hasher.combine(limbs.3)
    }

    /// Decimal digits.
    public var description: String {
        if self == .zero { return "0" }
        var digits: [UInt8] = []
        var value = self
        while value != .zero {
            let (quotient, remainder) = value.dividedWithRemainder(by: 10)
            digits.append(UInt8(ascii: "0") + UInt8(remainder))
            value = quotient
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}

extension UInt256: SSZType {
    /// Always 32 bytes.
    @inlinable public static var sszFixedSize: Int? { 32 }
    /// 32 bytes: one value per chunk.
    @inlinable public static var sszPackedSize: Int? { 32 }
    /// Always 32 bytes.
    @inlinable public var sszEncodedLength: Int { 32 }

    /// Writes the value little-endian in 32 bytes.
    @inlinable
    public func encodeSSZ(into writer: inout SSZWriter) {
        writer.writeLittleEndian(limbs.0)
        writer.writeLittleEndian(limbs.1)
        writer.writeLittleEndian(limbs.2)
        writer.writeLittleEndian(limbs.3)
    }

    /// Decodes a little-endian value; throws ``SSZError/Code/wrongSize`` unless `bytes` is exactly 32 bytes.
    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        guard bytes.count == 32 else { throw .make(.wrongSize) }
        limbs = (
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
    }

    /// The 32 little-endian bytes themselves.
    @inlinable
    public func hashTreeRoot() -> SSZRoot {
        SSZRoot(storage: (limbs.0.littleEndian, limbs.1.littleEndian, limbs.2.littleEndian, limbs.3.littleEndian))
    }
}
