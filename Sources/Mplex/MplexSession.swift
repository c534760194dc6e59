/// A sans-IO mplex (`/mplex/6.7.0`) session over one secured connection.
///
/// The caller feeds received bytes to ``receive(_:)`` and acts on the returned events, calls the
/// commands (``openStream(name:)``, ``write(_:_:)``, ``closeWrite(_:)``, ``reset(_:)``,
/// ``consumed(_:_:)``), and after each pulls the bytes to send with ``takeOutbound(maxBytes:)``
/// and the streams that can take writes again with ``takeWritableStreams()``.
/// The session does no I/O and reads no clock.
///
/// mplex has no flow control. On the sending side, writes wait in a bounded per-stream queue
/// (``MplexConfiguration/maxQueuedBytesPerStream``) and are framed round robin, at most
/// ``MplexConfiguration/maxSendFrameLength`` per frame, as the caller takes output: a caller
/// that takes output only while the socket is writable gets backpressure per stream. On the
/// receiving side, bytes not yet reported consumed are counted per stream. A stream holding half
/// of ``MplexConfiguration/maxBufferedBytesPerStream`` is listed in ``saturatedStreams``: the
/// caller should stop reading the connection until it drains, so that TCP slows the sender (go-mplex
/// blocks its reader the same way). A stream exceeding the limit is reset.
///
/// ## Choices where the spec is loose
/// - Streams are keyed by (number, opened locally): flags 0, 2, 4, 6 come from the stream's
///   initiator and name a stream the remote opened; 1, 3, 5 name a stream this side opened.
/// - Outbound streams are numbered from 0 and named with their number in decimal (as go-mplex).
/// - A NewStream for a stream the remote already has open is a protocol error (as go-mplex and
///   py-libp2p); beyond ``MplexConfiguration/maxInboundStreams`` it is answered with a reset.
/// - Data for a stream number never opened is answered with a reset and reported as
///   ``MplexResetReason/unknownStream``. Data, close and reset for streams that are gone are
///   dropped, and so is data after the remote's close (as go-mplex and py-libp2p); a repeated
///   close is ignored; empty data frames carry no event.
/// - Flag 7, a varint longer than 9 bytes or not minimally encoded, and a frame longer than
///   ``MplexConfiguration/maxFrameLength`` are protocol errors that end the session.
public struct MplexSession: Sendable {
    /// The session's limits.
    public let configuration: MplexConfiguration

    private enum State: Sendable {
        case active(MplexActiveState)
        case failed(MplexProtocolError)
        /// Only while a method mutates the active state in place (avoids copying it).
        case modifying
    }

    private var state: State
    private var parser: MplexFrameParser
    /// Encoded control frames (NewStream, resets) not yet taken; they go out before data.
    private var control: [UInt8] = []

    /// Creates a session. mplex needs no client/server role: stream numbers are scoped by the
    /// side that opened the stream.
    public init(configuration: MplexConfiguration = .standard) {
        self.configuration = configuration
        self.state = .active(MplexActiveState(configuration: configuration))
        self.parser = MplexFrameParser(maxPayloadLength: configuration.maxFrameLength)
    }

    // MARK: Input

