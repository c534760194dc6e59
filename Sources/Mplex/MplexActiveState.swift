/// The session state while frames flow: the stream table and its limits.
struct MplexActiveState: Sendable {
    let configuration: MplexConfiguration
    /// Streams keyed by number and initiator. Iteration order never reaches the output.
    private(set) var streams: [MplexStreamID: MplexStreamState] = [:]
    private var nextNumber: UInt64 = 0
    private var inboundCount = 0
    private var outboundCount = 0

    init(configuration: MplexConfiguration) {
        self.configuration = configuration
    }

    // MARK: Inbound frames

    mutating func handle(
        _ frame: MplexFrame, events: inout [MplexEvent], output: inout [UInt8]
    ) throws(MplexProtocolError) {
        // A frame from the stream's initiator names a stream the remote opened.
        let id = MplexStreamID(number: frame.streamNumber, openedLocally: !frame.flag.isFromInitiator)
        switch frame.flag {
        case .newStream:
            guard streams[id] == nil else { throw .duplicateStream(id) }
            guard inboundCount < configuration.maxInboundStreams else {
                MplexFrame.encode(streamNumber: id.number, flag: id.resetFlag, payload: [], into: &output)
                return
            }
            inboundCount += 1
            streams[id] = .open(MplexReceiveHalf())
            events.append(.streamOpened(id, name: frame.payload))

        case .messageReceiver, .messageInitiator:
            // Data for unknown streams (reset or forgotten here) and after the remote's close is
            // dropped, as go-mplex does.
            guard !frame.payload.isEmpty, var state = streams[id] else { return }
            let limit = configuration.maxBufferedBytesPerStream
            var overflow = false
            switch state {
            case .open(var receive):
                receive.unconsumed += frame.payload.count
                overflow = receive.unconsumed > limit
                state = .open(receive)
            case .localClosed(var receive):
                receive.unconsumed += frame.payload.count
                overflow = receive.unconsumed > limit
                state = .localClosed(receive)
            case .remoteClosed:
                return
            }
            if overflow {
                MplexFrame.encode(streamNumber: id.number, flag: id.resetFlag, payload: [], into: &output)
                remove(id)
                events.append(.streamReset(id, .bufferOverflow))
            } else {
                streams[id] = state
                events.append(.data(id, frame.payload))
            }

        case .closeReceiver, .closeInitiator:
            guard let state = streams[id] else { return }
            switch state {
            case .open:
                streams[id] = .remoteClosed
                events.append(.readClosed(id))
            case .localClosed:
                remove(id)
                events.append(.readClosed(id))
            case .remoteClosed:
                break  // a repeated close changes nothing
            }

        case .resetReceiver, .resetInitiator:
            guard streams[id] != nil else { return }
            remove(id)
            events.append(.streamReset(id, .byRemote))
        }
    }

    // MARK: Commands

    mutating func openStream(name: [UInt8]?, output: inout [UInt8]) throws(MplexUsageError) -> MplexStreamID {
        guard outboundCount < configuration.maxOutboundStreams else { throw .outboundStreamLimitReached }
        guard nextNumber <= MplexFrame.maxStreamNumber else { throw .streamNumbersExhausted }
        let name = name ?? Array(String(nextNumber).utf8)
        guard name.count <= configuration.maxFrameLength else { throw .nameTooLong }
        let id = MplexStreamID(number: nextNumber, openedLocally: true)
        nextNumber += 1
        outboundCount += 1
        streams[id] = .open(MplexReceiveHalf())
        MplexFrame.encode(streamNumber: id.number, flag: .newStream, payload: name[...], into: &output)
        return id
    }

    func write(_ id: MplexStreamID, _ bytes: [UInt8], output: inout [UInt8]) throws(MplexUsageError) {
        guard let state = streams[id] else { throw .unknownStream(id) }
        guard state.canSend else { throw .writeClosed(id) }
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + configuration.maxSendFrameLength)
            MplexFrame.encode(streamNumber: id.number, flag: id.messageFlag, payload: bytes[start..<end], into: &output)
            start = end
        }
    }

    mutating func closeWrite(_ id: MplexStreamID, output: inout [UInt8]) throws(MplexUsageError) {
        guard let state = streams[id] else { throw .unknownStream(id) }
        switch state {
        case .open(let receive):
            streams[id] = .localClosed(receive)
        case .remoteClosed:
            remove(id)
        case .localClosed:
            return
        }
        MplexFrame.encode(streamNumber: id.number, flag: id.closeFlag, payload: [], into: &output)
    }

    mutating func reset(_ id: MplexStreamID, output: inout [UInt8]) {
        guard streams[id] != nil else { return }
        remove(id)
        MplexFrame.encode(streamNumber: id.number, flag: id.resetFlag, payload: [], into: &output)
    }

    mutating func consumed(_ id: MplexStreamID, _ count: Int) {
        guard count > 0, let state = streams[id] else { return }
        switch state {
        case .open(var receive):
            receive.unconsumed -= min(count, receive.unconsumed)
            streams[id] = .open(receive)
        case .localClosed(var receive):
            receive.unconsumed -= min(count, receive.unconsumed)
            streams[id] = .localClosed(receive)
        case .remoteClosed:
            return
        }
    }

    func unconsumedByteCount(of id: MplexStreamID) -> Int? {
        switch streams[id] {
        case .open(let receive), .localClosed(let receive): receive.unconsumed
        case .remoteClosed, .none: nil
        }
    }

    private mutating func remove(_ id: MplexStreamID) {
        guard streams.removeValue(forKey: id) != nil else { return }
        if id.openedLocally { outboundCount -= 1 } else { inboundCount -= 1 }
    }
}
