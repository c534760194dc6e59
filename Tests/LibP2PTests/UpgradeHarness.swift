import Noise
@testable import LibP2P
import TestSupport

/// Two ``ConnectionUpgrade``s wired back to back, with optional tampering and byte-by-byte
/// delivery.
struct UpgradeHarness {
    enum Outcome {
        case pending
        case established(UpgradedConnection)
        case failed(ConnectionUpgradeError)

        var connection: UpgradedConnection? {
            if case .established(let c) = self { return c }
            return nil
        }

        var error: ConnectionUpgradeError? {
            if case .failed(let e) = self { return e }
            return nil
        }
    }

    static let dialerIdentity = TestIdentity(seed: 1)
    static let listenerIdentity = TestIdentity(seed: 2)

    var dialer: ConnectionUpgrade
    var listener: ConnectionUpgrade
    var dialerOutcome = Outcome.pending
    var listenerOutcome = Outcome.pending
    /// Bytes in flight.
    var toListener: [[UInt8]] = []
    var toDialer: [[UInt8]] = []
    /// Chunks each side sent so far (index used by `tamper`).
    var listenerChunks = 0
    var dialerChunks = 0
    var byteByByte = false
    /// Called on every chunk a side sends: (fromDialer, chunkIndex, bytes).
    var tamper: (Bool, Int, inout [UInt8]) -> Void = { _, _, _ in }

    static func makeConfiguration(
        _ identity: TestIdentity, staticSeed: UInt8, muxers: [MuxerProtocol]
    ) throws -> ConnectionUpgradeConfiguration {
        ConnectionUpgradeConfiguration(
            noise: try identity.noiseConfiguration(staticSeed: staticSeed), muxers: muxers)
    }

    init(
        dialerMuxers: [MuxerProtocol] = [.yamux, .mplex], listenerMuxers: [MuxerProtocol] = [.yamux, .mplex],
        expectedPeer: [UInt8]? = nil, byteByByte: Bool = false, seed: UInt64 = 7
    ) throws {
        var rng = SeededRandom(state: seed)
        dialer = try ConnectionUpgrade(
            role: .dialer,
            configuration: try Self.makeConfiguration(Self.dialerIdentity, staticSeed: 11, muxers: dialerMuxers),
            expectedRemotePeerID: expectedPeer, ephemeralKey: try NoiseKeyPair.generate(using: &rng))
        listener = try ConnectionUpgrade(
            role: .listener,
            configuration: try Self.makeConfiguration(Self.listenerIdentity, staticSeed: 12, muxers: listenerMuxers),
            ephemeralKey: try NoiseKeyPair.generate(using: &rng))
        self.byteByByte = byteByByte
    }

    private mutating func apply(_ actions: [ConnectionUpgrade.Action], fromDialer: Bool) {
        for action in actions {
            switch action {
            case .send(var bytes):
                if fromDialer {
                    tamper(true, dialerChunks, &bytes)
                    dialerChunks += 1
                    toListener.append(bytes)
                } else {
                    tamper(false, listenerChunks, &bytes)
                    listenerChunks += 1
                    toDialer.append(bytes)
                }
            case .established(let c):
                if fromDialer { dialerOutcome = .established(c) } else { listenerOutcome = .established(c) }
            case .failed(let e):
                if fromDialer { dialerOutcome = .failed(e) } else { listenerOutcome = .failed(e) }
            }
        }
    }

    private static func isPending(_ o: Outcome) -> Bool {
        if case .pending = o { return true }
        return false
    }

    /// Starts both sides and delivers bytes until nothing moves.
    mutating func run(now: Duration = .zero) {
        apply(dialer.start(now: now), fromDialer: true)
        apply(listener.start(now: now), fromDialer: false)
        pump()
    }

    mutating func pump() {
        while !toListener.isEmpty || !toDialer.isEmpty {
            if !toListener.isEmpty {
                let chunk = toListener.removeFirst()
                deliver(chunk, toDialerSide: false)
            }
            if !toDialer.isEmpty {
                let chunk = toDialer.removeFirst()
                deliver(chunk, toDialerSide: true)
            }
        }
    }

    /// Bytes that reached a side after it finished (the muxer's first bytes) are kept here.
    var lateToDialer: [UInt8] = []
    var lateToListener: [UInt8] = []

    private mutating func deliver(_ chunk: [UInt8], toDialerSide: Bool) {
        let pieces: [[UInt8]] = byteByByte ? chunk.map { [$0] } : [chunk]
        for piece in pieces {
            if toDialerSide {
                guard Self.isPending(dialerOutcome) else { lateToDialer += piece; continue }
                apply(dialer.receive(piece), fromDialer: true)
            } else {
                guard Self.isPending(listenerOutcome) else { lateToListener += piece; continue }
                apply(listener.receive(piece), fromDialer: false)
            }
        }
    }
}
