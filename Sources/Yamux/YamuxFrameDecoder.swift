import NIOCore

/// Yamux framing as a `NIOSingleStepByteToMessageDecoder`: a 12-byte header, then for data
/// frames `length` bytes of payload.
///
/// The header is validated (version, type, data length against ``maxDataLength``) as soon as its
/// 12 bytes are there, so an oversized length is rejected before its payload is waited for.
/// A header whose payload has not arrived yet is consumed and kept, so a payload that comes in a
/// buffer of its own (as this project's sender puts a large one in a Noise frame of its own) is a
/// slice of that buffer, not a copy. ``YamuxFrameParser`` runs it for the session; in a SwiftNIO
/// pipeline it runs as `ByteToMessageHandler(YamuxFrameDecoder(maxDataLength:))`.
public struct YamuxFrameDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    /// What each frame decodes to.
    public typealias InboundOut = YamuxFrame

    /// The longest data payload accepted.
    public let maxDataLength: UInt32
    /// A validated header whose payload is still incomplete.
    private var pendingHeader: YamuxFrameHeader?

    /// A decoder accepting data payloads of at most `maxDataLength` bytes.
    public init(maxDataLength: UInt32) {
        self.maxDataLength = maxDataLength
    }

    /// Header bytes consumed for a frame whose payload is still incomplete: 12 or 0.
    public var pendingHeaderByteCount: Int { pendingHeader == nil ? 0 : YamuxFrameHeader.byteCount }

    /// The next complete frame at `buffer`'s reader index, consumed; `nil` when more bytes are
    /// needed (a header may have been consumed and kept meanwhile).
    ///
    /// - Throws: ``YamuxProtocolError`` for a bad version, an unknown type or a data frame longer
    ///   than ``maxDataLength``. The decoder must not be used after an error.
    public mutating func decode(buffer: inout ByteBuffer) throws(YamuxProtocolError) -> YamuxFrame? {
        let header: YamuxFrameHeader
        if let pendingHeader {
            header = pendingHeader
        } else {
            guard buffer.readableBytes >= YamuxFrameHeader.byteCount else { return nil }
            let decoded: Result<YamuxFrameHeader, YamuxProtocolError> = buffer.withUnsafeReadableBytes { raw in
                do throws(YamuxProtocolError) {
                    return .success(try YamuxFrameHeader.decode(raw))
                } catch {
                    return .failure(error)
                }
            }
            header = try decoded.get()
            if header.type == .data, header.length > maxDataLength {
                throw .frameTooLarge(length: header.length, limit: maxDataLength)
            }
            buffer.moveReaderIndex(forwardBy: YamuxFrameHeader.byteCount)
        }
        let payloadLength = header.type == .data ? Int(header.length) : 0
        guard buffer.readableBytes >= payloadLength else {
            pendingHeader = header
            return nil
        }
        pendingHeader = nil
        let payload = payloadLength == 0 ? ByteBuffer() : buffer.readSlice(length: payloadLength) ?? ByteBuffer()
        return YamuxFrame(header: header, payload: payload)
    }

    /// As ``decode(buffer:)``; when the bytes have ended (`seenEOF`) inside a frame, throws
    /// `ByteToMessageDecoderError.leftoverDataWhenDone` with what is left rather than drop it quietly.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> YamuxFrame? {
        if let frame = try decode(buffer: &buffer) { return frame }
        if seenEOF, buffer.readableBytes > 0 || pendingHeader != nil {
            throw ByteToMessageDecoderError.leftoverDataWhenDone(buffer)
        }
        return nil
    }
}
