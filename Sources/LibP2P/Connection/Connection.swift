import NIOCore
import Noise

/// An established libp2p connection, sans-IO: Noise transport plus muxer session.
///
/// Bytes received go to ``receive(_:)`` (decrypt, demultiplex, events out); commands
/// (``openStream()``, ``write(_:_:)``, ``closeWrite(_:)``, ``reset(_:)``, ``consumed(_:_:)``,
/// ``close()``) feed the muxer; ``takeOutbound(maxBytes:)`` returns the encrypted bytes to
/// write. Backpressure: ``writeCapacity(of:)`` says how much a stream accepts now; it grows
/// again as the driver takes outbound bytes and the remote returns yamux credit.
public struct Connection: Sendable {
    /// Bytes of mplex frames allowed to wait in the muxer before writes are held back (mplex
    /// has no flow control of its own).
    public static let mplexOutboundBudget = 256 * 1024

    private enum State: Sendable, Equatable {
        case open
        /// ``close()`` was called: no new streams; existing ones may finish.
        case closing
        /// The peer closed the connection.
        case closed
        case failed(ConnectionError)
    }

    private var transport: NoiseTransport
    private var muxer: MuxerSession
    private var leftover: ByteBuffer
    private var state: State = .open

    /// The authenticated remote peer.
    public let remote: NoiseRemoteIdentity
    /// Whether this side dialed.
    public let isDialer: Bool
    /// The negotiated muxer.
    public var negotiatedMuxer: MuxerProtocol { muxer.muxer }

    /// Takes over an upgraded connection. Call ``start()`` before anything else: the upgrade
    /// may have received muxer bytes already.
    public init(_ upgraded: UpgradedConnection) {
        transport = upgraded.transport
        muxer = upgraded.muxer
        leftover = ByteBuffer(bytes: upgraded.leftover)
        remote = upgraded.remote
        isDialer = upgraded.isDialer
    }

    /// Processes the bytes received during the upgrade.
    public mutating func start() -> [ConnectionEvent] { receive(ByteBuffer()) }

