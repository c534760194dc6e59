import Testing
@testable import LibP2P

/// Two ``Connection``s back to back after a real upgrade.
struct ConnectionPair {
    var dialer: Connection
    var listener: Connection
    var dialerEvents: [ConnectionEvent] = []
    var listenerEvents: [ConnectionEvent] = []
    /// Report received data as consumed at once.
    var autoConsume = true
    var byteByByte = false

    init(muxer: MuxerProtocol, byteByByte: Bool = false) throws {
        var h = try UpgradeHarness(dialerMuxers: [muxer], listenerMuxers: [muxer])
        h.run()
        let d = try #require(h.dialerOutcome.connection)
        let l = try #require(h.listenerOutcome.connection)
        dialer = Connection(d)
        listener = Connection(l)
        self.byteByByte = byteByByte
        dialerEvents += dialer.start()
        listenerEvents += listener.start()
        dialerEvents += dialer.receive(h.lateToDialer)
        listenerEvents += listener.receive(h.lateToListener)
    }

    /// Moves bytes both ways (in chunks of `maxBytes` plaintext) until both sides are quiet.
    mutating func pump(maxBytes: Int = .max) throws {
        var rounds = 0
        while dialer.hasOutbound || listener.hasOutbound {
            rounds += 1
            precondition(rounds < 100_000, "pump does not converge")
            let toListener = try dialer.takeOutbound(maxBytes: maxBytes)
            let toDialer = try listener.takeOutbound(maxBytes: maxBytes)
            deliver(toListener, toDialer: false)
            deliver(toDialer, toDialer: true)
        }
    }

    mutating func deliver(_ bytes: [UInt8], toDialer: Bool) {
        guard !bytes.isEmpty else { return }
        let pieces: [[UInt8]] = byteByByte ? bytes.map { [$0] } : [bytes]
        for piece in pieces {
            let events = toDialer ? dialer.receive(piece) : listener.receive(piece)
            if autoConsume {
                for case .data(let id, let data) in events {
                    if toDialer { dialer.consumed(id, data.readableBytes) } else { listener.consumed(id, data.readableBytes) }
                }
            }
            if toDialer { dialerEvents += events } else { listenerEvents += events }
        }
    }

    /// All data received on `stream` by one side, in order.
    static func data(_ events: [ConnectionEvent], on stream: MuxedStreamID? = nil) -> [UInt8] {
        var out: [UInt8] = []
        for case .data(let id, let bytes) in events where stream == nil || id == stream { out += bytes.readableBytesView }
        return out
    }

    static func opened(_ events: [ConnectionEvent]) -> [MuxedStreamID] {
        events.compactMap { if case .streamOpened(let id) = $0 { id } else { nil } }
    }
}
