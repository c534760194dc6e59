/// A violation of the mplex protocol by the remote peer. Every such error ends the session
/// (mplex has no go-away: the caller closes the connection).
public enum MplexProtocolError: Error, Hashable, Sendable {
    /// A varint ran past 9 bytes (or 63 bits).
    case varintTooLong
    /// A varint was not minimally encoded.
    case nonMinimalVarint
    /// The header's flag is 7, which mplex does not define.
    case unknownFlag(UInt8)
    /// A frame's length exceeds the limit (1 MiB by default).
    case frameTooLarge(length: UInt64, limit: Int)
    /// A NewStream named a stream the remote already has open.
    case duplicateStream(MplexStreamID)
}

/// A command the session cannot carry out in its current state. Nothing is sent.
public enum MplexUsageError: Error, Hashable, Sendable {
    /// The session failed.
    case sessionClosed
    /// ``MplexConfiguration/maxOutboundStreams`` streams opened by this side are open.
    case outboundStreamLimitReached
    /// All 2^60 stream numbers are used.
    case streamNumbersExhausted
    /// The stream does not exist (never opened, reset, or fully closed).
    case unknownStream(MplexStreamID)
    /// The stream's sending direction is closed.
    case writeClosed(MplexStreamID)
    /// A stream name longer than the frame limit.
    case nameTooLong
    /// The write would take the stream's send queue above
    /// ``MplexConfiguration/maxQueuedBytesPerStream``; `available` bytes would fit.
    case sendQueueFull(MplexStreamID, available: Int)
}

/// A configuration value outside its allowed range.
public enum MplexConfigurationError: Error, Hashable, Sendable {
    /// `maxFrameLength` and `maxSendFrameLength` must be between 1 byte and 1 MiB (the spec's limit).
    case frameLengthOutOfRange(Int)
    /// A limit that must be positive is not.
    case nonPositiveLimit(String)
}
