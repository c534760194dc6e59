import MuxerCore

/// The session state while frames flow: the stream table, its limits and send scheduling.
struct MplexActiveState: Sendable {
    let configuration: MplexConfiguration
    /// Streams keyed by number and initiator. Iteration order never reaches the output
    /// (scheduling uses `ready`).
    private(set) var streams: [MplexStreamID: MplexStream] = [:]
    private var nextNumber: UInt64 = 0
    /// One above the highest number the remote opened a stream with (0: none yet).
    private var remoteNumbersSeen: UInt64 = 0
    private var inboundCount = 0
    private var outboundCount = 0
    /// Streams with a frame to send, in round-robin order.
    private var ready = ReadyQueue<MplexStreamID>()
    /// Bytes waiting in all send queues.
    private(set) var queuedByteCount = 0
    /// Streams that drained to the low-water mark since the application last asked.
    private(set) var writable: [MplexStreamID] = []
    /// Streams holding at least ``pauseMark`` bytes not reported consumed.
    private(set) var saturated: Set<MplexStreamID> = []

    init(configuration: MplexConfiguration) {
        self.configuration = configuration
    }

    private var lowWaterMark: Int { configuration.maxQueuedBytesPerStream / 2 }
    /// Unconsumed bytes at which a stream asks the caller to stop reading the connection.
    private var pauseMark: Int { max(1, configuration.maxBufferedBytesPerStream / 2) }

    // MARK: Inbound frames

    mutating func handle(
        _ frame: MplexFrame, events: inout [MplexEvent], control: inout [UInt8]
    ) throws(MplexProtocolError) {
        // A frame from the stream's initiator names a stream the remote opened.
        let id = MplexStreamID(number: frame.streamNumber, openedLocally: !frame.flag.isFromInitiator)
        switch frame.flag {
        case .newStream:
            guard streams[id] == nil else { throw .duplicateStream(id) }
            remoteNumbersSeen = max(remoteNumbersSeen, id.number + 1)
            guard inboundCount < configuration.maxInboundStreams else {
                MplexFrame.encode(streamNumber: id.number, flag: id.resetFlag, payload: [], into: &control)
                return
            }
            inboundCount += 1
            streams[id] = MplexStream(state: .open(MplexSendHalf(), MplexReceiveHalf()))
            events.append(.streamOpened(id, name: frame.payload))

        case .messageReceiver, .messageInitiator:
            guard !frame.payload.isEmpty else { return }
            guard var stream = streams.removeValue(forKey: id) else {
                // Data for a stream that never existed is answered with a reset; data for one
                // that is gone (reset or closed here, frames still in flight) is dropped, as
                // go-mplex does.
                if !wasEverOpened(id) {
                    MplexFrame.encode(streamNumber: id.number, flag: id.resetFlag, payload: [], into: &control)
                    events.append(.streamReset(id, .unknownStream))
                }
                return
            }
            let limit = configuration.maxBufferedBytesPerStream
            var unconsumed = 0
            let outcome: Bool? = stream.state.withReceiveHalf { receive in
                receive.unconsumed += frame.payload.count
                unconsumed = receive.unconsumed
                return receive.unconsumed <= limit
            }
            switch outcome {
            case .some(true):
                if unconsumed >= pauseMark { saturated.insert(id) }
                streams[id] = stream
                events.append(.data(id, frame.payload))
            case .some(false):
                MplexFrame.encode(streamNumber: id.number, flag: id.resetFlag, payload: [], into: &control)
                forget(id, stream)
                events.append(.streamReset(id, .bufferOverflow))
            case .none:
                streams[id] = stream  // data after the remote's close is dropped (as go-mplex)
            }

        case .closeReceiver, .closeInitiator:
            guard var stream = streams.removeValue(forKey: id) else { return }
            // Nothing more can arrive on it: it no longer holds the connection's reading back.
            saturated.remove(id)
            switch stream.state {
            case .open(let send, _):
                stream.state = .remoteClosed(send)
                streams[id] = stream
                events.append(.readClosed(id))
            case .localClosed:
                forget(id, stream)
                events.append(.readClosed(id))
            case .remoteClosed:
                streams[id] = stream  // a repeated close changes nothing
            }

        case .resetReceiver, .resetInitiator:
            guard let stream = streams.removeValue(forKey: id) else { return }
            forget(id, stream)
            events.append(.streamReset(id, .byRemote))
        }
    }

    private func wasEverOpened(_ id: MplexStreamID) -> Bool {
        id.openedLocally ? id.number < nextNumber : id.number < remoteNumbersSeen
    }

    // MARK: Commands

    mutating func openStream(name: [UInt8]?, control: inout [UInt8]) throws(MplexUsageError) -> MplexStreamID {
        guard outboundCount < configuration.maxOutboundStreams else { throw .outboundStreamLimitReached }
        guard nextNumber <= MplexFrame.maxStreamNumber else { throw .streamNumbersExhausted }
        let name = name ?? Array(String(nextNumber).utf8)
        guard name.count <= configuration.maxFrameLength else { throw .nameTooLong }
        let id = MplexStreamID(number: nextNumber, openedLocally: true)
        nextNumber += 1
        outboundCount += 1
        streams[id] = MplexStream(state: .open(MplexSendHalf(), MplexReceiveHalf()))
        MplexFrame.encode(streamNumber: id.number, flag: .newStream, payload: name[...], into: &control)
        return id
    }

