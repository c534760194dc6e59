import Multistream

/// Which limit of ``ConnectionLimits`` was reached.
public enum ConnectionLimitKind: Sendable, Equatable {
    /// ``ConnectionLimits/maxInbound``.
    case inbound
    /// ``ConnectionLimits/maxOutbound``.
    case outbound
    /// The direction's pending slots: ``ConnectionLimits/maxPendingInbound`` or
    /// ``ConnectionLimits/maxPendingOutbound``.
    case pending
    /// ``ConnectionLimits/maxPendingInboundPerSource``.
    case pendingFromSource
}

/// Errors of the SwiftNIO connection API.
public enum P2PError: Error, Equatable, Sendable {
    /// Upgrading the TCP connection failed.
    case upgrade(ConnectionUpgradeError)
    /// The established connection failed.
    case connection(ConnectionError)
    /// The muxer refused a command (stream limit, go-away, ...).
    case muxer(MuxerUsageError)
    /// Negotiating a stream's protocol failed (e.g. the peer does not support it).
    case protocolNegotiation(MultistreamError)
    /// The stream was reset (by the peer or locally).
    case streamReset
    /// The stream's sending direction is already closed.
    case writeClosed
    /// The connection was closed.
    case connectionClosed
    /// Dialing did not complete in time.
    case dialTimedOut
    /// The socket reported an I/O error (its description).
    case io(String)
    /// The multiaddr is not a TCP address this transport dials or listens on (its text).
    case unsupportedAddress(String)
    /// A connection limit refused the connection.
    case connectionLimit(ConnectionLimitKind)
    /// The host is shut down.
    case hostClosed
    /// An identify or ping exchange did not finish in time.
    case requestTimedOut
    /// A ping came back different from what was sent.
    case pingMismatch
    /// The peer's identify message was rejected.
    case identify(IdentifyError)
    /// The remote peer id is not a valid peer id.
    case invalidPeerID
}
