/// A sans-IO mplex (`/mplex/6.7.0`) session over one secured connection.
///
/// The caller feeds received bytes to ``receive(_:)`` and acts on the returned events, calls the
/// commands (``openStream(name:)``, ``write(_:_:)``, ``closeWrite(_:)``, ``reset(_:)``,
/// ``consumed(_:_:)``), and after each pulls the bytes to send with ``takeOutbound()``.
/// The session does no I/O and reads no clock.
///
/// mplex has no flow control: writes are framed at once (split at
/// ``MplexConfiguration/maxSendFrameLength``), so the caller bounds what it writes by the
/// connection's writability. On the receiving side, bytes not yet reported consumed are counted
/// per stream and a stream exceeding ``MplexConfiguration/maxBufferedBytesPerStream`` is reset.
///
/// ## Choices where the spec is loose
/// - Streams are keyed by (number, opened locally): flags 0, 2, 4, 6 come from the stream's
///   initiator and name a stream the remote opened; 1, 3, 5 name a stream this side opened.
/// - Outbound streams are numbered from 0 and named with their number in decimal (as go-mplex).
/// - A NewStream for a stream the remote already has open is a protocol error (as go-mplex and
///   py-libp2p); beyond ``MplexConfiguration/maxInboundStreams`` it is answered with a reset.
/// - Data, close and reset for unknown streams are dropped, and so is data after the remote's
///   close (as go-mplex and py-libp2p); a repeated close is ignored; empty data frames carry no
///   event.
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
    private var output: [UInt8] = []

    /// Creates a session. mplex needs no client/server role: stream numbers are scoped by the
    /// side that opened the stream.
    public init(configuration: MplexConfiguration = .standard) {
        self.configuration = configuration
        self.state = .active(MplexActiveState(configuration: configuration))
        self.parser = MplexFrameParser(maxPayloadLength: configuration.maxFrameLength)
    }

    /// Consumes bytes received from the connection and returns what happened, in order.
    /// A protocol violation ends the session with ``MplexEvent/sessionFailed(_:)``.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [MplexEvent] {
        guard case .active(var active) = state else { return [] }
        state = .modifying
        parser.append(bytes)
        var events: [MplexEvent] = []
        do throws(MplexProtocolError) {
            while let frame = try parser.nextFrame() {
                try active.handle(frame, events: &events, output: &output)
            }
            state = .active(active)
        } catch {
            parser = MplexFrameParser(maxPayloadLength: 0)
            state = .failed(error)
            events.append(.sessionFailed(error))
        }
        return events
    }

    /// Bytes to write to the connection now; empty when there is nothing to send.
    public mutating func takeOutbound() -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &output)
        return out
    }

    /// Whether ``takeOutbound()`` would return bytes.
    public var hasOutbound: Bool { !output.isEmpty }

    /// Bytes framed and not yet taken; the caller stops writing while this is above what the
    /// connection can absorb (mplex itself never pushes back).
    public var outboundByteCount: Int { output.count }

    /// Opens a stream. `name` defaults to the stream number in decimal, as go-mplex does.
    public mutating func openStream(name: [UInt8]? = nil) throws(MplexUsageError) -> MplexStreamID {
        try withActive { active, output throws(MplexUsageError) in try active.openStream(name: name, output: &output) }
    }

    /// Frames bytes on a stream, split at ``MplexConfiguration/maxSendFrameLength``.
    public mutating func write(_ stream: MplexStreamID, _ bytes: [UInt8]) throws(MplexUsageError) {
        try withActive { active, output throws(MplexUsageError) in try active.write(stream, bytes, output: &output) }
    }

    /// Half-closes the stream's sending direction. Calling it again is harmless.
    public mutating func closeWrite(_ stream: MplexStreamID) throws(MplexUsageError) {
        try withActive { active, output throws(MplexUsageError) in try active.closeWrite(stream, output: &output) }
    }

    /// Resets a stream. Unknown streams are ignored (the remote may have reset it first).
    public mutating func reset(_ stream: MplexStreamID) {
        _ = try? withActive { active, output throws(MplexUsageError) in active.reset(stream, output: &output) }
    }

    /// Reports that the application processed `count` bytes delivered on `stream`.
    public mutating func consumed(_ stream: MplexStreamID, _ count: Int) {
        _ = try? withActive { active, _ throws(MplexUsageError) in active.consumed(stream, count) }
    }

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

    private mutating func withActive<R>(
        _ body: (inout MplexActiveState, inout [UInt8]) throws(MplexUsageError) -> R
    ) throws(MplexUsageError) -> R {
        guard case .active(var active) = state else { throw .sessionClosed }
        state = .modifying
        defer { state = .active(active) }
        return try body(&active, &output)
    }
}
