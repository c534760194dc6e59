import NIOCore
import MuxerCore

/// A sans-IO yamux (`/yamux/1.0.0`) session over one secured connection.
///
/// The caller feeds received bytes to ``receive(_:)`` and acts on the returned events, calls the
/// commands (``openStream()``, ``write(_:_:)``, ``closeWrite(_:)``, ``reset(_:)``,
/// ``consumed(_:_:)``, ``ping(now:)``, ``goAway(_:)``), and after each of these pulls the bytes
/// to send with ``takeOutbound(maxBytes:)`` and the streams that can take writes again with
/// ``takeWritableStreams()``. The session does no I/O and reads no clock.
///
/// Flow control: each stream starts with a 256 KiB window each way. Writes beyond the send window
/// wait in a bounded per-stream queue and go out as the remote grants credit. Received bytes
/// count against the receive window until the application reports them with ``consumed(_:_:)``;
/// once half the window is consumed, a window update returns the credit.
///
/// ## Choices where the spec is loose
/// - Control flags travel in frames of their own, in the forms every known peer (go-libp2p,
///   rust-libp2p, py-libp2p) reads: SYN on a zero-delta window update (extra receive credit in a
///   separate update), ACK on a window update carrying the extra credit, FIN on a data frame
///   (piggybacked on the last queued bytes, or empty), RST on an empty data frame.
/// - Inbound streams are acknowledged at once; the application need not accept them.
/// - Inbound SYN: ID 0 or the wrong parity, or an ID still open, is a protocol error
///   (go-away); beyond ``YamuxConfiguration/maxInboundStreams`` or after this side's go-away it
///   is refused with RST. A SYN that also carries RST is ignored. A closed ID may be reused.
/// - Data, window updates, FIN and RST for unknown streams are dropped (as go-yamux,
///   rust-yamux and py-libp2p do); data frames still count against the frame length limit.
/// - Data after the remote's own FIN resets that stream (RST, ``YamuxResetReason/dataAfterRemoteClose``).
/// - Data beyond a stream's receive window, and any data frame longer than the configured window,
///   is a protocol error. Window updates saturate at 2^32 - 1.
/// - A go-away received stops new outbound streams but keeps existing ones; go-away codes other
///   than 0-2 are reported as they are. Pings are answered while the session is active; pings
///   with neither SYN nor ACK, and ACKs matching no outstanding ping, are ignored.
/// - Unknown flag bits are ignored; the stream ID of pings and go-aways is not checked.
public struct YamuxSession: Sendable {
    /// Client (dialer, odd stream IDs) or server (listener, even stream IDs).
    public let role: YamuxRole
    /// The session's limits.
    public let configuration: YamuxConfiguration

    private enum State: Sendable {
        case active(YamuxActiveState)
        case failed(YamuxProtocolError)
        /// Only while a method mutates the active state in place (avoids copying it).
        case modifying
    }

    private var state: State
    private var parser: YamuxFrameParser
    /// Encoded control frames (SYN, ACK, RST, window updates, pings, go-away) not yet taken.
    private var control: [UInt8] = []

    /// Creates a session.
    public init(role: YamuxRole, configuration: YamuxConfiguration = .standard) {
        self.role = role
        self.configuration = configuration
        self.state = .active(YamuxActiveState(role: role, configuration: configuration))
        self.parser = YamuxFrameParser(maxDataLength: configuration.receiveWindow)
    }

    // MARK: Input

