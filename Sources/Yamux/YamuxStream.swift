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
struct YamuxReceiveHalf: Sendable {
    /// Bytes the remote may still send before this side grants more.
    var window: UInt32
    /// Bytes delivered to the application and not yet reported consumed.
    var unconsumed: UInt32 = 0
    /// Bytes consumed and not yet returned to the remote as a window update.
    var pendingCredit: UInt32 = 0
}

/// One stream's state. Each case holds exactly the halves still open.
enum YamuxStreamState: Sendable {
    /// Both directions open.
    case open(YamuxSendHalf, YamuxReceiveHalf)
    /// This side sent FIN; the remote may still send.
    case localClosed(YamuxReceiveHalf)
    /// The remote sent FIN; this side may still send.
    case remoteClosed(YamuxSendHalf)
}

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

    var sendHalf: YamuxSendHalf? {
        switch state {
        case .open(let send, _), .remoteClosed(let send): send
        case .localClosed: nil
        }
    }

    var receiveHalf: YamuxReceiveHalf? {
        switch state {
        case .open(_, let receive), .localClosed(let receive): receive
        case .remoteClosed: nil
        }
    }

    /// A value holding no buffers, stored only while a half is being mutated in place.
    private static let placeholder = YamuxStreamState.localClosed(YamuxReceiveHalf(window: 0))

    /// Applies `body` to the send half if it exists; `nil` if the direction is closed.
    @discardableResult
    mutating func withSendHalf<R>(_ body: (inout YamuxSendHalf) -> R) -> R? {
        switch state {
        case .open(var send, let receive):
            state = Self.placeholder  // drop the enum's reference so the queue mutates in place
            let result = body(&send)
            state = .open(send, receive)
            return result
        case .remoteClosed(var send):
            state = Self.placeholder
            let result = body(&send)
            state = .remoteClosed(send)
            return result
        case .localClosed:
            return nil
        }
    }

    /// Applies `body` to the receive half if it exists.
    @discardableResult
    mutating func withReceiveHalf<R>(_ body: (inout YamuxReceiveHalf) -> R) -> R? {
        switch state {
        case .open(let send, var receive):
            let result = body(&receive)
            state = .open(send, receive)
            return result
        case .localClosed(var receive):
            let result = body(&receive)
            state = .localClosed(receive)
            return result
        case .remoteClosed:
            return nil
        }
    }
}
