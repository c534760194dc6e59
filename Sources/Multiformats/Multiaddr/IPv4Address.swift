/// An IPv4 address (four bytes, network order).
public struct IPv4Address: Sendable, Hashable, CustomStringConvertible {
    /// The address as a big-endian 32-bit number (`192.0.2.1` is `0xc000_0201`).
    public let value: UInt32

    /// The address `a.b.c.d`.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// The address from its 32-bit value.
    public init(value: UInt32) { self.value = value }

    /// The address from exactly four bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 else { return nil }
        value = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Parses dotted-quad text strictly: four decimal octets, no leading zeros, no spaces.
    public init?(_ text: some StringProtocol) {
        var octets = [UInt32]()
        for part in text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard let octet = Self.decimal(part, max: 255) else { return nil }
            octets.append(octet)
        }
        guard octets.count == 4 else { return nil }
        value = octets.reduce(0) { $0 << 8 | $1 }
    }

    /// Parses an unsigned decimal of 1...5 digits without leading zeros, at most `max`.
    static func decimal(_ digits: some Collection<UInt8>, max: UInt32) -> UInt32? {
        guard !digits.isEmpty, digits.count <= 5 else { return nil }
        if digits.count > 1 && digits.first == UInt8(ascii: "0") { return nil }
        var result: UInt32 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            result = result * 10 + UInt32(digit - UInt8(ascii: "0"))
        }
        return result <= max ? result : nil
    }

    /// The four bytes in network order.
    public var bytes: [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
         UInt8(truncatingIfNeeded: value)]
    }

    /// Dotted-quad text.
    public var description: String { bytes.map { String($0) }.joined(separator: ".") }
}
