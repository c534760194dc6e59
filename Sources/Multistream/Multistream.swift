import LibP2PCore

/// multistream-select 1.0 constants and message encoding.
public enum Multistream {
    /// The protocol id of multistream-select itself, exchanged first by both sides.
    public static let header = "/multistream/1.0.0"
    /// The responder's "not available" answer.
    public static let notAvailable = "na"
    /// The optional listing request.
    public static let list = "ls"

    /// Encodes one message: varint(length of text + 1) ‖ text ‖ `\n`.
    public static func encodeMessage(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        appendMessage(text, to: &out)
        return out
    }

    /// Appends the encoding of one message to `buffer`.
    public static func appendMessage(_ text: String, to buffer: inout [UInt8]) {
        let utf8 = text.utf8
        UVarint.encode(UInt64(utf8.count + 1), into: &buffer)
        buffer.append(contentsOf: utf8)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Checks that `id` can be proposed or supported: non-empty, no `\n`, not a reserved word,
    /// and short enough for `configuration.maxMessageLength`.
    static func validateProtocolID(_ id: String, _ configuration: MultistreamConfiguration) throws(MultistreamError) {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count + 1 <= configuration.maxMessageLength,
              !utf8.contains(UInt8(ascii: "\n")),
              id != header, id != notAvailable, id != list
        else { throw .invalidProtocolID(id) }
    }
}
