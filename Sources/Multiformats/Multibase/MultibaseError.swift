/// Why multibase text could not be decoded.
public enum MultibaseError: Error, Equatable, Sendable {
    /// The text is empty (it has no prefix).
    case empty
    /// The prefix character names no supported encoding.
    case unknownPrefix(Character)
    /// A character outside the encoding's alphabet, at the given UTF-8 offset (after the prefix).
    case invalidCharacter(offset: Int)
    /// A length no encoder produces (e.g. one base32 character), or wrong padding.
    case invalidLength
    /// The final character carries non-zero bits beyond the data (a non-canonical encoding).
    case nonZeroTrailingBits
    /// The text is longer than the decoder accepts.
    case tooLong(length: Int, limit: Int)
}
