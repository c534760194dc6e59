/// The sending half of an mplex stream: bytes written and not yet framed.
struct MplexSendHalf: Sendable {
    /// Bytes written by the application and not yet framed.
    var queue = MplexByteQueue()
    /// The application closed the direction; the close frame follows the queued bytes.
    var closeRequested = false

    /// Whether a frame can be produced for this half now.
    var hasWork: Bool { !queue.isEmpty || closeRequested }
}

/// The receiving half of an mplex stream: bytes delivered and not yet consumed.
struct MplexReceiveHalf: Sendable {
    var unconsumed = 0
}

/// One stream's state. Each case holds exactly the halves still open.
enum MplexStreamState: Sendable {
    /// Both directions open.
    case open(MplexSendHalf, MplexReceiveHalf)
    /// This side sent close; the remote may still send.
    case localClosed(MplexReceiveHalf)
    /// The remote sent close; this side may still send.
    case remoteClosed(MplexSendHalf)
}

/// A stream known to the session.
struct MplexStream: Sendable {
    var state: MplexStreamState
    /// Whether the stream sits in the session's ready queue.
    var scheduled = false
    /// Whether the application should hear when the send queue drains to the low-water mark
    /// (a write was refused, or a write left the queue above the mark).
    var awaitingWritable = false

    var sendHalf: MplexSendHalf? {
        switch state {
        case .open(let send, _), .remoteClosed(let send): send
        case .localClosed: nil
        }
    }

    var receiveHalf: MplexReceiveHalf? {
        switch state {
        case .open(_, let receive), .localClosed(let receive): receive
        case .remoteClosed: nil
        }
    }

    /// A value holding no buffers, stored only while a half is being mutated in place.
    private static let placeholder = MplexStreamState.localClosed(MplexReceiveHalf())

    /// Applies `body` to the send half if it exists; `nil` if the direction is closed.
    @discardableResult
    mutating func withSendHalf<R>(_ body: (inout MplexSendHalf) -> R) -> R? {
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

    /// Applies `body` to the receive half if it exists; `nil` if the direction is closed.
    @discardableResult
    mutating func withReceiveHalf<R>(_ body: (inout MplexReceiveHalf) -> R) -> R? {
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
