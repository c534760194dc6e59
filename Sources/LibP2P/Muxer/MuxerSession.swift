import Mplex
import MuxerCore
import NIOCore
import Yamux

/// One yamux or mplex session behind a single interface, for the connection layer.
///
/// A sans-IO value like the sessions it wraps: bytes in through ``receive(_:)``, commands,
/// bytes out through ``takeOutbound(maxBytes:)``.
public struct MuxerSession: Sendable {
    @usableFromInline
    enum Storage: Sendable {
        case yamux(YamuxSession)
        case mplex(MplexSession)
        /// Only while a method mutates the wrapped session in place (avoids a copy on write).
        case modifying
    }

    @usableFromInline var storage: Storage
    /// Which muxer this is.
    public let muxer: MuxerProtocol

    /// A yamux session.
    public init(_ session: YamuxSession) {
        storage = .yamux(session)
        muxer = .yamux
    }

    /// An mplex session.
    public init(_ session: MplexSession) {
        storage = .mplex(session)
        muxer = .mplex
    }

    /// A fresh session for `muxer`; the dialer is the yamux client.
    public init(_ muxer: MuxerProtocol, isDialer: Bool, configuration: MuxerConfiguration = .init()) {
        switch muxer {
        case .yamux: self.init(YamuxSession(role: isDialer ? .client : .server, configuration: configuration.yamux))
        case .mplex: self.init(MplexSession(configuration: configuration.mplex))
        }
    }

    private mutating func withYamux<R>(_ body: (inout YamuxSession) throws(MuxerUsageError) -> R) throws(MuxerUsageError) -> R? {
        guard case .yamux(var session) = storage else { return nil }
        storage = .modifying
        defer { storage = .yamux(session) }
        return try body(&session)
    }

    private mutating func withMplex<R>(_ body: (inout MplexSession) throws(MuxerUsageError) -> R) throws(MuxerUsageError) -> R? {
        guard case .mplex(var session) = storage else { return nil }
        storage = .modifying
        defer { storage = .mplex(session) }
        return try body(&session)
    }

