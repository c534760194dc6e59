import NIOCore
import Yamux

/// Two sessions back to back: bytes taken from one are fed to the other, optionally in small
/// chunks, until neither has anything to send.
struct YamuxPair {
    var client: YamuxSession
    var server: YamuxSession
    var clientEvents: [YamuxEvent] = []
    var serverEvents: [YamuxEvent] = []
    /// Bytes per `receive` call; 1 feeds one byte at a time.
    var chunkSize: Int

    init(
        chunkSize: Int = .max, client: YamuxConfiguration = .standard, server: YamuxConfiguration = .standard
    ) {
        self.client = YamuxSession(role: .client, configuration: client)
        self.server = YamuxSession(role: .server, configuration: server)
        self.chunkSize = chunkSize
    }

    /// Exchanges bytes until both sides are quiet.
    mutating func pump() {
        for _ in 0..<100_000 {
            let toServer = client.takeOutbound()
            let toClient = server.takeOutbound()
            if toServer.isEmpty && toClient.isEmpty { return }
            feed(toServer, to: &server, events: &serverEvents)
            feed(toClient, to: &client, events: &clientEvents)
        }
    }

    private func feed(_ bytes: [UInt8], to session: inout YamuxSession, events: inout [YamuxEvent]) {
        var start = 0
        while start < bytes.count {
            let end = bytes.count - start > chunkSize ? start + chunkSize : bytes.count
            events += session.receive(bytes[start..<end])
            start = end
        }
    }
}

/// The bytes delivered on `stream`, in order.
func receivedBytes(_ events: [YamuxEvent], on stream: YamuxStreamID) -> [UInt8] {
    var bytes: [UInt8] = []
    for case .data(let id, let chunk) in events where id == stream { bytes += chunk.readableBytesView }
    return bytes
}

/// A deterministic test pattern.
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

func frame(_ type: UInt8, _ flags: UInt16, _ stream: UInt32, _ length: UInt32, version: UInt8 = 0) -> [UInt8] {
    [version, type, UInt8(flags >> 8), UInt8(flags & 0xFF)]
        + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: stream >> $0) }
        + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) }
}
