import Logging
import Multistream
import NIOCore
import Noise

/// Drives ``ConnectionUpgrade`` and then ``Connection`` on a byte channel (TCP), and bridges
/// streams to async code. All its state lives on the channel's event loop; ``P2PConnection``
/// and ``P2PStream`` hop there for every command.
///
/// Output follows the socket: muxer bytes are taken in chunks of ``maxOutboundChunk`` only
/// while the channel is writable, so a slow socket fills the muxer's per-stream queues and
/// suspends the writers.
///
/// Input follows the readers: while the muxer reports a stream whose reader is far behind
/// (mplex, which has no flow control), the handler holds back the channel's `read`, so TCP
/// slows the sender instead of the stream being reset. A stream that keeps the connection paused
/// for ``readStallTimeout`` without its reader taking anything is reset, so one stuck reader
/// cannot stall the others for good.
final class P2PConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Plaintext taken from the muxer per socket write.
    static let maxOutboundChunk = 64 * 1024
    /// How long a saturated stream whose reader takes nothing may keep the connection from being
    /// read before it is reset.
    static let readStallTimeout = TimeAmount.seconds(10)

    private enum Phase {
        case awaitingActive
        case upgrading
        case established
        case closed
    }

    private struct PendingWrite {
        var bytes: [UInt8]
        var offset = 0
        /// Half-close once the earlier writes are taken.
        var isClose = false
        let promise: EventLoopPromise<Void>
    }

    private enum StreamPhase {
        case outbound(MultistreamInitiator, EventLoopPromise<P2PStream>)
        case inbound(MultistreamResponder)
        case open(P2PStream.Producer.Source)
    }

    private struct StreamEntry {
        var phase: StreamPhase
        /// Bytes delivered to the reader but not yet acknowledged to the muxer.
        var owed = 0
        /// Buffers the reader has taken (set once the stream is open).
        var progress: StreamReadProgress?
        /// ``progress`` when the stall timer last started.
        var takenWhenStallTimerStarted = 0
        var readerGone = false
        var readClosed = false
        var writeClosed = false
        var pendingWrites = CircularBuffer<PendingWrite>()
    }

    private var phase = Phase.awaitingActive
    private var upgrade: ConnectionUpgrade?
    private var connection: Connection?
    /// The established connection's public face, handed to every stream (``P2PStream/connection``).
    /// It holds this handler, so it is released when the connection ends.
    private var publicConnection: P2PConnection?
    private var context: ChannelHandlerContext?
    private var loopBound: NIOLoopBound<P2PConnectionHandler>?
    private var timer: Scheduled<Void>?
    /// A `read` held back while a stream is saturated.
    private var readHeld = false
    private var stallTimer: Scheduled<Void>?
    private let established: EventLoopPromise<P2PConnection>
    private let protocols: StreamProtocolTable
    private let multistream: MultistreamConfiguration
    private let logger: Logger
    /// Asked when the upgrade fails whether to log that as a warning (`false`: debug only).
    private let mayWarnOfUpgradeFailure: (@Sendable () -> Bool)?
    private var streams: [MuxedStreamID: StreamEntry] = [:]
    private var flushing = false
    /// Set when ``flushOutbound()`` was asked to run while it was running.
    private var flushAgain = false

    /// A handler that upgrades with `upgrade` and completes `established` with the connection.
    /// A failure is logged as a warning, a failed upgrade only if `mayWarnOfUpgradeFailure`
    /// (when given) allows it (a log budget), at debug level otherwise.
    init(
        upgrade: ConnectionUpgrade, multistream: MultistreamConfiguration = .default,
        protocols: StreamProtocolTable, established: EventLoopPromise<P2PConnection>, logger: Logger,
        mayWarnOfUpgradeFailure: (@Sendable () -> Bool)? = nil
    ) {
        self.mayWarnOfUpgradeFailure = mayWarnOfUpgradeFailure
        self.upgrade = upgrade
        self.multistream = multistream
        self.protocols = protocols
        self.established = established
        self.logger = logger
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        if context.channel.isActive { startUpgrade(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(.connectionClosed, log: false)
        self.context = nil
        loopBound = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        startUpgrade(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        switch phase {
        case .awaitingActive, .closed:
            return
        case .upgrading:
            guard var upgrade else { return }
            let actions = upgrade.receive(Array(buffer.readableBytesView))
            self.upgrade = upgrade
            apply(actions, context)
        case .established:
            // The socket's buffer itself goes to the Noise frame buffer: whole frames are decrypted
            // from it in place, and stream data comes out as slices of the plaintext.
            guard let events = connection?.receive(buffer) else { return }
            handle(events)
            flushOutbound()
            resumeReadingIfCaughtUp()
        }
    }

    func read(context: ChannelHandlerContext) {
        guard case .established = phase, connection?.isReceiveSaturated == true else {
            context.read()
            return
        }
        readHeld = true
        if stallTimer == nil { startStallTimer(context) }
    }

    /// Resets the saturated streams whose readers took nothing for ``readStallTimeout``. A reader
    /// that took a buffer meanwhile (counted by its iterator, ``StreamReadProgress``) is slow, not
    /// stuck: the wait starts again for it in full.
    private func startStallTimer(_ context: ChannelHandlerContext) {
        stallTimer?.cancel()
        for id in connection?.saturatedStreams ?? [] {
            let taken = streams[id]?.progress?.count ?? 0
            streams[id]?.takenWhenStallTimerStarted = taken
        }
        stallTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.readStallTimeout) { [self] in
            stallTimer = nil
            var progressing = false
            for id in connection?.saturatedStreams ?? [] {
                if let entry = streams[id], let progress = entry.progress,
                   progress.count != entry.takenWhenStallTimerStarted {
                    progressing = true
                    continue
                }
                logger.info("libp2p stream reset: its reader stalled the connection", metadata: ["stream": "\(id)"])
                if streams[id] != nil { reset(id) } else { connection?.reset(id) }
            }
            resumeReadingIfCaughtUp()
            if progressing, readHeld, let context = self.context { startStallTimer(context) }
        }
    }

    /// Passes on a held `read` once no stream is saturated any more.
    private func resumeReadingIfCaughtUp() {
        guard readHeld, connection?.isReceiveSaturated != true, let context else { return }
        readHeld = false
        stallTimer?.cancel()
        stallTimer = nil
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { flushOutbound() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch phase {
        case .awaitingActive, .closed:
            break
        case .upgrading:
            if var upgrade { apply(upgrade.peerClosed(), context); self.upgrade = nil }
        case .established:
            connection?.peerClosed()
            logger.debug("libp2p connection closed by the peer")
            fail(.connectionClosed, log: false)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("libp2p connection I/O error", metadata: ["error": "\(error)"])
        fail(.io("\(error)"), log: phase != .closed)
    }

    // MARK: Upgrade

    private static func duration(_ deadline: NIODeadline) -> Duration {
        .nanoseconds(Int64(clamping: deadline.uptimeNanoseconds))
    }

    private static func deadline(_ duration: Duration) -> NIODeadline {
        let (seconds, attoseconds) = duration.components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !nanos.overflow, seconds >= 0 else { return seconds < 0 ? .uptimeNanoseconds(0) : .distantFuture }
        return .uptimeNanoseconds(UInt64(nanos.partialValue + attoseconds / 1_000_000_000))
    }

    private func startUpgrade(_ context: ChannelHandlerContext) {
        guard case .awaitingActive = phase, var upgrade else { return }
        phase = .upgrading
        let actions = upgrade.start(now: Self.duration(context.eventLoop.now))
        self.upgrade = upgrade
        apply(actions, context)
        scheduleTimer(context)
    }

    private func scheduleTimer(_ context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        guard case .upgrading = phase, let deadline = upgrade?.nextDeadline else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: Self.deadline(deadline)) { [self] in
            guard case .upgrading = phase, var upgrade, let context = self.context else { return }
            let actions = upgrade.timeout(now: Self.duration(context.eventLoop.now))
            self.upgrade = upgrade
            apply(actions, context)
            if case .upgrading = phase { scheduleTimer(context) }
        }
    }

    private func apply(_ actions: [ConnectionUpgrade.Action], _ context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .send(let bytes):
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
            case .established(let upgraded):
                becomeEstablished(upgraded, context)
            case .failed(let error):
                fail(.upgrade(error), log: true)
            }
        }
    }

    private func becomeEstablished(_ upgraded: UpgradedConnection, _ context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        upgrade = nil
        guard let loopBound else { return }
        var connection = Connection(upgraded)
        let events = connection.start()
        self.connection = connection
        phase = .established
        logger.debug("libp2p connection established", metadata: [
            "muxer": "\(upgraded.negotiatedMuxer.protocolID)", "dialer": "\(upgraded.isDialer)",
        ])
        let publicConnection = P2PConnection(
            remotePeerID: upgraded.remote.peerID, remoteIdentityKey: upgraded.remote.identityKey,
            muxer: upgraded.negotiatedMuxer, isDialer: upgraded.isDialer, channel: context.channel,
            handler: loopBound)
        self.publicConnection = publicConnection
        established.succeed(publicConnection)
        handle(events)
        flushOutbound()
    }

    // MARK: Failure and close

    /// Ends the connection once: fails the pending upgrade or every stream, writes what the
    /// muxer still has to say, closes the channel.
    private func fail(_ error: P2PError, log: Bool) {
        let previous = phase
        guard previous != .closed else { return }
        phase = .closed
        timer?.cancel()
        timer = nil
        stallTimer?.cancel()
        stallTimer = nil
        if log {
            let warn = previous == .established || mayWarnOfUpgradeFailure?() != false
            logger.log(level: warn ? .warning : .debug, "libp2p connection failed", metadata: [
                "error": "\(error)",
                "remote": "\(context?.channel.remoteAddress.map { "\($0)" } ?? "?")",
            ])
        }
        if previous != .established { established.fail(error) }
        failAllStreams(error)
        publicConnection = nil
        closeAfterWriting()
    }

    private func failAllStreams(_ error: P2PError) {
        let all = streams
        streams = [:]
        for (_, entry) in all {
            for write in entry.pendingWrites { write.promise.fail(error) }
            switch entry.phase {
            case .outbound(_, let promise): promise.fail(error)
            case .inbound: break
            case .open(let source): source.finish(error)
            }
        }
    }

    private func closeAfterWriting() {
        guard let context else { return }
        var bytes = context.channel.allocator.buffer(capacity: 0)
        while var chunk = try? connection?.takeOutboundBuffer(allocator: context.channel.allocator), chunk.readableBytes > 0 {
            bytes.writeBuffer(&chunk)
        }
        if bytes.readableBytes == 0 {
            context.close(promise: nil)
            return
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(bytes), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { [weak self] _ in
            self?.context?.close(promise: nil)
        }
    }

    /// Graceful close from the API: go-away, flush, close the socket.
    func closeGracefully() -> EventLoopFuture<Void> {
        guard let context else { return established.futureResult.eventLoop.makeSucceededVoidFuture() }
        if case .established = phase {
            connection?.close()
            phase = .closed
            failAllStreams(.connectionClosed)
            publicConnection = nil
            closeAfterWriting()
        } else {
            fail(.connectionClosed, log: false)
        }
        return context.channel.closeFuture
    }

    // MARK: Muxer events

    private func handle(_ events: [ConnectionEvent]) {
        for event in events {
            switch event {
            case .streamOpened(let id):
                do {
                    let responder = try MultistreamResponder(protocols: protocols.protocolIDs, configuration: multistream)
                    streams[id] = StreamEntry(phase: .inbound(responder))
                } catch {
                    connection?.reset(id)
                }
            case .data(let id, let bytes):
                receive(bytes, on: id)
            case .readClosed(let id):
                guard var entry = streams[id] else { continue }
                entry.readClosed = true
                switch entry.phase {
                case .open(let source):
                    source.finish()
                    streams[id] = entry
                    removeIfDone(id)
                case .outbound(_, let promise):
                    promise.fail(P2PError.protocolNegotiation(.unexpectedMessage("stream closed")))
                    streams[id] = nil
                    connection?.reset(id)
                case .inbound:
                    streams[id] = nil
                    connection?.reset(id)
                }
            case .streamReset(let id):
                guard let entry = streams.removeValue(forKey: id) else { continue }
                for write in entry.pendingWrites { write.promise.fail(P2PError.streamReset) }
                switch entry.phase {
                case .outbound(_, let promise): promise.fail(P2PError.streamReset)
                case .inbound: break
                case .open(let source): source.finish(P2PError.streamReset)
                }
            case .remoteGoingAway:
                logger.debug("libp2p peer is going away")
            case .pong:
                break
            case .failed(let error):
                fail(.connection(error), log: true)
                return
            }
        }
    }

    private func receive(_ bytes: ByteBuffer, on id: MuxedStreamID) {
        guard var entry = streams[id] else {
            connection?.consumed(id, bytes.readableBytes)
            return
        }
        switch entry.phase {
        case .outbound(var initiator, let promise):
            connection?.consumed(id, bytes.readableBytes)
            let actions = initiator.receive(Array(bytes.readableBytesView))
            entry.phase = .outbound(initiator, promise)
            streams[id] = entry
            applyNegotiation(actions, on: id)
        case .inbound(var responder):
            connection?.consumed(id, bytes.readableBytes)
            let actions = responder.receive(Array(bytes.readableBytesView))
            entry.phase = .inbound(responder)
            streams[id] = entry
            applyNegotiation(actions, on: id)
        case .open(let source):
            deliver(bytes, to: source, entry: &entry, id: id)
            streams[id] = entry
        }
    }

    private func deliver(_ bytes: ByteBuffer, to source: P2PStream.Producer.Source, entry: inout StreamEntry, id: MuxedStreamID) {
        guard bytes.readableBytes > 0 else { return }
        guard !entry.readerGone, context != nil else {
            connection?.consumed(id, bytes.readableBytes)
            return
        }
        switch source.yield(bytes) {
        case .produceMore, .dropped:
            connection?.consumed(id, bytes.readableBytes + entry.owed)
            entry.owed = 0
        case .stopProducing:
            entry.owed += bytes.readableBytes
        }
    }

    private func applyNegotiation(_ actions: [MultistreamAction], on id: MuxedStreamID) {
        for action in actions {
            switch action {
            case .send(let bytes):
                do throws(MuxerUsageError) { try connection?.write(id, bytes) } catch {
                    abortNegotiation(id, error: .muxer(error))
                    return
                }
            case .negotiated(let protocolID, let leftover):
                streamNegotiated(id, protocolID: protocolID, leftover: leftover)
            case .failed(let error):
                abortNegotiation(id, error: .protocolNegotiation(error))
                return
            }
        }
    }

    private func abortNegotiation(_ id: MuxedStreamID, error: P2PError) {
        guard let entry = streams.removeValue(forKey: id) else { return }
        if case .outbound(_, let promise) = entry.phase { promise.fail(error) }
        connection?.reset(id)
    }

    private func streamNegotiated(_ id: MuxedStreamID, protocolID: String, leftover: [UInt8]) {
        guard var entry = streams[id], let loopBound, let publicConnection else { return }
        let made = P2PStream.Producer.makeSequence(
            elementType: ByteBuffer.self, failureType: (any Error).self,
            backPressureStrategy: .init(lowWatermark: 4, highWatermark: 16), finishOnDeinit: false,
            delegate: StreamInboundDelegate(handler: loopBound, id: id))
        let progress = StreamReadProgress()
        let stream = P2PStream(
            protocolID: protocolID, id: id, connection: publicConnection, inbound: made.sequence,
            progress: progress, handler: loopBound)
        let previous = entry.phase
        entry.phase = .open(made.source)
        entry.progress = progress
        deliver(ByteBuffer(bytes: leftover), to: made.source, entry: &entry, id: id)
        streams[id] = entry
        switch previous {
        case .outbound(_, let promise):
            promise.succeed(stream)
        case .inbound:
            if let handler = protocols.handler(for: protocolID) {
                Task { await handler(stream) }
            } else {
                reset(id)
            }
        case .open:
            break
        }
    }

    private func removeIfDone(_ id: MuxedStreamID) {
        guard let entry = streams[id], entry.readClosed, entry.writeClosed, entry.pendingWrites.isEmpty else { return }
        streams[id] = nil
    }

    // MARK: Stream commands (on the event loop)

    func openStream(protocol protocolID: String) -> EventLoopFuture<P2PStream> {
        guard let context else { return established.futureResult.eventLoop.makeFailedFuture(P2PError.connectionClosed) }
        guard case .established = phase, connection != nil else {
            return context.eventLoop.makeFailedFuture(P2PError.connectionClosed)
        }
        let promise = context.eventLoop.makePromise(of: P2PStream.self)
        do {
            var initiator = try MultistreamInitiator(protocols: [protocolID], configuration: multistream)
            guard let id = try connection?.openStream() else { throw P2PError.connectionClosed }
            streams[id] = StreamEntry(phase: .outbound(initiator, promise))
            let actions = initiator.start()
            streams[id]?.phase = .outbound(initiator, promise)
            applyNegotiation(actions, on: id)
            flushOutbound()
        } catch let error as MultistreamError {
            promise.fail(P2PError.protocolNegotiation(error))
        } catch let error as MuxerUsageError {
            promise.fail(P2PError.muxer(error))
        } catch {
            promise.fail(error)
        }
        return promise.futureResult
    }

    func write(_ bytes: [UInt8], on id: MuxedStreamID) -> EventLoopFuture<Void> {
        enqueue(PendingWrite(bytes: bytes, promise: makePromise()), on: id)
    }

    func closeWrite(_ id: MuxedStreamID) -> EventLoopFuture<Void> {
        enqueue(PendingWrite(bytes: [], isClose: true, promise: makePromise()), on: id)
    }

    private func makePromise() -> EventLoopPromise<Void> {
        established.futureResult.eventLoop.makePromise(of: Void.self)
    }

    private func enqueue(_ write: PendingWrite, on id: MuxedStreamID) -> EventLoopFuture<Void> {
        let future = write.promise.futureResult
        guard case .established = phase, var entry = streams[id], case .open = entry.phase else {
            write.promise.fail(phase == .established ? P2PError.streamReset : P2PError.connectionClosed)
            return future
        }
        let closing = entry.pendingWrites.contains { $0.isClose }
        guard !entry.writeClosed, !closing else {
            write.promise.fail(P2PError.writeClosed)
            return future
        }
        entry.pendingWrites.append(write)
        streams[id] = entry
        flushOutbound()
        return future
    }

    func reset(_ id: MuxedStreamID) {
        guard let entry = streams.removeValue(forKey: id) else { return }
        connection?.reset(id)
        for write in entry.pendingWrites { write.promise.fail(P2PError.streamReset) }
        switch entry.phase {
        case .outbound(_, let promise): promise.fail(P2PError.streamReset)
        case .inbound: break
        case .open(let source): source.finish(P2PError.streamReset)
        }
        flushOutbound()
        resumeReadingIfCaughtUp()
    }

    func readerWantsMore(_ id: MuxedStreamID) {
        guard var entry = streams[id], entry.owed > 0 else { return }
        connection?.consumed(id, entry.owed)
        entry.owed = 0
        streams[id] = entry
        flushOutbound()
        resumeReadingIfCaughtUp()
    }

    func readerTerminated(_ id: MuxedStreamID) {
        guard var entry = streams[id] else { return }
        entry.readerGone = true
        if entry.owed > 0 { connection?.consumed(id, entry.owed) }
        entry.owed = 0
        streams[id] = entry
        flushOutbound()
        resumeReadingIfCaughtUp()
    }

    // MARK: Output

    /// Moves queued stream writes into the muxer as capacity allows; returns whether any moved.
    private func drivePendingWrites() -> Bool {
        guard connection != nil else { return false }
        var moved = false
        for id in Array(streams.keys) {
            guard var entry = streams[id], !entry.pendingWrites.isEmpty else { continue }
            while var write = entry.pendingWrites.first {
                if write.isClose {
                    entry.pendingWrites.removeFirst()
                    do throws(MuxerUsageError) {
                        try connection?.closeWrite(id)
                        entry.writeClosed = true
                        write.promise.succeed()
                    } catch {
                        write.promise.fail(P2PError.muxer(error))
                    }
                    moved = true
                    continue
                }
                let capacity = connection?.writeCapacity(of: id) ?? 0
                let remaining = write.bytes.count - write.offset
                guard capacity > 0 || remaining == 0 else { break }
                let n = min(capacity, remaining, Self.maxOutboundChunk)
                do throws(MuxerUsageError) {
                    if n == write.bytes.count {
                        // The whole write at once: the muxer keeps the array itself.
                        try connection?.write(id, write.bytes)
                    } else if n > 0 {
                        try connection?.write(id, Array(write.bytes[write.offset..<(write.offset + n)]))
                    }
                } catch {
                    entry.pendingWrites.removeFirst()
                    write.promise.fail(P2PError.muxer(error))
                    continue
                }
                moved = true
                write.offset += n
                if write.offset == write.bytes.count {
                    entry.pendingWrites.removeFirst()
                    write.promise.succeed()
                } else {
                    entry.pendingWrites[entry.pendingWrites.startIndex] = write
                }
            }
            streams[id] = entry
            removeIfDone(id)
        }
        return moved
    }

    /// Writes what the muxer has while the channel is writable, then flushes.
    private func flushOutbound() {
        guard let context, case .established = phase else { return }
        // A call from inside the flush (the socket turned writable again while `flush()` wrote
        // synchronously) must not be lost: with mplex no inbound bytes would wake us later.
        guard !flushing else {
            flushAgain = true
            return
        }
        flushing = true
        defer { flushing = false }
        repeat {
            flushAgain = false
            var wrote = false
            while true {
                let moved = drivePendingWrites()
                var took = false
                while context.channel.isWritable, connection?.hasOutbound == true {
                    let bytes: ByteBuffer
                    do throws(ConnectionError) {
                        bytes = try connection?.takeOutboundBuffer(
                            maxBytes: Self.maxOutboundChunk, allocator: context.channel.allocator) ?? ByteBuffer()
                    } catch {
                        flushing = false
                        fail(.connection(error), log: true)
                        return
                    }
                    guard bytes.readableBytes > 0 else { break }
                    context.write(wrapOutboundOut(bytes), promise: nil)
                    wrote = true
                    took = true
                }
                if !(moved || took) || !context.channel.isWritable { break }
            }
            if wrote { context.flush() }
        } while flushAgain && phase == .established
    }
}
