import Mplex
import NIOCore
import Yamux

/// What a ``MuxerSession`` reports after consuming input, muxer-independent.
public enum MuxerEvent: Hashable, Sendable {
    /// The remote opened a stream.
    case streamOpened(MuxedStreamID)
    /// Bytes for a stream (with yamux a slice of the decrypted frame); report them with
    /// ``MuxerSession/consumed(_:_:)`` once processed.
    case data(MuxedStreamID, ByteBuffer)
    /// The remote half-closed the stream: no more data will arrive on it.
    case readClosed(MuxedStreamID)
    /// The stream is gone in both directions.
    case streamReset(MuxedStreamID)
    /// The remote sent a yamux go-away: it accepts no new streams (existing ones continue).
    case remoteGoingAway
    /// A yamux ping answer.
    case pong(YamuxPong)
    /// The remote broke the muxer protocol; always the last event of a session.
    case sessionFailed(MuxerProtocolError)
}

/// A muxer protocol violation by the remote.
public enum MuxerProtocolError: Error, Hashable, Sendable {
    /// A yamux violation.
    case yamux(YamuxProtocolError)
    /// An mplex violation.
    case mplex(MplexProtocolError)
}

/// A muxer command that cannot be carried out now. Nothing was sent.
public enum MuxerUsageError: Error, Hashable, Sendable {
    /// A yamux command failed.
    case yamux(YamuxUsageError)
    /// An mplex command failed.
    case mplex(MplexUsageError)
    /// The stream id belongs to the other muxer.
    case foreignStream(MuxedStreamID)
    /// The session is closed or failed.
    case sessionClosed
}
