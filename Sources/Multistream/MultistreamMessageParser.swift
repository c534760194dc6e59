import LibP2PCore

/// Incremental parser of multistream-select messages: owns a buffer, consumes nothing until a
/// whole message is present, and enforces the configured message length limit before
/// buffering the body.
struct MultistreamMessageParser {
    private var buffer: [UInt8] = []
    private var readIndex = 0
    let maxMessageLength: Int

    init(maxMessageLength: Int) {
        self.maxMessageLength = maxMessageLength
    }

    /// Adds received bytes.
    mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message's text (without the `\n`), or `nil` if more bytes are needed.
    mutating func nextMessage() throws(MultistreamError) -> String? {
        let prefixLength: Int
        let length: UInt64
        do throws(VarintError) {
            let decoded = try UVarint.decode(buffer[readIndex...], rules: .multiformats)
            length = decoded.value
            prefixLength = decoded.length
        } catch .truncated {
            return nil
        } catch {
            throw .malformedLengthPrefix
        }
        guard length <= UInt64(maxMessageLength) else {
            throw .messageTooLong(length: length, limit: maxMessageLength)
        }
        guard length > 0 else { throw .missingNewline }
        let bodyStart = readIndex + prefixLength
        let bodyEnd = bodyStart + Int(length)
        guard bodyEnd <= buffer.count else { return nil }
        guard buffer[bodyEnd - 1] == UInt8(ascii: "\n") else { throw .missingNewline }
        guard let text = String(validating: buffer[bodyStart..<(bodyEnd - 1)], as: UTF8.self) else {
            throw .invalidUTF8
        }
        readIndex = bodyEnd
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
        return text
    }

    /// Hands over every byte not yet parsed (they belong to the negotiated protocol).
    mutating func takeRemaining() -> [UInt8] {
        let rest = Array(buffer[readIndex...])
        buffer = []
        readIndex = 0
        return rest
    }
}
