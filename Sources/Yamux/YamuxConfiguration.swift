/// Limits and windows of a ``YamuxSession``, validated when created.
public struct YamuxConfiguration: Hashable, Sendable {
    /// The initial window every yamux stream starts with in each direction (256 KiB).
    public static let initialStreamWindow: UInt32 = 256 * 1024

    /// The receive window granted to each stream; above 256 KiB, the extra credit is sent in a
    /// window update right after the SYN or ACK. Also the largest data frame accepted.
    public let receiveWindow: UInt32
    /// Inbound streams open at once; a SYN beyond it is answered with RST.
    public let maxInboundStreams: Int
    /// Streams opened by this side open at once; ``YamuxSession/openStream()`` refuses beyond it.
    public let maxOutboundStreams: Int
    /// Streams opened by this side and not yet acknowledged (the spec recommends 256 at most).
    public let maxAckBacklog: Int
    /// The largest data payload this side puts in one frame. Default 65,507 bytes: with its
    /// 12-byte header a frame then fills one Noise transport message (65,519 plaintext bytes),
    /// so bulk data costs one seal per frame (go-yamux also sends up to 64 KiB).
    public let maxSendFrameLength: Int
    /// The default ``maxSendFrameLength``.
    public static let defaultMaxSendFrameLength = 65_535 - 16 - 12
    /// Bytes ``YamuxSession/write(_:_:)`` may queue per stream beyond the send window.
    public let maxQueuedBytesPerStream: Int
    /// Pings sent and not yet answered.
    public let maxOutstandingPings: Int

    /// Creates a configuration, checking every value.
    public init(
        receiveWindow: UInt32 = YamuxConfiguration.initialStreamWindow,
        maxInboundStreams: Int = 256,
        maxOutboundStreams: Int = 256,
        maxAckBacklog: Int = 256,
        maxSendFrameLength: Int = YamuxConfiguration.defaultMaxSendFrameLength,
        maxQueuedBytesPerStream: Int = 1024 * 1024,
        maxOutstandingPings: Int = 16
    ) throws(YamuxConfigurationError) {
        guard receiveWindow >= Self.initialStreamWindow, receiveWindow <= 1 << 30 else {
            throw .receiveWindowOutOfRange(receiveWindow)
        }
        for (name, value) in [
            ("maxInboundStreams", maxInboundStreams), ("maxOutboundStreams", maxOutboundStreams),
            ("maxAckBacklog", maxAckBacklog), ("maxSendFrameLength", maxSendFrameLength),
            ("maxQueuedBytesPerStream", maxQueuedBytesPerStream), ("maxOutstandingPings", maxOutstandingPings),
        ] where value <= 0 {
            throw .nonPositiveLimit(name)
        }
        self.receiveWindow = receiveWindow
        self.maxInboundStreams = maxInboundStreams
        self.maxOutboundStreams = maxOutboundStreams
        self.maxAckBacklog = maxAckBacklog
        self.maxSendFrameLength = maxSendFrameLength
        self.maxQueuedBytesPerStream = maxQueuedBytesPerStream
        self.maxOutstandingPings = maxOutstandingPings
    }

    /// The defaults: 256 KiB windows, 256 streams each way, 65,507-byte frames, 1 MiB send queues.
    public static var standard: YamuxConfiguration {
        // The default arguments pass validation (checked by a test); fall back to a fixed value
        // of the same numbers rather than trapping.
        (try? YamuxConfiguration()) ?? YamuxConfiguration(unchecked: ())
    }

    private init(unchecked: Void) {
        receiveWindow = Self.initialStreamWindow
        maxInboundStreams = 256
        maxOutboundStreams = 256
        maxAckBacklog = 256
        maxSendFrameLength = Self.defaultMaxSendFrameLength
        maxQueuedBytesPerStream = 1024 * 1024
        maxOutstandingPings = 16
    }
}
