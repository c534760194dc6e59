import LibP2PCore
import NIOCore

/// Multistream-select's framing as a `NIOSingleStepByteToMessageDecoder`: a varint length, then
/// that many bytes of UTF-8 text ending in `\n`; each message decodes to its text without the `\n`.
///
/// The length is checked against ``maxMessageLength`` as soon as its varint is complete, before
/// the body is waited for; nothing is consumed before the whole message is there. The
/// negotiators run it; in a SwiftNIO pipeline it runs as
/// `ByteToMessageHandler(MultistreamMessageDecoder(maxMessageLength:))`.
public struct MultistreamMessageDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    /// What each message decodes to: its text, without the newline.
    public typealias InboundOut = String

    /// The longest message accepted, newline included.
    public let maxMessageLength: Int

    /// A decoder accepting messages of at most `maxMessageLength` bytes.
    public init(maxMessageLength: Int) {
        self.maxMessageLength = maxMessageLength
    }

    /// The next whole message's text at `buffer`'s reader index, consumed; `nil` (nothing
    /// consumed) when it is not all there yet.
    ///
    /// - Throws: ``MultistreamError`` for a malformed length, a message too long or empty, one
    ///   that does not end in a newline, or text that is not UTF-8.
    public func decode(buffer: inout ByteBuffer) throws(MultistreamError) -> String? {
        let maxMessageLength = maxMessageLength
        let parsed: Result<(text: String, size: Int)?, MultistreamError> = buffer.withUnsafeReadableBytes { raw in
            do throws(MultistreamError) {
                let prefixLength: Int
                let length: UInt64
                do throws(VarintError) {
                    (length, prefixLength) = try UVarint.decode(raw, rules: .multiformats)
                } catch .truncated {
                    return .success(nil)
                } catch {
                    throw .malformedLengthPrefix
                }
                guard length <= UInt64(maxMessageLength) else {
                    throw .messageTooLong(length: length, limit: maxMessageLength)
                }
                guard length > 0 else { throw .missingNewline }
                let bodyEnd = prefixLength + Int(length)
                guard bodyEnd <= raw.count else { return .success(nil) }
                guard raw[bodyEnd - 1] == UInt8(ascii: "\n") else { throw .missingNewline }
                guard let text = String(validating: raw[prefixLength..<(bodyEnd - 1)], as: UTF8.self) else {
                    throw .invalidUTF8
                }
                return .success((text, bodyEnd))
            } catch {
                return .failure(error)
            }
        }
        guard let (text, size) = try parsed.get() else { return nil }
        buffer.moveReaderIndex(forwardBy: size)
        return text
    }

    /// As ``decode(buffer:)``; when the bytes have ended (`seenEOF`) inside a message, throws
    /// `ByteToMessageDecoderError.leftoverDataWhenDone` with what is left rather than drop it quietly.
    public func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> String? {
        if let message = try decode(buffer: &buffer) { return message }
        if seenEOF, buffer.readableBytes > 0 { throw ByteToMessageDecoderError.leftoverDataWhenDone(buffer) }
        return nil
    }
}
