import NIOCore

/// One negotiated stream of a ``P2PConnection``.
///
/// Iterate it (once) for inbound bytes; the sequence ends at the peer's half-close and throws
/// ``P2PError/streamReset`` on a reset. Bytes are acknowledged to the muxer as the iteration
/// takes them, so a slow reader slows the remote (yamux flow control). ``write(_:)`` suspends
/// while the stream or the socket cannot take more.
public final class P2PStream: AsyncSequence, Sendable {
    /// One chunk of inbound bytes, as the muxer delivered it (chunk boundaries carry no meaning).
    public typealias Element = ByteBuffer
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, StreamInboundDelegate
    >

    /// The negotiated protocol id.
    public let protocolID: String
    /// The muxer's stream id.
    public let id: MuxedStreamID
    /// The connection the stream belongs to: its peer, direction and addresses. A protocol
    /// matches an inbound stream to the peer's state through it, by identity (`===`).
    public let connection: P2PConnection
    private let inbound: Producer
    private let progress: StreamReadProgress
    private let handler: NIOLoopBound<P2PConnectionHandler>

    init(
        protocolID: String, id: MuxedStreamID, connection: P2PConnection,
        inbound: Producer, progress: StreamReadProgress, handler: NIOLoopBound<P2PConnectionHandler>
    ) {
        self.protocolID = protocolID
        self.id = id
        self.connection = connection
        self.inbound = inbound
        self.progress = progress
        self.handler = handler
    }

    /// The connection's authenticated remote peer id (multihash bytes).
    public var remotePeerID: [UInt8] { connection.remotePeerID }
    /// The connection's remote socket address.
    public var remoteAddress: SocketAddress? { connection.channel.remoteAddress }
    /// The connection's channel: once it is closed, its event loop group may be gone, so nothing
    /// is submitted there (a task that never runs would leak its promise).
    private var channel: any Channel { connection.channel }

    /// Iterates the inbound bytes.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Producer.AsyncIterator
        let progress: StreamReadProgress

        /// The next inbound buffer, `nil` after the peer's half-close; throws on a reset.
        public mutating func next() async throws -> ByteBuffer? {
            let buffer = try await base.next()
            if buffer != nil { progress.tookOne() }
            return buffer
        }
    }

    /// The inbound bytes; only one iterator may be made.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: inbound.makeAsyncIterator(), progress: progress)
    }

    /// Queues `bytes` on the stream; returns once the muxer took them all, suspending while
    /// the stream's send window or the socket is full.
    public func write(_ bytes: ByteBuffer) async throws {
        try await write(bytes: Array(bytes.readableBytesView))
    }

    /// Queues `bytes` on the stream as ``write(_:)`` does, without copying them: the muxer keeps
    /// the array itself when it takes it whole (at most 64 KiB that fit the stream's window).
    public func write(bytes: [UInt8]) async throws {
        let handler = self.handler
        let id = self.id
        guard channel.isActive else { throw P2PError.connectionClosed }
        try await handler.eventLoop.flatSubmit { handler.value.write(bytes, on: id) }.get()
    }

    /// Half-closes the sending direction (after the bytes already written).
    public func closeWrite() async throws {
        let handler = self.handler
        let id = self.id
        guard channel.isActive else { throw P2PError.connectionClosed }
        try await handler.eventLoop.flatSubmit { handler.value.closeWrite(id) }.get()
    }

    /// Resets the stream in both directions.
    public func reset() async {
        let handler = self.handler
        let id = self.id
        guard channel.isActive else { return }
        try? await handler.eventLoop.submit { handler.value.reset(id) }.get()
    }
}

/// Bridges the inbound sequence's demand back to the connection handler's event loop.
final class StreamInboundDelegate: NIOAsyncSequenceProducerDelegate, Sendable {
    private let handler: NIOLoopBound<P2PConnectionHandler>
    private let id: MuxedStreamID

    init(handler: NIOLoopBound<P2PConnectionHandler>, id: MuxedStreamID) {
        self.handler = handler
        self.id = id
    }

    func produceMore() {
        let handler = self.handler
        let id = self.id
        handler.eventLoop.execute { handler.value.readerWantsMore(id) }
    }

    func didTerminate() {
        let handler = self.handler
        let id = self.id
        handler.eventLoop.execute { handler.value.readerTerminated(id) }
    }
}
