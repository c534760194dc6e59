/// The error every SSZ decoder throws: a ``Code`` saying what was wrong, plus where it was detected.
///
/// Two errors are equal when their codes are equal; the location is diagnostic only.
public struct SSZError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of malformed input (or illegal use) that was found.
    public enum Code: Hashable, Sendable {
        /// The scope has a different length than the fixed-size type needs.
        case wrongSize
        /// A boolean byte other than `0x00` or `0x01`.
        case invalidBoolean
        /// An offset points outside the scope.
        case offsetOutOfBounds
        /// An offset is smaller than the one before it.
        case offsetsOutOfOrder
        /// The first offset does not equal the length of the fixed part.
        case firstOffsetMismatch
        /// The offset table of a list or vector is not a whole number of 4-byte offsets.
        case misalignedOffsets
        /// A bitlist whose last byte is zero (no length-delimiting bit), or an empty bitlist scope.
        case missingBitlistDelimiter
        /// Bits set beyond the length of a bitvector.
        case nonZeroPaddingBits
        /// More elements than the type's limit allows.
        case limitExceeded
        /// A union selector that names no option of the union.
        case invalidSelector
        /// The type itself is illegal (a zero-length vector or bitvector).
        case illegalType
        /// A vector constructed with the wrong number of elements.
        case wrongElementCount
        /// A decimal or hex text that is not a valid number for the type.
        case invalidText
    }

    /// What was wrong.
    public let code: Code
    /// The source file that detected the problem.
    public let file: String
    /// The source line that detected the problem.
    public let line: Int

    @inlinable
    init(_ code: Code, file: String, line: Int) {
        self.code = code
        self.file = file
        self.line = line
    }

    /// Whether both errors have the same ``code`` (``file`` and ``line`` are ignored).
    public static func == (lhs: SSZError, rhs: SSZError) -> Bool { lhs.code == rhs.code }
    /// Hashes the ``code`` only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `SSZError.<code> (<file>:<line>)`.
    public var description: String { "SSZError.\(code) (\(file):\(line))" }

    /// Builds an error recording the caller's location (used by generated container code too).
    @inline(never)
    public static func make(_ code: Code, file: String = #fileID, line: Int = #line) -> SSZError {
        SSZError(code, file: file, line: line)
    }
}
