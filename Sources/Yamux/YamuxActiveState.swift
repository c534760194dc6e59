import MuxerCore

/// The session state while frames flow: the stream table, limits and scheduling.
struct YamuxActiveState: Sendable {
    let role: YamuxRole
    let configuration: YamuxConfiguration
    /// Streams by raw ID. Iteration order never reaches the output (scheduling uses `ready`).
    private(set) var streams: [UInt32: YamuxStream] = [:]
    /// The next ID this side opens; `nil` once the parity's IDs are used up.
    private var nextOutboundID: UInt32?
    private(set) var inboundCount = 0
    private(set) var outboundCount = 0
    private(set) var unacknowledgedCount = 0
    /// Stream IDs with a frame to send, in round-robin order.
    private var ready = ReadyQueue<UInt32>()
    private(set) var localGoAway: YamuxGoAwayCode?
    private(set) var remoteGoAway: YamuxGoAwayCode?
    private var outstandingPings: [UInt32: Duration] = [:]
    /// Streams that drained to the low-water mark since the application last asked.
    private(set) var writable: [YamuxStreamID] = []
    private var nextPingOpaque: UInt32 = 0

    init(role: YamuxRole, configuration: YamuxConfiguration) {
        self.role = role
        self.configuration = configuration
        self.nextOutboundID = role.firstStreamID
    }

    private var lowWaterMark: Int { configuration.maxQueuedBytesPerStream / 2 }

    private var extraWindow: UInt32 { configuration.receiveWindow - YamuxConfiguration.initialStreamWindow }

    // MARK: Inbound frames

    mutating func handle(
        _ frame: YamuxFrame, events: inout [YamuxEvent], control: inout [UInt8]
    ) throws(YamuxProtocolError) {
        switch frame.header.type {
        case .data, .windowUpdate:
            try handleStreamFrame(frame, events: &events, control: &control)
        case .ping:
            handlePing(frame.header, events: &events, control: &control)
        case .goAway:
            let code = YamuxGoAwayCode(rawValue: frame.header.length)
            remoteGoAway = code
            events.append(.goAwayReceived(code))
        }
    }

    private mutating func handlePing(_ header: YamuxFrameHeader, events: inout [YamuxEvent], control: inout [UInt8]) {
        if header.flags.contains(.syn) {
            Self.appendFrame(.ping, [.ack], 0, header.length, to: &control)
        } else if header.flags.contains(.ack), let sentAt = outstandingPings.removeValue(forKey: header.length) {
            events.append(.pong(YamuxPong(opaque: header.length, sentAt: sentAt)))
        }
        // A ping with neither flag, or an answer to no ping of ours, is ignored.
    }

    private mutating func handleStreamFrame(
        _ frame: YamuxFrame, events: inout [YamuxEvent], control: inout [UInt8]
    ) throws(YamuxProtocolError) {
        let header = frame.header
        let rawID = header.streamID
        let id = YamuxStreamID(rawID)
        guard rawID != 0 else { throw .invalidStreamID(0) }

        if header.flags.contains(.syn) {
            guard role.isRemoteStreamID(rawID) else { throw .invalidStreamID(rawID) }
            guard streams[rawID] == nil else { throw .duplicateStream(rawID) }
            if header.flags.contains(.rst) { return }  // opened and reset at once: nothing to track
            if localGoAway != nil || inboundCount >= configuration.maxInboundStreams {
                // Refused: the payload, if any, is dropped with the stream.
                Self.appendFrame(.data, [.rst], rawID, 0, to: &control)
                return
            }
            inboundCount += 1
            streams[rawID] = YamuxStream(
                state: .open(
                    YamuxSendHalf(window: YamuxConfiguration.initialStreamWindow),
                    YamuxReceiveHalf(window: configuration.receiveWindow)),
                openedLocally: false, acknowledged: true)
            events.append(.streamOpened(id))
            // The ACK carries the extra receive credit beyond the initial 256 KiB, if any.
            Self.appendFrame(.windowUpdate, [.ack], rawID, extraWindow, to: &control)
        }

        // Frames for streams this side does not know (reset or closed already, or never opened)
        // are dropped, as go-yamux, rust-yamux and py-libp2p do.
        guard var stream = streams.removeValue(forKey: rawID) else { return }

        if header.flags.contains(.ack), stream.openedLocally, !stream.acknowledged {
            stream.acknowledged = true
            unacknowledgedCount -= 1
            events.append(.streamAcknowledged(id))
        }

        if header.type == .windowUpdate, header.length > 0 {
            stream.state.withSendHalf { send in
                let (sum, overflow) = send.window.addingReportingOverflow(header.length)
                send.window = overflow ? .max : sum
            }
        }

        if frame.payload.readableBytes > 0 {
            let length = UInt32(frame.payload.readableBytes)
            let accepted: Bool? = stream.state.withReceiveHalf { receive in
                guard length <= receive.window else { return false }
                receive.window -= length
                receive.unconsumed += length
                return true
            }
            switch accepted {
            case .none:
                // Data after the remote's own FIN: a stream-level violation; reset the stream.
                Self.appendFrame(.data, [.rst], rawID, 0, to: &control)
                forget(stream)
                events.append(.streamReset(id, .dataAfterRemoteClose))
                return
            case .some(false):
                throw .receiveWindowExceeded(
                    streamID: rawID, length: length, window: stream.state.receiveHalf?.window ?? 0)
            case .some(true):
                events.append(.data(id, frame.payload))
            }
        }

        if header.flags.contains(.rst) {
            forget(stream)
            events.append(.streamReset(id, .byRemote))
            return
        }

        if header.flags.contains(.fin) {
            switch stream.state {
            case .open(let send, _):
                stream.state = .remoteClosed(send)
                events.append(.readClosed(id))
            case .localClosed:
                events.append(.readClosed(id))
                forget(stream)
                return
            case .remoteClosed:
                break  // a repeated FIN changes nothing
            }
        }

        schedule(rawID, &stream)
        streams[rawID] = stream
    }

