import MuxerCore

/// The sending half of a stream: credit granted by the remote and bytes waiting for it.
struct YamuxSendHalf: Sendable {
    /// Bytes the remote allows this side to send now.
    var window: UInt32
    /// Bytes written by the application and not yet framed.
    var queue = ByteQueue()
    /// The application closed the direction; FIN follows the queued bytes.
    var finRequested = false

    /// Whether a frame can be produced for this half now.
    var hasWork: Bool { (!queue.isEmpty && window > 0) || (finRequested && queue.isEmpty) }
}

/// The receiving half of a stream: credit granted to the remote and its bookkeeping.
///
/// Invariant: `window + unconsumed + pendingCredit == grantedWindow`.
struct YamuxReceiveHalf: PlaceholderHalf {
    static var placeholder: YamuxReceiveHalf { YamuxReceiveHalf(window: 0) }

    /// Bytes the remote may still send before this side grants more.
    var window: UInt32
    /// Bytes delivered to the application and not yet reported consumed.
    var unconsumed: UInt32 = 0
    /// Bytes consumed and not yet returned to the remote as a window update.
    var pendingCredit: UInt32 = 0
}

/// One stream's state: the halves still open.
typealias YamuxStreamState = StreamHalves<YamuxSendHalf, YamuxReceiveHalf>

/// A stream known to the session.
struct YamuxStream: Sendable {
    var state: YamuxStreamState
    /// Opened by this side (so it counts against the outbound limit and the ACK backlog).
    let openedLocally: Bool
    /// For a locally opened stream, whether the remote acknowledged it.
    var acknowledged: Bool
    /// Whether the stream's ID sits in the session's ready queue.
    var scheduled = false
    /// Whether the application should hear when the send queue drains to the low-water mark
    /// (a write was refused, or a write left the queue above the mark).
    var awaitingWritable = false
}
