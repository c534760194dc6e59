/// Why bytes or text are not a multiaddr.
public enum MultiaddrError: Error, Equatable, Sendable {
    /// A protocol code this library does not know (binary form).
    case unknownProtocolCode(UInt64)
    /// A protocol name this library does not know (text form).
    case unknownProtocolName(String)
    /// A malformed or truncated varint (protocol code or value length).
    case malformedVarint(VarintError)
    /// The input ends inside a component's value.
    case truncated
    /// The binary form is longer than ``Multiaddr/maxEncodedLength`` (or the text than ``Multiaddr/maxTextLength``).
    case tooLong(Int)
    /// A value that is not valid for its protocol (bad address, port, peer id, empty name...).
    case invalidValue(protocol: String)
    /// A protocol that takes a value is missing it (text form).
    case missingValue(protocol: String)
    /// Text that does not start with `/`.
    case missingLeadingSlash
}
