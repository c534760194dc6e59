import MuxerCore

/// The sending half of an mplex stream: bytes written and not yet framed.
struct MplexSendHalf: Sendable {
    /// Bytes written by the application and not yet framed.
    var queue = ByteQueue()
    /// The application closed the direction; the close frame follows the queued bytes.
    var closeRequested = false

    /// Whether a frame can be produced for this half now.
    var hasWork: Bool { !queue.isEmpty || closeRequested }
}

/// The receiving half of an mplex stream: bytes delivered and not yet consumed.
struct MplexReceiveHalf: PlaceholderHalf {
    static var placeholder: MplexReceiveHalf { MplexReceiveHalf() }

    var unconsumed = 0
}

/// One stream's state: the halves still open.
typealias MplexStreamState = StreamHalves<MplexSendHalf, MplexReceiveHalf>

/// A stream known to the session.
struct MplexStream: Sendable {
    var state: MplexStreamState
    /// Whether the stream sits in the session's ready queue.
    var scheduled = false
    /// Whether the application should hear when the send queue drains to the low-water mark
    /// (a write was refused, or a write left the queue above the mark).
    var awaitingWritable = false
}
