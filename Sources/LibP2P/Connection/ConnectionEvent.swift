import NIOCore
import Yamux

/// What a ``Connection`` reports after consuming input.
public enum ConnectionEvent: Equatable, Sendable {
    /// The remote opened a stream.
    case streamOpened(MuxedStreamID)
    /// Bytes for a stream (with yamux a slice of the decrypted frame); report them with
    /// ``Connection/consumed(_:_:)`` once processed (that is what lets the remote send more on
    /// yamux).
    case data(MuxedStreamID, ByteBuffer)
    /// The remote half-closed the stream.
    case readClosed(MuxedStreamID)
    /// The stream is gone in both directions.
    case streamReset(MuxedStreamID)
    /// The remote accepts no new streams (yamux go-away); existing streams continue.
    case remoteGoingAway
    /// A yamux ping answer.
    case pong(YamuxPong)
    /// The connection failed; always the last event. Close the socket once the remaining
    /// outbound bytes (a yamux go-away) are written.
    case failed(ConnectionError)
}
