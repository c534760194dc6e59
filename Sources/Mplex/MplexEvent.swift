/// What an ``MplexSession`` reports after consuming input.
public enum MplexEvent: Hashable, Sendable {
    /// The remote opened a stream with the given name (often its number in decimal, or empty).
    case streamOpened(MplexStreamID, name: [UInt8])
    /// Bytes for a stream. Report them with ``MplexSession/consumed(_:_:)`` once processed.
    case data(MplexStreamID, [UInt8])
    /// The remote half-closed the stream: no more data will arrive on it.
    case readClosed(MplexStreamID)
    /// The stream is gone in both directions.
    case streamReset(MplexStreamID, MplexResetReason)
    /// The remote broke the protocol; the session accepts nothing more and the caller should
    /// close the connection. Always the last event of a session.
    case sessionFailed(MplexProtocolError)
}

/// Why a stream was reset.
public enum MplexResetReason: Hashable, Sendable {
    /// The remote reset it (or refused it).
    case byRemote
    /// More than ``MplexConfiguration/maxBufferedBytesPerStream`` bytes were delivered and not
    /// consumed; this session reset the stream and dropped the excess.
    case bufferOverflow
    /// The remote sent data on a stream that was never opened; this session answered with a
    /// reset. The application never heard of the stream: this is for logging.
    case unknownStream
}
