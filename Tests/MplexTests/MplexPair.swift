import Mplex

/// Two sessions back to back: bytes taken from one are fed to the other, optionally in small
/// chunks, until neither has anything to send.
struct MplexPair {
    var dialer: MplexSession
    var listener: MplexSession
    var dialerEvents: [MplexEvent] = []
    var listenerEvents: [MplexEvent] = []
    var chunkSize: Int

    init(chunkSize: Int = .max, dialer: MplexConfiguration = .standard, listener: MplexConfiguration = .standard) {
        self.dialer = MplexSession(configuration: dialer)
        self.listener = MplexSession(configuration: listener)
        self.chunkSize = chunkSize
    }

    mutating func pump() {
        for _ in 0..<100_000 {
            let toListener = dialer.takeOutbound()
            let toDialer = listener.takeOutbound()
            if toListener.isEmpty && toDialer.isEmpty { return }
            feed(toListener, to: &listener, events: &listenerEvents)
            feed(toDialer, to: &dialer, events: &dialerEvents)
        }
    }

    private func feed(_ bytes: [UInt8], to session: inout MplexSession, events: inout [MplexEvent]) {
        var start = 0
        while start < bytes.count {
            let end = bytes.count - start > chunkSize ? start + chunkSize : bytes.count
            events += session.receive(bytes[start..<end])
            start = end
        }
    }
}

func receivedBytes(_ events: [MplexEvent], on stream: MplexStreamID) -> [UInt8] {
    var bytes: [UInt8] = []
    for case .data(let id, let chunk) in events where id == stream { bytes += chunk }
    return bytes
}

func pattern(_ count: Int, seed: Int) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        var state = UInt32(truncatingIfNeeded: seed &* 2_654_435_761 &+ 1)
        for index in 0..<count {
            state = state &* 1_664_525 &+ 1_013_904_223
            buffer[index] = UInt8(truncatingIfNeeded: state >> 24)
        }
        initialized = count
    }
}

func local(_ number: UInt64) -> MplexStreamID { MplexStreamID(number: number, openedLocally: true) }
func remote(_ number: UInt64) -> MplexStreamID { MplexStreamID(number: number, openedLocally: false) }