    // MARK: Commands

    mutating func openStream(control: inout [UInt8]) throws(YamuxUsageError) -> YamuxStreamID {
        guard remoteGoAway == nil else { throw .remoteWentAway }
        guard localGoAway == nil else { throw .localWentAway }
        guard outboundCount < configuration.maxOutboundStreams else { throw .outboundStreamLimitReached }
        guard unacknowledgedCount < configuration.maxAckBacklog else { throw .ackBacklogFull }
        guard let rawID = nextOutboundID else { throw .streamIDsExhausted }
        nextOutboundID = rawID <= UInt32.max - 2 ? rawID + 2 : nil
        streams[rawID] = YamuxStream(
            state: .open(
                YamuxSendHalf(window: YamuxConfiguration.initialStreamWindow),
                YamuxReceiveHalf(window: configuration.receiveWindow)),
            openedLocally: true, acknowledged: false)
        outboundCount += 1
        unacknowledgedCount += 1
        // SYN on a zero-delta window update, extra credit in a frame of its own: py-libp2p ignores
        // the length of SYN frames and does not read payloads of SYN data frames.
        Self.appendFrame(.windowUpdate, [.syn], rawID, 0, to: &control)
        if extraWindow > 0 {
            Self.appendFrame(.windowUpdate, [], rawID, extraWindow, to: &control)
        }
        return YamuxStreamID(rawID)
    }

    mutating func write(_ id: YamuxStreamID, _ bytes: [UInt8]) throws(YamuxUsageError) {
        guard var stream = streams.removeValue(forKey: id.rawValue) else { throw .unknownStream(id) }
        let limit = configuration.maxQueuedBytesPerStream
        let outcome: YamuxUsageError?? = stream.state.withSendHalf { send in
            guard !send.finRequested else { return .writeClosed(id) }
            let available = limit - send.queue.count
            guard bytes.count <= available else { return .sendQueueFull(id, available: available) }
            send.queue.append(bytes)
            return nil
        }
        // Above the low-water mark (after a refused write or not), the writer hears once the
        // queue has drained to it.
        let closed = outcome == .some(.some(.writeClosed(id)))
        if !closed, (stream.state.sendHalf?.queue.count ?? 0) > lowWaterMark { stream.awaitingWritable = true }
        schedule(id.rawValue, &stream)
        streams[id.rawValue] = stream
        switch outcome {
        case .none: throw .writeClosed(id)
        case .some(.some(let error)): throw error
        case .some(.none): return
        }
    }

    mutating func closeWrite(_ id: YamuxStreamID) throws(YamuxUsageError) {
        guard var stream = streams.removeValue(forKey: id.rawValue) else { throw .unknownStream(id) }
        stream.state.withSendHalf { $0.finRequested = true }
        schedule(id.rawValue, &stream)
        streams[id.rawValue] = stream
    }