    mutating func write(_ id: MplexStreamID, _ bytes: [UInt8]) throws(MplexUsageError) {
        guard var stream = streams.removeValue(forKey: id) else { throw .unknownStream(id) }
        defer { streams[id] = stream }
        let limit = configuration.maxQueuedBytesPerStream
        let lowWater = lowWaterMark
        let outcome: MplexUsageError?? = stream.state.withSendHalf { send in
            guard !send.closeRequested else { return .writeClosed(id) }
            let available = limit - send.queue.count
            guard bytes.count <= available else {
                // Refused: hear about it once the queue drains, unless it already has.
                return .sendQueueFull(id, available: available)
            }
            send.queue.append(bytes)
            return nil
        }
        switch outcome {
        case .none:
            throw .writeClosed(id)
        case .some(.some(let error)):
            if case .sendQueueFull = error, (stream.state.sendHalf?.queue.count ?? 0) > lowWater {
                stream.awaitingWritable = true
            }
            throw error
        case .some(.none):
            queuedByteCount += bytes.count
            if (stream.state.sendHalf?.queue.count ?? 0) > lowWater { stream.awaitingWritable = true }
            schedule(id, &stream)
        }
    }

    mutating func closeWrite(_ id: MplexStreamID) throws(MplexUsageError) {
        guard var stream = streams.removeValue(forKey: id) else { throw .unknownStream(id) }
        stream.state.withSendHalf { $0.closeRequested = true }
        schedule(id, &stream)
        streams[id] = stream
    }

    mutating func reset(_ id: MplexStreamID, control: inout [UInt8]) {
        guard let stream = streams.removeValue(forKey: id) else { return }
        forget(id, stream)
        MplexFrame.encode(streamNumber: id.number, flag: id.resetFlag, payload: [], into: &control)
    }

    mutating func consumed(_ id: MplexStreamID, _ count: Int) {
        guard count > 0, var stream = streams.removeValue(forKey: id) else { return }
        let unconsumed = stream.state.withReceiveHalf { receive in
            receive.unconsumed -= min(count, receive.unconsumed)
            return receive.unconsumed
        }
        if (unconsumed ?? 0) < pauseMark { saturated.remove(id) }
        streams[id] = stream
    }

    func unconsumedByteCount(of id: MplexStreamID) -> Int? {
        streams[id]?.state.receiveHalf?.unconsumed
    }

    func queuedByteCount(of id: MplexStreamID) -> Int? {
        streams[id]?.state.sendHalf?.queue.count
    }

    mutating func takeWritable() -> [MplexStreamID] {
        var out: [MplexStreamID] = []
        swap(&out, &writable)
        return out
    }

    // MARK: Outbound data

    /// Appends data frames (and closes) for scheduled streams, round robin, one frame of at most
    /// ``MplexConfiguration/maxSendFrameLength`` per stream per turn, until nothing is left or
    /// `out` holds at least `limit` bytes.
    mutating func produceData(into out: inout [UInt8], limit: Int) {
        let maxFrame = configuration.maxSendFrameLength
        let lowWater = lowWaterMark
        while out.count < limit, let id = ready.popFirst() {
            guard var stream = streams.removeValue(forKey: id) else { continue }
            guard stream.scheduled else {
                streams[id] = stream
                continue
            }
            stream.scheduled = false
            var framed = 0
            let sentClose: Bool = stream.state.withSendHalf { send in
                if !send.queue.isEmpty {
                    framed = min(send.queue.count, maxFrame)
                    MplexFrame.encodeHeader(streamNumber: id.number, flag: id.messageFlag, length: framed, into: &out)
                    send.queue.drain(framed, into: &out)
                    return false
                } else if send.closeRequested {
                    MplexFrame.encode(streamNumber: id.number, flag: id.closeFlag, payload: [], into: &out)
                    return true
                }
                return false
            } ?? false
            queuedByteCount -= framed
            if stream.awaitingWritable, let queued = stream.state.sendHalf?.queue.count, queued <= lowWater {
                stream.awaitingWritable = false
                writable.append(id)
            }
            if sentClose, stream.state.closeSending() {
                forget(id, stream)
                continue
            }
            schedule(id, &stream)
            streams[id] = stream
        }
    }

    /// Whether any stream has a frame ready.
    var hasDataToSend: Bool { !ready.isEmpty }

    // MARK: Helpers

    private mutating func schedule(_ id: MplexStreamID, _ stream: inout MplexStream) {
        guard !stream.scheduled, stream.state.sendHalf?.hasWork == true else { return }
        stream.scheduled = true
        ready.append(id)
    }

    /// Updates the counters for a stream leaving the table (its queued bytes are dropped).
    private mutating func forget(_ id: MplexStreamID, _ stream: MplexStream) {
        saturated.remove(id)
        queuedByteCount -= stream.state.sendHalf?.queue.count ?? 0
        if id.openedLocally { outboundCount -= 1 } else { inboundCount -= 1 }
    }
}
