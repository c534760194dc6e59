/// A parsed JSON value, as the JSON-RPC handler reads requests (``JSONParser``).
///
/// Numbers keep their text: an integer that fits `Int64` is ``integer(_:)``; any other number
/// (a fraction, an exponent, or an integer too large for `Int64`) is ``number(_:)`` holding the
/// exact text it arrived as, so a request id such as `123456789012345678901234567890` is echoed
/// back digit for digit instead of being rounded through `Double`.
enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// A number that is not an `Int64`, as its JSON text.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members by key; a key given twice keeps its last value.
    case object([String: JSONValue])
}