    /// Consumes bytes received from the connection and returns what happened, in order.
    ///
    /// A protocol violation ends the session: a go-away (protocol error) is queued and the last
    /// event is ``YamuxEvent/sessionFailed(_:)``. Input after that is ignored.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [YamuxEvent] {
        guard case .active = state else { return [] }
        parser.append(bytes)
        return parseFrames()
    }

    /// Consumes a buffer received from the connection, as the byte-sequence variant does;
    /// stream data comes out as slices of it.
    public mutating func receive(_ buffer: ByteBuffer) -> [YamuxEvent] {
        guard case .active = state else { return [] }
        parser.append(buffer)
        return parseFrames()
    }

    private mutating func parseFrames() -> [YamuxEvent] {
        guard case .active(var active) = state else { return [] }
        state = .modifying
        var events: [YamuxEvent] = []
        do throws(YamuxProtocolError) {
            while let frame = try parser.nextFrame() {
                try active.handle(frame, events: &events, control: &control)
            }
            state = .active(active)
        } catch {
            YamuxActiveState.appendFrame(.goAway, [], 0, YamuxGoAwayCode.protocolError.rawValue, to: &control)
            parser = YamuxFrameParser(maxDataLength: 0)
            state = .failed(error)
            events.append(.sessionFailed(error))
        }
        return events
    }

    // MARK: Output

    /// Bytes to write to the connection now: all pending control frames, then data frames from
    /// the streams with queued bytes and send credit, round robin, until at least `maxBytes`
    /// bytes are collected. Empty when there is nothing to send.
    public mutating func takeOutbound(maxBytes: Int = .max) -> [UInt8] {
        takeOutboundPieces(maxBytes: maxBytes).joined
    }

    /// What ``takeOutbound(maxBytes:)`` returns, as pieces: a data frame's payload of at least
    /// ``OutboundBytes/sharingThreshold`` bytes is a slice of what the stream's writer queued,
    /// not a copy; headers and control frames are joined around it.
    public mutating func takeOutboundPieces(maxBytes: Int = .max) -> OutboundBytes {
        var out = OutboundBytes(control)
        control = []
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

    /// Streams that became writable again since the last call, in that order: each had a write
    /// refused with ``YamuxUsageError/sendQueueFull(_:available:)`` or a queue above half of
    /// ``YamuxConfiguration/maxQueuedBytesPerStream``, and its queue has since drained to half
    /// (bytes leave the queue in ``takeOutbound(maxBytes:)`` as the remote grants credit).
    /// Each such episode is reported once; streams reset or closed meanwhile may appear.
    public mutating func takeWritableStreams() -> [YamuxStreamID] {
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

    /// Opens a stream. Its SYN is queued at once; data may be written before the ACK arrives.
    public mutating func openStream() throws(YamuxUsageError) -> YamuxStreamID {
        try withActive { active, control throws(YamuxUsageError) in try active.openStream(control: &control) }
    }

    /// Queues bytes on a stream. Bytes beyond the send window wait, up to
    /// ``YamuxConfiguration/maxQueuedBytesPerStream`` per stream; a write that does not fit
    /// entirely is refused entirely.
    public mutating func write(_ stream: YamuxStreamID, _ bytes: [UInt8]) throws(YamuxUsageError) {
        try withActive { active, _ throws(YamuxUsageError) in try active.write(stream, bytes) }
    }

    /// Half-closes the stream's sending direction; FIN follows the bytes already queued.
    /// Calling it again is harmless.
    public mutating func closeWrite(_ stream: YamuxStreamID) throws(YamuxUsageError) {
        try withActive { active, _ throws(YamuxUsageError) in try active.closeWrite(stream) }
    }

    /// Resets a stream: queued bytes are dropped and RST is sent. Unknown streams are ignored
    /// (the remote may have reset it first).
    public mutating func reset(_ stream: YamuxStreamID) {
        _ = try? withActive { active, control throws(YamuxUsageError) in active.reset(stream, control: &control) }
    }

    /// Reports that the application processed `count` bytes delivered on `stream`; returns
    /// receive credit to the remote once half the window is consumed. Counts above what was
    /// delivered, and unknown streams, are ignored.
    public mutating func consumed(_ stream: YamuxStreamID, _ count: Int) {
        _ = try? withActive { active, control throws(YamuxUsageError) in
            active.consumed(stream, count, control: &control)
        }
    }

    /// Sends a ping; the answer arrives as ``YamuxEvent/pong(_:)`` carrying `now`.
    /// - Returns: the ping's opaque value.
    public mutating func ping(now: Duration) throws(YamuxUsageError) -> UInt32 {
        try withActive { active, control throws(YamuxUsageError) in try active.ping(now: now, control: &control) }
    }

    /// Sends a go-away: no new streams either way; existing streams continue. The caller closes
    /// the connection once it is done with them.
    public mutating func goAway(_ code: YamuxGoAwayCode = .normal) throws(YamuxUsageError) {
        try withActive { active, control throws(YamuxUsageError) in try active.goAway(code, control: &control) }
    }

    // MARK: Queries

    /// The protocol error that ended the session, if any.
    public var failure: YamuxProtocolError? {
        if case .failed(let error) = state { return error }
        return nil
    }

    /// Streams currently known (open in at least one direction).
    public var streamCount: Int {
        if case .active(let active) = state { return active.streams.count }
        return 0
    }

    /// The go-away this side sent, if any.
    public var localGoAwayCode: YamuxGoAwayCode? {
        if case .active(let active) = state { return active.localGoAway }
        return nil
    }

    /// The go-away the remote sent, if any.
    public var remoteGoAwayCode: YamuxGoAwayCode? {
        if case .active(let active) = state { return active.remoteGoAway }
        return nil
    }

    /// The credit the remote granted on `stream`, or `nil` if it cannot be written to.
    public func sendWindow(of stream: YamuxStreamID) -> UInt32? {
        guard case .active(let active) = state else { return nil }
        return active.streams[stream.rawValue]?.state.sendHalf?.window
    }

    /// Bytes written on `stream` and not yet sent, or `nil` if it cannot be written to.
    public func queuedByteCount(of stream: YamuxStreamID) -> Int? {
        guard case .active(let active) = state else { return nil }
        return active.streams[stream.rawValue]?.state.sendHalf?.queue.count
    }

    /// How many bytes ``write(_:_:)`` accepts on `stream` now; 0 if it cannot be written to.
    public func writeCapacity(of stream: YamuxStreamID) -> Int {
        guard let queued = queuedByteCount(of: stream) else { return 0 }
        return max(0, configuration.maxQueuedBytesPerStream - queued)
    }

    /// The credit this side granted the remote on `stream`, or `nil` if the remote cannot send.
    public func receiveWindow(of stream: YamuxStreamID) -> UInt32? {
        guard case .active(let active) = state else { return nil }
        return active.streams[stream.rawValue]?.state.receiveHalf?.window
    }

    private mutating func withActive<R>(
        _ body: (inout YamuxActiveState, inout [UInt8]) throws(YamuxUsageError) -> R
    ) throws(YamuxUsageError) -> R {
        guard case .active(var active) = state else { throw .sessionClosed }
        state = .modifying
        defer { state = .active(active) }
        return try body(&active, &control)
    }
}
