/// An IPv6 address (sixteen bytes, network order).
public struct IPv6Address: Sendable, Hashable, CustomStringConvertible {
    /// The sixteen bytes in network order.
    public let bytes: [UInt8]

    /// The address from exactly sixteen bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        self.bytes = Array(bytes)
    }

    /// Parses RFC 4291 text: eight groups of 1-4 hex digits, one `::` for a run of zero groups,
    /// optionally ending in a dotted-quad IPv4 address. Zones (`%eth0`) are not part of the
    /// address (multiaddr carries them in `/ip6zone`).
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8.count <= 45 else { return nil }
        let colon = UInt8(ascii: ":")
        // Split at the one `::`, if any.
        var doubleColon: Int?
        for index in 0..<(utf8.count - 1) where utf8[index] == colon && utf8[index + 1] == colon {
            guard doubleColon == nil else { return nil }
            doubleColon = index
        }
        let head: [UInt16]
        let tail: [UInt16]
        if let split = doubleColon {
            guard let left = Self.groups(utf8[..<split], allowIPv4: false),
                  let right = Self.groups(utf8[(split + 2)...], allowIPv4: true),
                  left.count + right.count <= 7
            else { return nil }
            (head, tail) = (left, right)
        } else {
            guard let all = Self.groups(utf8[...], allowIPv4: true), all.count == 8 else { return nil }
            (head, tail) = (all, [])
        }
        let all = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        self.bytes = all.flatMap { [UInt8($0 >> 8), UInt8(truncatingIfNeeded: $0)] }
    }

    /// Colon-separated hex groups (an empty side of `::` is no groups); the last may be an
    /// IPv4 address (two groups) when `allowIPv4`.
    private static func groups(_ text: ArraySlice<UInt8>, allowIPv4: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var result = [UInt16]()
        for (index, part) in parts.enumerated() {
            if allowIPv4 && index == parts.count - 1 && part.contains(UInt8(ascii: ".")) {
                guard let v4 = IPv4Address(String(decoding: part, as: UTF8.self)) else { return nil }
                result.append(UInt16(v4.value >> 16))
                result.append(UInt16(truncatingIfNeeded: v4.value))
            } else {
                guard let value = hexGroup(part) else { return nil }
                result.append(value)
            }
        }
        return result
    }

    private static func hexGroup(_ digits: ArraySlice<UInt8>) -> UInt16? {
        guard !digits.isEmpty, digits.count <= 4 else { return nil }
        var value: UInt16 = 0
        for digit in digits {
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(nibble)
        }
        return value
    }

    private var groups: [UInt16] {
        stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
    }

    /// RFC 5952 text: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as `::`,
    /// IPv4-mapped addresses as `::ffff:a.b.c.d`.
    public var description: String {
        let groups = self.groups
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xffff {
            return "::ffff:" + bytes[12..<16].map { String($0) }.joined(separator: ".")
        }
        var bestStart = -1
        var bestLength = 1
        var runStart = -1
        for index in 0...8 {
            if index < 8 && groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index - runStart > bestLength {
                    bestStart = runStart
                    bestLength = index - runStart
                }
                runStart = -1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let left = hex[..<bestStart].joined(separator: ":")
        let right = hex[(bestStart + bestLength)...].joined(separator: ":")
        return left + "::" + right
    }
}
