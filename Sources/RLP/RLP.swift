/// Strict Recursive Length Prefix coding (Ethereum Yellow Paper, appendix B).
///
/// Decoding accepts only canonical encodings: a byte below `0x80` stands for itself, short forms
/// for payloads up to 55 bytes, minimal long-form lengths, no trailing bytes. Every decode runs
/// under ``RLPLimits``.
public enum RLP {
    /// Decodes exactly one item spanning all of `input` into an owned tree.
    public static func decode(_ input: [UInt8], limits: RLPLimits = .default) throws(RLPError) -> RLPItem {
        try decode(input[...], limits: limits)
    }

    /// Decodes exactly one item spanning all of `input` into an owned tree.
    public static func decode(_ input: ArraySlice<UInt8>, limits: RLPLimits = .default) throws(RLPError) -> RLPItem {
        guard input.count <= limits.maximumInputLength else { throw RLPError(.inputTooLong, at: input.startIndex) }
        var budget = limits.maximumItemCount
        let header = try RLPHeader.parse(input, at: input.startIndex)
        guard header.end == input.endIndex else { throw RLPError(.trailingBytes, at: header.end) }
        return try item(input, header, depth: 0, limits: limits, budget: &budget)
    }

    /// Checks that `input` is exactly one canonical item within `limits`, without building a tree.
    public static func validate(_ input: ArraySlice<UInt8>, limits: RLPLimits = .default) throws(RLPError) {
        guard input.count <= limits.maximumInputLength else { throw RLPError(.inputTooLong, at: input.startIndex) }
        var budget = limits.maximumItemCount
        let header = try RLPHeader.parse(input, at: input.startIndex)
        guard header.end == input.endIndex else { throw RLPError(.trailingBytes, at: header.end) }
        try validate(input, header, depth: 0, limits: limits, budget: &budget)
    }

    private static func item(
        _ input: ArraySlice<UInt8>, _ header: RLPHeader, depth: Int, limits: RLPLimits, budget: inout Int
    ) throws(RLPError) -> RLPItem {
        budget -= 1
        guard budget >= 0 else { throw RLPError(.itemLimitExceeded, at: header.start) }
        guard header.isList else { return .bytes(Array(input[header.payloadStart..<header.end])) }
        guard depth < limits.maximumDepth else { throw RLPError(.depthLimitExceeded, at: header.start) }
        let payload = input[header.payloadStart..<header.end]
        var elements = [RLPItem]()
        var position = payload.startIndex
        while position < payload.endIndex {
            let child = try RLPHeader.parse(payload, at: position)
            elements.append(try item(payload, child, depth: depth + 1, limits: limits, budget: &budget))
            position = child.end
        }
        return .list(elements)
    }

    /// Validates the item with `header` in `input` and, for a list, all items inside it.
    static func validate(
        _ input: ArraySlice<UInt8>, _ header: RLPHeader, depth: Int, limits: RLPLimits, budget: inout Int
    ) throws(RLPError) {
        budget -= 1
        guard budget >= 0 else { throw RLPError(.itemLimitExceeded, at: header.start) }
        guard header.isList else { return }
        guard depth < limits.maximumDepth else { throw RLPError(.depthLimitExceeded, at: header.start) }
        let payload = input[header.payloadStart..<header.end]
        var position = payload.startIndex
        while position < payload.endIndex {
            let child = try RLPHeader.parse(payload, at: position)
            try validate(payload, child, depth: depth + 1, limits: limits, budget: &budget)
            position = child.end
        }
    }

    /// Number of header bytes for a string or list payload of `payloadCount` bytes
    /// (a single byte below `0x80` has none; callers handle that case).
    @inlinable
    public static func headerCount(payloadCount: Int) -> Int {
        payloadCount <= 55 ? 1 : 1 + byteCount(UInt64(payloadCount))
    }

    /// Number of bytes in the minimal big-endian form of `value` (0 for zero).
    @inlinable
    public static func byteCount(_ value: UInt64) -> Int {
        (64 - value.leadingZeroBitCount + 7) / 8
    }

    /// The minimal big-endian bytes of `value`: no leading zeros, empty for zero.
    @inlinable
    public static func minimalBigEndian(_ value: UInt64) -> [UInt8] {
        let count = byteCount(value)
        return (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64(count - 1 - $0))) }
    }

    /// Interprets `bytes` as a canonical big-endian unsigned integer: at most 8 bytes, no leading
    /// zero (zero is the empty string).
    @inlinable
    public static func uint64(fromMinimalBigEndian bytes: ArraySlice<UInt8>) throws(RLPError) -> UInt64 {
        guard bytes.count <= 8 else { throw RLPError(.integerOverflow, at: bytes.startIndex) }
        if let first = bytes.first, first == 0 { throw RLPError(.integerLeadingZero, at: bytes.startIndex) }
        var value: UInt64 = 0
        for byte in bytes { value = value << 8 | UInt64(byte) }
        return value
    }
}
