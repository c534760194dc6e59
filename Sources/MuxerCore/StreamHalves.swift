/// A receiving half that can stand in, holding no buffers, while a stream's sending half is
/// mutated in place.
public protocol PlaceholderHalf: Sendable {
    /// A value holding no buffers.
    static var placeholder: Self { get }
}

/// The halves of a multiplexed stream that are still open: each case holds exactly those.
public enum StreamHalves<Send: Sendable, Receive: PlaceholderHalf>: Sendable {
    /// Both directions open.
    case open(Send, Receive)
    /// This side closed its sending direction; the remote may still send.
    case localClosed(Receive)
    /// The remote closed its sending direction; this side may still send.
    case remoteClosed(Send)

    /// The sending half, if this side may still send.
    @inlinable
    public var sendHalf: Send? {
        switch self {
        case .open(let send, _), .remoteClosed(let send): send
        case .localClosed: nil
        }
    }

    /// The receiving half, if the remote may still send.
    @inlinable
    public var receiveHalf: Receive? {
        switch self {
        case .open(_, let receive), .localClosed(let receive): receive
        case .remoteClosed: nil
        }
    }

    /// Applies `body` to the send half if it exists; `nil` if the direction is closed.
    @inlinable @discardableResult
    public mutating func withSendHalf<R>(_ body: (inout Send) -> R) -> R? {
        switch self {
        case .open(var send, let receive):
            self = .localClosed(.placeholder)  // drop the enum's reference so the half mutates in place
            let result = body(&send)
            self = .open(send, receive)
            return result
        case .remoteClosed(var send):
            self = .localClosed(.placeholder)
            let result = body(&send)
            self = .remoteClosed(send)
            return result
        case .localClosed:
            return nil
        }
    }

    /// Applies `body` to the receive half if it exists; `nil` if the direction is closed.
    @inlinable @discardableResult
    public mutating func withReceiveHalf<R>(_ body: (inout Receive) -> R) -> R? {
        switch self {
        case .open(let send, var receive):
            let result = body(&receive)
            self = .open(send, receive)
            return result
        case .localClosed(var receive):
            let result = body(&receive)
            self = .localClosed(receive)
            return result
        case .remoteClosed:
            return nil
        }
    }

    /// This side's sending direction has closed. Returns true when both directions are now
    /// closed, so the stream can be forgotten.
    @inlinable
    public mutating func closeSending() -> Bool {
        switch self {
        case .open(_, let receive):
            self = .localClosed(receive)
            return false
        case .remoteClosed:
            return true
        case .localClosed:
            return false
        }
    }
}
