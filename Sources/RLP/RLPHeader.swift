/// The header of one RLP item: its kind and where its payload lies in the input.
public struct RLPHeader: Sendable, Equatable {
    /// Whether the item is a list (otherwise a byte string).
    public var isList: Bool
    /// Index of the item's first byte (its header, or the byte itself for a single byte).
    public var start: Int
    /// Index of the first payload byte.
    public var payloadStart: Int
    /// Index one past the last payload byte (= one past the item).
    public var end: Int

    /// The payload's length.
    @inlinable public var payloadCount: Int { end - payloadStart }

    /// A header from already-known bounds (indices into the input); nothing is checked.
    @inlinable
    public init(isList: Bool, start: Int, payloadStart: Int, end: Int) {
        self.isList = isList
        self.start = start
        self.payloadStart = payloadStart
        self.end = end
    }

    /// Parses the header of the item at `position`, which must lie in `bytes.indices`, and
    /// checks that the item ends within `bytes`. Strict: rejects a one-byte string header
    /// around a byte below `0x80`, long forms for payloads up to 55 bytes and leading zeros in
    /// long lengths. Nothing is allocated.
    @inlinable
    public static func parse(_ bytes: ArraySlice<UInt8>, at position: Int) throws(RLPError) -> RLPHeader {
        let limit = bytes.endIndex
        guard position >= bytes.startIndex, position < limit else { throw RLPError(.truncated, at: position) }
        let prefix = bytes[position]
        let available = limit - position - 1
        switch prefix {
        case 0x00...0x7f:
            return RLPHeader(isList: false, start: position, payloadStart: position, end: position + 1)
        case 0x80...0xb7, 0xc0...0xf7:
            let isList = prefix >= 0xc0
            let length = Int(prefix - (isList ? 0xc0 : 0x80))
            guard length <= available else { throw RLPError(.truncated, at: position) }
            if !isList, length == 1, bytes[position + 1] < 0x80 {
                throw RLPError(.nonCanonicalSingleByte, at: position)
            }
            return RLPHeader(isList: isList, start: position, payloadStart: position + 1, end: position + 1 + length)
        default:
            let isList = prefix >= 0xf8
            let lengthOfLength = Int(prefix - (isList ? 0xf7 : 0xb7))
            guard lengthOfLength <= available else { throw RLPError(.truncated, at: position) }
            guard bytes[position + 1] != 0 else { throw RLPError(.leadingZeroInLength, at: position + 1) }
            var length: UInt64 = 0
            for index in (position + 1)...(position + lengthOfLength) {
                length = length << 8 | UInt64(bytes[index])
            }
            guard length > 55 else { throw RLPError(.nonCanonicalLongLength, at: position) }
            guard length <= UInt64(Int.max) else { throw RLPError(.lengthOverflow, at: position) }
            let payloadStart = position + 1 + lengthOfLength
            guard Int(length) <= limit - payloadStart else { throw RLPError(.truncated, at: position) }
            return RLPHeader(isList: isList, start: position, payloadStart: payloadStart, end: payloadStart + Int(length))
        }
    }
}
