import LibP2PCore
import NIOCore

/// Mplex framing as a `NIOSingleStepByteToMessageDecoder`: a varint header (stream number and
/// flag), a varint length, then that many bytes of payload.
///
/// The header varint, its flag and the length are checked as soon as they are complete, so an
/// oversized length is rejected before its payload arrives; nothing is consumed before the whole
/// frame is there. ``MplexFrameParser`` runs it for the session; in a SwiftNIO pipeline it runs as
/// `ByteToMessageHandler(MplexFrameDecoder(maxPayloadLength:))`.
public struct MplexFrameDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    /// What each frame decodes to.
    public typealias InboundOut = MplexFrame

    /// The longest payload accepted (the spec allows 1 MiB).
    public let maxPayloadLength: Int

    /// A decoder accepting payloads of at most `maxPayloadLength` bytes.
    public init(maxPayloadLength: Int) {
        self.maxPayloadLength = maxPayloadLength
    }

    /// The next whole frame at `buffer`'s reader index, consumed; `nil` (nothing consumed) when
    /// it is not all there yet.
    ///
    /// - Throws: ``MplexProtocolError`` for a malformed varint, flag 7, or a payload longer than
    ///   ``maxPayloadLength``. The decoder must not be used after an error.
    public func decode(buffer: inout ByteBuffer) throws(MplexProtocolError) -> MplexFrame? {
        let maxPayloadLength = maxPayloadLength
        let parsed: Result<(frame: MplexFrame, size: Int)?, MplexProtocolError> = buffer.withUnsafeReadableBytes { raw in
            do throws(MplexProtocolError) {
                guard let (header, headerLength) = try Self.varint(raw, at: 0) else { return .success(nil) }
                guard let flag = MplexFlag(rawValue: UInt8(header & 7)) else { throw .unknownFlag(UInt8(header & 7)) }
                guard let (length, lengthLength) = try Self.varint(raw, at: headerLength) else { return .success(nil) }
                guard length <= UInt64(maxPayloadLength) else {
                    throw .frameTooLarge(length: length, limit: maxPayloadLength)
                }
                let payloadStart = headerLength + lengthLength
                let payloadEnd = payloadStart + Int(length)
                guard raw.count >= payloadEnd else { return .success(nil) }
                let frame = MplexFrame(streamNumber: header >> 3, flag: flag, payload: Array(raw[payloadStart..<payloadEnd]))
                return .success((frame, payloadEnd))
            } catch {
                return .failure(error)
            }
        }
        guard let (frame, size) = try parsed.get() else { return nil }
        buffer.moveReaderIndex(forwardBy: size)
        return frame
    }

    /// As ``decode(buffer:)``; when the bytes have ended (`seenEOF`) inside a frame, throws
    /// `ByteToMessageDecoderError.leftoverDataWhenDone` with what is left rather than drop it quietly.
    public func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> MplexFrame? {
        if let frame = try decode(buffer: &buffer) { return frame }
        if seenEOF, buffer.readableBytes > 0 { throw ByteToMessageDecoderError.leftoverDataWhenDone(buffer) }
        return nil
    }

    /// A multiformats varint at `offset`, or `nil` if it is not complete yet.
    private static func varint(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(MplexProtocolError) -> (UInt64, Int)? {
        do throws(VarintError) {
            let decoded = try UVarint.decode(UnsafeRawBufferPointer(rebasing: bytes[offset...]), rules: .multiformats)
            return (decoded.value, decoded.length)
        } catch {
            switch error {
            case .truncated: return nil
            case .notMinimal: throw .nonMinimalVarint
            case .tooLong, .overflow, .trailingBytes: throw .varintTooLong
            }
        }
    }
}