    /// Consumes decrypted bytes from the connection and returns what happened, in order.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [MuxerEvent] {
        receive(ByteBuffer(bytes: bytes))
    }

    /// Consumes a decrypted buffer from the connection and returns what happened, in order.
    /// Yamux stream data comes out as slices of it; mplex data is copied out of it.
    public mutating func receive(_ buffer: ByteBuffer) -> [MuxerEvent] {
        if let events = try? withYamux({ s in s.receive(buffer).compactMap(Self.map) }) { return events }
        if let events = try? withMplex({ s in s.receive(buffer.readableBytesView).map(Self.map) }) { return events }
        return []
    }

    private static func map(_ event: YamuxEvent) -> MuxerEvent? {
        switch event {
        case .streamOpened(let id): .streamOpened(MuxedStreamID(.yamux(id)))
        case .streamAcknowledged: nil
        case .data(let id, let bytes): .data(MuxedStreamID(.yamux(id)), bytes)
        case .readClosed(let id): .readClosed(MuxedStreamID(.yamux(id)))
        case .streamReset(let id, _): .streamReset(MuxedStreamID(.yamux(id)))
        case .pong(let pong): .pong(pong)
        case .goAwayReceived: .remoteGoingAway
        case .sessionFailed(let error): .sessionFailed(.yamux(error))
        }
    }

    private static func map(_ event: MplexEvent) -> MuxerEvent {
        switch event {
        case .streamOpened(let id, _): .streamOpened(MuxedStreamID(.mplex(id)))
        case .data(let id, let bytes): .data(MuxedStreamID(.mplex(id)), ByteBuffer(bytes: bytes))
        case .readClosed(let id): .readClosed(MuxedStreamID(.mplex(id)))
        case .streamReset(let id, _): .streamReset(MuxedStreamID(.mplex(id)))
        case .sessionFailed(let error): .sessionFailed(.mplex(error))
        }
    }

    /// Plaintext bytes to send now (at least `maxBytes` of stream data when that much is ready).
    public mutating func takeOutbound(maxBytes: Int = .max) -> [UInt8] {
        takeOutboundPieces(maxBytes: maxBytes).joined
    }

    /// What ``takeOutbound(maxBytes:)`` returns, as pieces: yamux keeps a large payload a slice
    /// of what its writer queued (see ``YamuxSession/takeOutboundPieces(maxBytes:)``).
    public mutating func takeOutboundPieces(maxBytes: Int = .max) -> OutboundBytes {
        if let out = try? withYamux({ s in s.takeOutboundPieces(maxBytes: maxBytes) }) { return out }
        if let out = try? withMplex({ s in s.takeOutbound(maxBytes: maxBytes) }) { return OutboundBytes(out) }
        return OutboundBytes()
    }

    /// Whether ``takeOutbound(maxBytes:)`` would return bytes.
    public var hasOutbound: Bool {
        switch storage {
        case .yamux(let s): s.hasOutbound
        case .mplex(let s): s.hasOutbound
        case .modifying: false
        }
    }

    /// Opens an outbound stream.
    public mutating func openStream() throws(MuxerUsageError) -> MuxedStreamID {
        if let id = try withYamux({ s throws(MuxerUsageError) in
            do throws(YamuxUsageError) { return MuxedStreamID(.yamux(try s.openStream())) } catch { throw .yamux(error) }
        }) { return id }
        if let id = try withMplex({ s throws(MuxerUsageError) in
            do throws(MplexUsageError) { return MuxedStreamID(.mplex(try s.openStream())) } catch { throw .mplex(error) }
        }) { return id }
        throw .sessionClosed
    }

    /// Queues bytes on a stream. yamux refuses a write that does not fit the stream's send
    /// queue entirely (see ``writeCapacity(of:mplexBudget:)``).
    public mutating func write(_ stream: MuxedStreamID, _ bytes: [UInt8]) throws(MuxerUsageError) {
        switch stream.raw {
        case .yamux(let id):
            guard try withYamux({ s throws(MuxerUsageError) -> Void in
                do throws(YamuxUsageError) { try s.write(id, bytes) } catch { throw .yamux(error) }
            }) != nil else { throw .foreignStream(stream) }
        case .mplex(let id):
            guard try withMplex({ s throws(MuxerUsageError) -> Void in
                do throws(MplexUsageError) { try s.write(id, bytes) } catch { throw .mplex(error) }
            }) != nil else { throw .foreignStream(stream) }
        }
    }

    /// Half-closes a stream's sending direction.
    public mutating func closeWrite(_ stream: MuxedStreamID) throws(MuxerUsageError) {
        switch stream.raw {
        case .yamux(let id):
            guard try withYamux({ s throws(MuxerUsageError) -> Void in
                do throws(YamuxUsageError) { try s.closeWrite(id) } catch { throw .yamux(error) }
            }) != nil else { throw .foreignStream(stream) }
        case .mplex(let id):
            guard try withMplex({ s throws(MuxerUsageError) -> Void in
                do throws(MplexUsageError) { try s.closeWrite(id) } catch { throw .mplex(error) }
            }) != nil else { throw .foreignStream(stream) }
        }
    }

    /// Resets a stream; unknown streams are ignored.
    public mutating func reset(_ stream: MuxedStreamID) {
        switch stream.raw {
        case .yamux(let id): _ = try? withYamux { s in s.reset(id) }
        case .mplex(let id): _ = try? withMplex { s in s.reset(id) }
        }
    }

    /// Reports `count` delivered bytes of `stream` as processed (returns yamux credit).
    public mutating func consumed(_ stream: MuxedStreamID, _ count: Int) {
        switch stream.raw {
        case .yamux(let id): _ = try? withYamux { s in s.consumed(id, count) }
        case .mplex(let id): _ = try? withMplex { s in s.consumed(id, count) }
        }
    }

    /// Starts a graceful close: yamux sends a go-away (no new streams either way); mplex has
    /// no such message, so nothing is sent. Calling it again is harmless.
    public mutating func close() {
        _ = try? withYamux { s in try? s.goAway(.normal) }
    }

    /// How many more bytes a write on `stream` can take now without being refused: yamux's
    /// free per-stream send queue; for mplex (no flow control) `mplexBudget` minus the bytes
    /// framed and not yet taken. `0` for unknown streams.
    public func writeCapacity(of stream: MuxedStreamID, mplexBudget: Int) -> Int {
        switch (storage, stream.raw) {
        case (.yamux(let s), .yamux(let id)):
            guard let queued = s.queuedByteCount(of: id) else { return 0 }
            return max(0, s.configuration.maxQueuedBytesPerStream - queued)
        case (.mplex(let s), .mplex):
            return max(0, mplexBudget - s.outboundByteCount)
        default:
            return 0
        }
    }

    /// Streams whose reader is so far behind that the connection should not be read further
    /// (mplex, which has no flow control); always empty for yamux, whose windows hold the sender.
    public var saturatedStreams: [MuxedStreamID] {
        guard case .mplex(let s) = storage else { return [] }
        return s.saturatedStreams.map { MuxedStreamID(.mplex($0)) }
    }

    /// Whether ``saturatedStreams`` is not empty.
    public var isReceiveSaturated: Bool {
        guard case .mplex(let s) = storage else { return false }
        return !s.saturatedStreams.isEmpty
    }

    /// Streams open in at least one direction.
    public var streamCount: Int {
        switch storage {
        case .yamux(let s): s.streamCount
        case .mplex(let s): s.streamCount
        case .modifying: 0
        }
    }

    /// The protocol error that ended the session, if any.
    public var failure: MuxerProtocolError? {
        switch storage {
        case .yamux(let s): s.failure.map { .yamux($0) }
        case .mplex(let s): s.failure.map { .mplex($0) }
        case .modifying: nil
        }
    }
}
