/// Limits of an ``MplexSession``, validated when created.
public struct MplexConfiguration: Hashable, Sendable {
    /// The spec's limit on a frame's payload (1 MiB).
    public static let specMaxFrameLength = 1024 * 1024

    /// The largest payload accepted.
    public let maxFrameLength: Int
    /// The size writes are split into (smaller frames let streams interleave).
    public let maxSendFrameLength: Int
    /// Inbound streams open at once; a NewStream beyond it is answered with a reset.
    public let maxInboundStreams: Int
    /// Streams opened by this side open at once.
    public let maxOutboundStreams: Int
    /// Bytes delivered on a stream and not yet reported consumed; beyond it the stream is reset
    /// (mplex has no flow control, so this is the only protection against a fast sender).
    public let maxBufferedBytesPerStream: Int
    /// Bytes ``MplexSession/write(_:_:)`` may queue per stream before they are framed; a write
    /// that does not fit is refused whole. Streams report being writable again once their queue
    /// drains to half of it.
    public let maxQueuedBytesPerStream: Int

    /// Creates a configuration, checking every value.
    public init(
        maxFrameLength: Int = MplexConfiguration.specMaxFrameLength,
        maxSendFrameLength: Int = 64 * 1024,
        maxInboundStreams: Int = 256,
        maxOutboundStreams: Int = 256,
        maxBufferedBytesPerStream: Int = 4 * 1024 * 1024,
        maxQueuedBytesPerStream: Int = 1024 * 1024
    ) throws(MplexConfigurationError) {
        guard maxFrameLength > 0, maxFrameLength <= Self.specMaxFrameLength else {
            throw .frameLengthOutOfRange(maxFrameLength)
        }
        guard maxSendFrameLength > 0, maxSendFrameLength <= Self.specMaxFrameLength else {
            throw .frameLengthOutOfRange(maxSendFrameLength)
        }
        guard maxInboundStreams > 0 else { throw .nonPositiveLimit("maxInboundStreams") }
        guard maxOutboundStreams > 0 else { throw .nonPositiveLimit("maxOutboundStreams") }
        guard maxBufferedBytesPerStream > 0 else { throw .nonPositiveLimit("maxBufferedBytesPerStream") }
        guard maxQueuedBytesPerStream > 0 else { throw .nonPositiveLimit("maxQueuedBytesPerStream") }
        self.maxFrameLength = maxFrameLength
        self.maxSendFrameLength = maxSendFrameLength
        self.maxInboundStreams = maxInboundStreams
        self.maxOutboundStreams = maxOutboundStreams
        self.maxBufferedBytesPerStream = maxBufferedBytesPerStream
        self.maxQueuedBytesPerStream = maxQueuedBytesPerStream
    }

    /// The defaults: 1 MiB frames accepted, 64 KiB frames sent, 256 streams each way, 4 MiB unconsumed and
    /// 1 MiB queued per stream.
    public static var standard: MplexConfiguration {
        // The default arguments pass validation (checked by a test); the fallback holds the same
        // numbers so that no path traps.
        (try? MplexConfiguration()) ?? MplexConfiguration(unchecked: ())
    }

    private init(unchecked: Void) {
        maxFrameLength = Self.specMaxFrameLength
        maxSendFrameLength = 64 * 1024
        maxInboundStreams = 256
        maxOutboundStreams = 256
        maxBufferedBytesPerStream = 4 * 1024 * 1024
        maxQueuedBytesPerStream = 1024 * 1024
    }
}