    /// Consumes bytes received from the socket.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [ConnectionEvent] {
        receive(ByteBuffer(bytes: bytes))
    }

    /// Consumes a buffer received from the socket. A Noise frame that arrived whole in it is
    /// decrypted from it in place, and yamux stream data comes out as slices of the plaintext.
    public mutating func receive(_ buffer: ByteBuffer) -> [ConnectionEvent] {
        switch state {
        case .open, .closing: break
        case .closed, .failed: return []
        }
        transport.receive(buffer)
        var events: [ConnectionEvent] = []
        if leftover.readableBytes > 0 {
            let first = leftover
            leftover = ByteBuffer()
            if !deliver(first, &events) { return events }
        }
        while true {
            let message: ByteBuffer?
            do throws(NoiseError) { message = try transport.nextPlaintext() } catch {
                state = .failed(.secureChannel(error))
                events.append(.failed(.secureChannel(error)))
                return events
            }
            guard let message else { break }
            if !deliver(message, &events) { return events }
        }
        return events
    }

    /// Feeds plaintext to the muxer; returns `false` once the connection failed.
    private mutating func deliver(_ plaintext: ByteBuffer, _ events: inout [ConnectionEvent]) -> Bool {
        for event in muxer.receive(plaintext) {
            switch event {
            case .streamOpened(let id): events.append(.streamOpened(id))
            case .data(let id, let bytes): events.append(.data(id, bytes))
            case .readClosed(let id): events.append(.readClosed(id))
            case .streamReset(let id): events.append(.streamReset(id))
            case .remoteGoingAway: events.append(.remoteGoingAway)
            case .pong(let pong): events.append(.pong(pong))
            case .sessionFailed(let error):
                state = .failed(.muxer(error))
                events.append(.failed(.muxer(error)))
                return false
            }
        }
        return true
    }

    /// Encrypted bytes to write now (empty when nothing is pending). Stream data is taken in
    /// chunks of at least `maxBytes` when available (yamux), so a driver can follow the
    /// socket's writability. After a failure only the muxer's last words (a go-away) come out.
    public mutating func takeOutbound(maxBytes: Int = .max) throws(ConnectionError) -> [UInt8] {
        Array(try takeOutboundBuffer(maxBytes: maxBytes).readableBytesView)
    }

    /// What ``takeOutbound(maxBytes:)`` returns, in a buffer ready for the socket: Noise writes
    /// its frames straight into it, a large stream payload in frames of its own, encrypted from
    /// where its writer queued it.
    public mutating func takeOutboundBuffer(
        maxBytes: Int = .max, allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(ConnectionError) -> ByteBuffer {
        switch state {
        case .closed: return ByteBuffer()
        case .open, .closing, .failed: break
        }
        let plaintext = muxer.takeOutboundPieces(maxBytes: maxBytes)
        guard !plaintext.isEmpty else { return ByteBuffer() }
        var out = allocator.buffer(capacity: 0)
        do throws(NoiseError) { try transport.encrypt(pieces: plaintext.pieces, into: &out) } catch {
            if case .failed = state {} else { state = .failed(.secureChannel(error)) }
            throw .secureChannel(error)
        }
        return out
    }

    /// Whether ``takeOutbound(maxBytes:)`` would return bytes.
    public var hasOutbound: Bool { muxer.hasOutbound }

    private func requireUsable(allowClosing: Bool) throws(MuxerUsageError) {
        switch state {
        case .open: return
        case .closing: if allowClosing { return } else { throw .sessionClosed }
        case .closed, .failed: throw .sessionClosed
        }
    }

    /// Opens an outbound stream (the application then negotiates its protocol on it).
    public mutating func openStream() throws(MuxerUsageError) -> MuxedStreamID {
        try requireUsable(allowClosing: false)
        return try muxer.openStream()
    }

    /// Queues bytes on a stream; a write above ``writeCapacity(of:)`` is refused whole (yamux).
    public mutating func write(_ stream: MuxedStreamID, _ bytes: [UInt8]) throws(MuxerUsageError) {
        try requireUsable(allowClosing: true)
        try muxer.write(stream, bytes)
    }

    /// How many bytes ``write(_:_:)`` accepts on `stream` now.
    public func writeCapacity(of stream: MuxedStreamID) -> Int {
        switch state {
        case .open, .closing: muxer.writeCapacity(of: stream, mplexBudget: Self.mplexOutboundBudget)
        case .closed, .failed: 0
        }
    }

    /// Half-closes a stream's sending direction.
    public mutating func closeWrite(_ stream: MuxedStreamID) throws(MuxerUsageError) {
        try requireUsable(allowClosing: true)
        try muxer.closeWrite(stream)
    }

    /// Resets a stream.
    public mutating func reset(_ stream: MuxedStreamID) {
        guard (try? requireUsable(allowClosing: true)) != nil else { return }
        muxer.reset(stream)
    }

    /// Reports `count` delivered bytes of `stream` as processed.
    public mutating func consumed(_ stream: MuxedStreamID, _ count: Int) {
        guard (try? requireUsable(allowClosing: true)) != nil else { return }
        muxer.consumed(stream, count)
    }

    /// Starts a graceful close: no new streams (yamux tells the peer with a go-away). The
    /// driver writes what ``takeOutbound(maxBytes:)`` returns and closes the socket once
    /// ``streamCount`` reaches zero (or at once, if it does not want to wait).
    public mutating func close() {
        guard case .open = state else { return }
        state = .closing
        muxer.close()
    }

    /// The peer closed the socket. That is how libp2p connections normally end (a yamux
    /// go-away first is optional, mplex has none), so it is not an error: the connection is
    /// closed and the driver ends the streams still open.
    public mutating func peerClosed() {
        switch state {
        case .open, .closing: state = .closed
        case .closed, .failed: break
        }
    }

    /// Whether the connection ended (closed by the peer or failed).
    public var isEnded: Bool {
        switch state {
        case .open, .closing: false
        case .closed, .failed: true
        }
    }

    /// Streams open in at least one direction.
    public var streamCount: Int { muxer.streamCount }

    /// Whether a stream's reader is so far behind that the caller should stop reading the
    /// socket until it catches up (see ``MuxerSession/saturatedStreams``).
    public var isReceiveSaturated: Bool { muxer.isReceiveSaturated }

    /// The streams behind ``isReceiveSaturated``.
    public var saturatedStreams: [MuxedStreamID] { muxer.saturatedStreams }

    /// The error that ended the connection, if any.
    public var failure: ConnectionError? {
        if case .failed(let error) = state { return error }
        return nil
    }

    /// Whether the connection accepts new streams.
    public var isOpen: Bool { state == .open }
}
