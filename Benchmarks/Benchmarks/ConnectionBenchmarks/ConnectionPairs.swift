import LibP2P
import Noise

/// Two sans-IO endpoints back to back, upgraded (multistream-select, Noise XX, muxer
/// negotiation) without sockets: what the benchmarks drive.
enum ConnectionPairs {
    /// Runs one full upgrade between a dialer and a listener; `nil` if it did not complete.
    static func upgrade(
        dialer: BenchIdentity, listener: BenchIdentity, muxer: MuxerProtocol, rng: inout BenchRNG
    ) -> (UpgradedConnection, UpgradedConnection)? {
        func configuration(_ identity: BenchIdentity, _ rng: inout BenchRNG) -> ConnectionUpgradeConfiguration? {
            guard let staticKey = try? NoiseKeyPair.generate(using: &rng) else { return nil }
            return ConnectionUpgradeConfiguration(
                noise: NoiseHandshake.Configuration(identity: identity, verifier: identity, staticKey: staticKey),
                muxers: [muxer])
        }
        guard let dialerConfiguration = configuration(dialer, &rng),
              let listenerConfiguration = configuration(listener, &rng),
              let dialerEphemeral = try? NoiseKeyPair.generate(using: &rng),
              let listenerEphemeral = try? NoiseKeyPair.generate(using: &rng),
              var a = try? ConnectionUpgrade(role: .dialer, configuration: dialerConfiguration, ephemeralKey: dialerEphemeral),
              var b = try? ConnectionUpgrade(role: .listener, configuration: listenerConfiguration, ephemeralKey: listenerEphemeral)
        else { return nil }
        var toB: [UInt8] = []
        var toA: [UInt8] = []
        var doneA: UpgradedConnection?
        var doneB: UpgradedConnection?
        func apply(_ actions: [ConnectionUpgrade.Action], _ out: inout [UInt8], _ done: inout UpgradedConnection?) -> Bool {
            for action in actions {
                switch action {
                case .send(let bytes): out += bytes
                case .established(let connection): done = connection
                case .failed: return false
                }
            }
            return true
        }
        guard apply(a.start(now: .zero), &toB, &doneA), apply(b.start(now: .zero), &toA, &doneB) else { return nil }
        for _ in 0..<64 where doneA == nil || doneB == nil {
            if !toB.isEmpty {
                let bytes = toB
                toB = []
                if doneB == nil { guard apply(b.receive(bytes), &toA, &doneB) else { return nil } }
            }
            if !toA.isEmpty {
                let bytes = toA
                toA = []
                if doneA == nil { guard apply(a.receive(bytes), &toB, &doneA) else { return nil } }
            }
        }
        guard let doneA, let doneB else { return nil }
        return (doneA, doneB)
    }

    /// An established connection pair with one stream open from the dialer to the listener.
    struct BulkPair {
        var sender: Connection
        var receiver: Connection
        let stream: MuxedStreamID
        var remoteStream: MuxedStreamID?

        init?(muxer: MuxerProtocol) {
            var rng = BenchRNG(state: 1)
            guard let (a, b) = ConnectionPairs.upgrade(
                dialer: .secp256k1(seed: 1), listener: .secp256k1(seed: 2), muxer: muxer, rng: &rng)
            else { return nil }
            sender = Connection(a)
            receiver = Connection(b)
            _ = sender.start()
            _ = receiver.start()
            guard let stream = try? sender.openStream() else { return nil }
            self.stream = stream
        }

        /// Moves `total` bytes across in writes of `chunk`, with the receiver consuming
        /// everything it gets (credit flows back). Returns the bytes delivered.
        mutating func transfer(_ chunk: [UInt8], total: Int) -> Int {
            var written = 0
            var delivered = 0
            var idle = 0
            while delivered < total, idle < 4 {
                var moved = false
                while written < total, sender.writeCapacity(of: stream) >= chunk.count {
                    guard (try? sender.write(stream, chunk)) != nil else { break }
                    written += chunk.count
                    moved = true
                }
                while let bytes = try? sender.takeOutbound(maxBytes: 64 * 1024), !bytes.isEmpty {
                    moved = true
                    for event in receiver.receive(bytes) {
                        switch event {
                        case .streamOpened(let id): remoteStream = id
                        case .data(let id, let payload):
                            delivered += payload.readableBytes
                            receiver.consumed(id, payload.readableBytes)
                        default: break
                        }
                    }
                }
                while let bytes = try? receiver.takeOutbound(), !bytes.isEmpty {
                    moved = true
                    _ = sender.receive(bytes)
                }
                idle = moved ? 0 : idle + 1
            }
            return delivered
        }
    }
}
