import Synchronization

/// The stream protocols a transport serves, shared by all its connections: protocols registered
/// after connections exist are served on them too (the table is read when a peer opens a stream).
public final class StreamProtocolTable: Sendable {
    private struct Entries {
        var handlers: P2PStreamHandlers
        /// The ids sorted, kept with the handlers (multistream offers them in this order).
        var ids: [String]
    }

    private let entries: Mutex<Entries>

    /// A table serving `handlers`.
    public init(_ handlers: P2PStreamHandlers = [:]) {
        entries = Mutex(Entries(handlers: handlers, ids: handlers.keys.sorted()))
    }

    /// Serves `protocolID` with `handler` (replacing an earlier handler of the id).
    public func register(_ protocolID: String, handler: @escaping @Sendable (P2PStream) async -> Void) {
        entries.withLock {
            if $0.handlers.updateValue(handler, forKey: protocolID) == nil { $0.ids = $0.handlers.keys.sorted() }
        }
    }

    /// Stops serving `protocolID` on streams opened from now on.
    public func remove(_ protocolID: String) {
        entries.withLock {
            if $0.handlers.removeValue(forKey: protocolID) != nil { $0.ids = $0.handlers.keys.sorted() }
        }
    }

    /// The handler of `protocolID`, if served.
    public func handler(for protocolID: String) -> (@Sendable (P2PStream) async -> Void)? {
        entries.withLock { $0.handlers[protocolID] }
    }

    /// The protocol ids served, sorted.
    public var protocolIDs: [String] { entries.withLock { $0.ids } }

    /// Every handler, by protocol id.
    public var handlers: P2PStreamHandlers { entries.withLock { $0.handlers } }
}