    /// Consumes bytes received from the connection and returns what happened, in order.
    /// A protocol violation ends the session with ``MplexEvent/sessionFailed(_:)``.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [MplexEvent] {
        guard case .active(var active) = state else { return [] }
        state = .modifying
        parser.append(bytes)
        var events: [MplexEvent] = []
        do throws(MplexProtocolError) {
            while let frame = try parser.nextFrame() {
                try active.handle(frame, events: &events, control: &control)
            }
            state = .active(active)
        } catch {
            parser = MplexFrameParser(maxPayloadLength: 0)
            state = .failed(error)
            events.append(.sessionFailed(error))
        }
        return events
    }

    // MARK: Output

    /// Bytes to write to the connection now: all pending control frames, then data frames from
    /// the streams with queued bytes, round robin, until at least `maxBytes` bytes are
    /// collected. Empty when there is nothing to send.
    public mutating func takeOutbound(maxBytes: Int = .max) -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &control)
        if case .active(var active) = state {
            state = .modifying
            active.produceData(into: &out, limit: maxBytes)
            state = .active(active)
        }
        return out
    }

    /// Whether ``takeOutbound(maxBytes:)`` would return bytes.
    public var hasOutbound: Bool {
        if !control.isEmpty { return true }
        if case .active(let active) = state { return active.hasDataToSend }
        return false
    }

    /// Bytes written or framed and not yet taken (control frames plus every stream's queue).
    public var outboundByteCount: Int {
        if case .active(let active) = state { return control.count + active.queuedByteCount }
        return control.count
    }

    /// Streams that became writable again since the last call, in that order: each had a write
    /// refused with ``MplexUsageError/sendQueueFull(_:available:)`` or a queue above half of
    /// ``MplexConfiguration/maxQueuedBytesPerStream``, and its queue has since drained to half.
    /// Each such episode is reported once; streams that were reset or closed meanwhile may
    /// appear (writes then fail as usual).
    public mutating func takeWritableStreams() -> [MplexStreamID] {
        guard case .active(var active) = state else { return [] }
        state = .modifying
        defer { state = .active(active) }
        return active.takeWritable()
    }

    /// Whether ``takeWritableStreams()`` would return streams.
    public var hasWritableStreams: Bool {
        if case .active(let active) = state { return !active.writable.isEmpty }
        return false
    }

    // MARK: Commands

    /// Opens a stream. `name` defaults to the stream number in decimal, as go-mplex does.
    public mutating func openStream(name: [UInt8]? = nil) throws(MplexUsageError) -> MplexStreamID {
        try withActive { active, control throws(MplexUsageError) in try active.openStream(name: name, control: &control) }
    }

    /// Queues bytes on a stream. A write that does not fit the stream's queue
    /// (``writeCapacity(of:)``) is refused whole.
    public mutating func write(_ stream: MplexStreamID, _ bytes: [UInt8]) throws(MplexUsageError) {
        try withActive { active, _ throws(MplexUsageError) in try active.write(stream, bytes) }
    }

    /// Half-closes the stream's sending direction; the close frame follows the queued bytes.
    /// Calling it again is harmless.
    public mutating func closeWrite(_ stream: MplexStreamID) throws(MplexUsageError) {
        try withActive { active, _ throws(MplexUsageError) in try active.closeWrite(stream) }
    }

    /// Resets a stream: queued bytes are dropped and a reset is sent. Unknown streams are
    /// ignored (the remote may have reset it first).
    public mutating func reset(_ stream: MplexStreamID) {
        _ = try? withActive { active, control throws(MplexUsageError) in active.reset(stream, control: &control) }
    }

    /// Reports that the application processed `count` bytes delivered on `stream`.
    public mutating func consumed(_ stream: MplexStreamID, _ count: Int) {
        _ = try? withActive { active, _ throws(MplexUsageError) in active.consumed(stream, count) }
    }

    // MARK: Queries

    /// The protocol error that ended the session, if any.
    public var failure: MplexProtocolError? {
        if case .failed(let error) = state { return error }
        return nil
    }

    /// Streams currently known (open in at least one direction).
    public var streamCount: Int {
        if case .active(let active) = state { return active.streams.count }
        return 0
    }

    /// Bytes delivered on `stream` and not yet consumed, or `nil` if the remote cannot send on it.
    public func unconsumedByteCount(of stream: MplexStreamID) -> Int? {
        guard case .active(let active) = state else { return nil }
        return active.unconsumedByteCount(of: stream)
    }

    /// Streams holding at least half of ``MplexConfiguration/maxBufferedBytesPerStream`` bytes
    /// not reported consumed. While any is listed the caller should not read more from the
    /// connection; if one stays listed too long, resetting it frees the connection.
    public var saturatedStreams: Set<MplexStreamID> {
        guard case .active(let active) = state else { return [] }
        return active.saturated
    }

    /// Bytes written on `stream` and not yet framed, or `nil` if it cannot be written to.
    public func queuedByteCount(of stream: MplexStreamID) -> Int? {
        guard case .active(let active) = state else { return nil }
        return active.queuedByteCount(of: stream)
    }

    /// How many bytes ``write(_:_:)`` accepts on `stream` now; 0 if it cannot be written to.
    public func writeCapacity(of stream: MplexStreamID) -> Int {
        guard let queued = queuedByteCount(of: stream) else { return 0 }
        return max(0, configuration.maxQueuedBytesPerStream - queued)
    }

    private mutating func withActive<R>(
        _ body: (inout MplexActiveState, inout [UInt8]) throws(MplexUsageError) -> R
    ) throws(MplexUsageError) -> R {
        guard case .active(var active) = state else { throw .sessionClosed }
        state = .modifying
        defer { state = .active(active) }
        return try body(&active, &control)
    }
}
