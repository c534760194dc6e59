/// Why RLP input was rejected: what went wrong and at which byte offset of the input.
public struct RLPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The class of violation.
    public enum Code: Equatable, Sendable {
        /// The input ended inside a header or payload (a length points past the input).
        case truncated
        /// A single byte below `0x80` carried a one-byte string header (`81 xx`).
        case nonCanonicalSingleByte
        /// The long length form was used for a payload of at most 55 bytes.
        case nonCanonicalLongLength
        /// A long-form length had a leading zero byte.
        case leadingZeroInLength
        /// A long-form length does not fit in the platform's `Int`.
        case lengthOverflow
        /// Bytes remained after the top-level item, or after a list's last item.
        case trailingBytes
        /// Lists nested deeper than ``RLPLimits/maximumDepth``.
        case depthLimitExceeded
        /// More items than ``RLPLimits/maximumItemCount``.
        case itemLimitExceeded
        /// The input is longer than ``RLPLimits/maximumInputLength``.
        case inputTooLong
        /// A byte string was expected and a list was found.
        case expectedBytes
        /// A list was expected and a byte string was found.
        case expectedList
        /// Reading past the last item of a list.
        case endOfList
        /// An integer did not fit the requested width.
        case integerOverflow
        /// An integer's big-endian bytes had a leading zero (zero must be the empty string).
        case integerLeadingZero
    }

    /// What rule the input broke.
    public let code: Code
    /// Offset of the offending byte from the start of the decoded buffer.
    public let offset: Int

    /// An error of kind `code` at byte `offset` of the input.
    public init(_ code: Code, at offset: Int) {
        self.code = code
        self.offset = offset
    }

    /// `RLPError.<code> at offset <offset>`.
    public var description: String { "RLPError.\(code) at offset \(offset)" }
}
