import NIOCore

/// Incremental parser of multistream-select messages by a ``MultistreamMessageDecoder``: owns a
/// buffer, consumes nothing until a whole message is present, and enforces the configured
/// message length limit before buffering the body.
struct MultistreamMessageParser {
    private let decoder: MultistreamMessageDecoder
    private var buffer = ByteBuffer()

    init(maxMessageLength: Int) {
        decoder = MultistreamMessageDecoder(maxMessageLength: maxMessageLength)
    }

    /// Adds received bytes.
    mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.discardReadBytes()
        buffer.writeBytes(bytes)
    }

    /// The next complete message's text (without the `\n`), or `nil` if more bytes are needed.
    mutating func nextMessage() throws(MultistreamError) -> String? {
        try decoder.decode(buffer: &buffer)
    }

    /// Hands over every byte not yet parsed (they belong to the negotiated protocol).
    mutating func takeRemaining() -> [UInt8] {
        defer { buffer = ByteBuffer() }
        return Array(buffer.readableBytesView)
    }
}