    mutating func reset(_ id: YamuxStreamID, control: inout [UInt8]) {
        guard let stream = streams.removeValue(forKey: id.rawValue) else { return }
        Self.appendFrame(.data, [.rst], id.rawValue, 0, to: &control)
        forget(stream)
    }

    mutating func consumed(_ id: YamuxStreamID, _ count: Int, control: inout [UInt8]) {
        guard count > 0, var stream = streams.removeValue(forKey: id.rawValue) else { return }
        let threshold = configuration.receiveWindow / 2
        stream.state.withReceiveHalf { receive in
            let credited = UInt32(min(count, Int(receive.unconsumed)))
            receive.unconsumed -= credited
            receive.pendingCredit += credited
            if receive.pendingCredit >= threshold {
                Self.appendFrame(.windowUpdate, [], id.rawValue, receive.pendingCredit, to: &control)
                receive.window += receive.pendingCredit
                receive.pendingCredit = 0
            }
        }
        streams[id.rawValue] = stream
    }

    mutating func ping(now: Duration, control: inout [UInt8]) throws(YamuxUsageError) -> UInt32 {
        guard outstandingPings.count < configuration.maxOutstandingPings else { throw .tooManyOutstandingPings }
        repeat { nextPingOpaque &+= 1 } while outstandingPings[nextPingOpaque] != nil
        outstandingPings[nextPingOpaque] = now
        Self.appendFrame(.ping, [.syn], 0, nextPingOpaque, to: &control)
        return nextPingOpaque
    }

    mutating func goAway(_ code: YamuxGoAwayCode, control: inout [UInt8]) throws(YamuxUsageError) {
        guard localGoAway == nil else { throw .goAwayAlreadySent }
        localGoAway = code
        Self.appendFrame(.goAway, [], 0, code.rawValue, to: &control)
    }

    // MARK: Outbound data

    /// Appends data frames (and FINs) for scheduled streams, round robin, one frame per stream
    /// per turn, until nothing can be sent or `out` holds at least `limit` bytes.
    mutating func produceData(into out: inout OutboundBytes, limit: Int) {
        let maxFrame = configuration.maxSendFrameLength
        let lowWater = lowWaterMark
        while out.count < limit, let rawID = ready.popFirst() {
            guard var stream = streams.removeValue(forKey: rawID) else { continue }
            guard stream.scheduled else {
                streams[rawID] = stream
                continue
            }
            stream.scheduled = false
            let sentFin: Bool = stream.state.withSendHalf { send in
                if !send.queue.isEmpty, send.window > 0 {
                    let length = min(send.queue.count, Int(send.window), maxFrame)
                    let fin = send.finRequested && length == send.queue.count
                    out.appendInPlace { Self.appendFrame(.data, fin ? [.fin] : [], rawID, UInt32(length), to: &$0) }
                    send.queue.drain(length, into: &out)
                    send.window -= UInt32(length)
                    return fin
                } else if send.finRequested, send.queue.isEmpty {
                    out.appendInPlace { Self.appendFrame(.data, [.fin], rawID, 0, to: &$0) }
                    return true
                }
                return false
            } ?? false
            if stream.awaitingWritable, let queued = stream.state.sendHalf?.queue.count, queued <= lowWater {
                stream.awaitingWritable = false
                writable.append(YamuxStreamID(rawID))
            }
            if sentFin, stream.state.closeSending() {
                forget(stream)
                continue
            }
            schedule(rawID, &stream)
            streams[rawID] = stream
        }
    }

    mutating func takeWritable() -> [YamuxStreamID] {
        var out: [YamuxStreamID] = []
        swap(&out, &writable)
        return out
    }

    /// Whether any stream has a frame ready.
    var hasDataToSend: Bool { !ready.isEmpty }

    // MARK: Helpers

    private mutating func schedule(_ rawID: UInt32, _ stream: inout YamuxStream) {
        guard !stream.scheduled, stream.state.sendHalf?.hasWork == true else { return }
        stream.scheduled = true
        ready.append(rawID)
    }

    /// Updates the counters for a stream leaving the table.
    private mutating func forget(_ stream: YamuxStream) {
        if stream.openedLocally {
            outboundCount -= 1
            if !stream.acknowledged { unacknowledgedCount -= 1 }
        } else {
            inboundCount -= 1
        }
    }

    static func appendFrame(
        _ type: YamuxFrameType, _ flags: YamuxFlags, _ streamID: UInt32, _ length: UInt32, to buffer: inout [UInt8]
    ) {
        YamuxFrameHeader(type: type, flags: flags, streamID: streamID, length: length).encode(into: &buffer)
    }
}
