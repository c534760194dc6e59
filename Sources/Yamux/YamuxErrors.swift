/// A violation of the yamux protocol by the remote peer. Every such error ends the session:
/// the session queues a go-away with ``YamuxGoAwayCode/protocolError`` and stops.
public enum YamuxProtocolError: Error, Hashable, Sendable {
    /// Fewer than 12 bytes were given to ``YamuxFrameHeader/decode(_:)-(UnsafeRawBufferPointer)``.
    case truncatedHeader
    /// The header's version is not 0.
    case unsupportedVersion(UInt8)
    /// The header's type is not one of data, window update, ping or go-away.
    case unknownFrameType(UInt8)
    /// A data frame is longer than the largest receive window this session ever grants.
    case frameTooLarge(length: UInt32, limit: UInt32)
    /// A data frame is longer than the stream's remaining receive window.
    case receiveWindowExceeded(streamID: UInt32, length: UInt32, window: UInt32)
    /// A stream frame used stream ID 0, or a SYN used an ID of the wrong parity for the peer.
    case invalidStreamID(UInt32)
    /// A SYN named a stream that is still open.
    case duplicateStream(UInt32)
}

/// A command the session cannot carry out in its current state. Nothing is sent.
public enum YamuxUsageError: Error, Hashable, Sendable {
    /// The session failed or went away; no new streams, writes or pings.
    case sessionClosed
    /// The remote sent a go-away: it accepts no new streams.
    case remoteWentAway
    /// This side sent a go-away: it opens no new streams.
    case localWentAway
    /// ``YamuxConfiguration/maxOutboundStreams`` streams opened by this side are open.
    case outboundStreamLimitReached
    /// ``YamuxConfiguration/maxAckBacklog`` streams opened by this side are not yet acknowledged.
    case ackBacklogFull
    /// All 2^31 stream IDs of this side's parity are used.
    case streamIDsExhausted
    /// The stream does not exist (never opened, reset, or fully closed).
    case unknownStream(YamuxStreamID)
    /// The stream's sending direction is closed (``YamuxSession/closeWrite(_:)`` was called or
    /// the stream is being closed).
    case writeClosed(YamuxStreamID)
    /// The write would take the stream's send queue above
    /// ``YamuxConfiguration/maxQueuedBytesPerStream``; `available` bytes would fit.
    case sendQueueFull(YamuxStreamID, available: Int)
    /// ``YamuxConfiguration/maxOutstandingPings`` pings await their response.
    case tooManyOutstandingPings
    /// A go-away was already sent.
    case goAwayAlreadySent
}

/// A configuration value outside its allowed range.
public enum YamuxConfigurationError: Error, Hashable, Sendable {
    /// `receiveWindow` must be between 256 KiB and 1 GiB.
    case receiveWindowOutOfRange(UInt32)
    /// A limit that must be positive is not.
    case nonPositiveLimit(String)
}
