import NIOCore

/// What a ``YamuxSession`` reports after consuming input.
public enum YamuxEvent: Hashable, Sendable {
    /// The remote opened a stream; the session has already acknowledged it.
    case streamOpened(YamuxStreamID)
    /// The remote acknowledged a stream this side opened.
    case streamAcknowledged(YamuxStreamID)
    /// Bytes for a stream, a slice of the received bytes. The application reports them with
    /// ``YamuxSession/consumed(_:_:)`` once it has processed them; that is what reopens the
    /// remote's send window.
    case data(YamuxStreamID, ByteBuffer)
    /// The remote half-closed the stream (FIN): no more data will arrive on it.
    case readClosed(YamuxStreamID)
    /// The stream is gone in both directions, reset by the remote (or refused by it) or by this
    /// session because of a stream-level violation.
    case streamReset(YamuxStreamID, YamuxResetReason)
    /// The response to a ``YamuxSession/ping(now:)`` arrived.
    case pong(YamuxPong)
    /// The remote is going away: it accepts no new streams.
    case goAwayReceived(YamuxGoAwayCode)
    /// The remote broke the protocol. A go-away is queued; the session accepts nothing more.
    /// Always the last event of a session.
    case sessionFailed(YamuxProtocolError)
}

/// Why a stream was reset.
public enum YamuxResetReason: Hashable, Sendable {
    /// The remote sent RST (including the refusal of a stream this side opened).
    case byRemote
    /// The remote sent data after its own FIN; this session answered with RST.
    case dataAfterRemoteClose
}

/// A ping response, matched with its request.
public struct YamuxPong: Hashable, Sendable {
    /// The opaque value of the ping.
    public var opaque: UInt32
    /// The `now` given to ``YamuxSession/ping(now:)``.
    public var sentAt: Duration

    /// Creates a pong record.
    public init(opaque: UInt32, sentAt: Duration) {
        self.opaque = opaque
        self.sentAt = sentAt
    }

    /// The round-trip time as of `now` (the caller's clock, same origin as `sentAt`).
    public func roundTripTime(now: Duration) -> Duration { now - sentAt }
}
