import AllocationCounter
import GossipSub
import LibP2P
import LibP2PCore
import NIOCore
import Noise
import TestSupport
import Testing
@testable import GossipSubHost

/// How many times a 40 KB message's bytes are copied between the socket and the router, counted
/// as allocations of at least 16 KiB on the test's thread (every copy of the payload is one such
/// allocation; growing a buffer counts its new size too). The steps are the ones the host and the
/// connection handler take, minus the thread hops between them, on a real upgraded connection.
@Suite(.enabled(if: allocation_counter_is_available() != 0, "counts allocations through glibc only"))
struct PayloadCopyCountTests {
    static let payloadBytes = 40_000
    static let messages = 20

    /// Two connections after a real upgrade (multistream, Noise XX, yamux), and a stream the
    /// dialer opened.
    struct Pair {
        var dialer: Connection
        var listener: Connection
        let stream: MuxedStreamID

        init() throws {
            var rng = SeededRandom(seed: 42)
            func configuration(_ rng: inout SeededRandom) throws -> ConnectionUpgradeConfiguration {
                let identity = try LibP2PIdentity.generate(using: &rng)
                return ConnectionUpgradeConfiguration(
                    noise: NoiseHandshake.Configuration(
                        identity: identity, verifier: LibP2PIdentityVerifier(), staticKey: identity.noiseStaticKey),
                    muxers: [.yamux])
            }
            var dialerUpgrade = try ConnectionUpgrade(
                role: .dialer, configuration: configuration(&rng), ephemeralKey: try NoiseKeyPair.generate(using: &rng))
            var listenerUpgrade = try ConnectionUpgrade(
                role: .listener, configuration: configuration(&rng), ephemeralKey: try NoiseKeyPair.generate(using: &rng))
            var inFlight: [(toListener: Bool, bytes: [UInt8])] = []
            var dialerDone: UpgradedConnection?
            var listenerDone: UpgradedConnection?
            var late: (dialer: [UInt8], listener: [UInt8]) = ([], [])
            func take(_ actions: [ConnectionUpgrade.Action], fromDialer: Bool) {
                for action in actions {
                    switch action {
                    case .send(let bytes): inFlight.append((fromDialer, bytes))
                    case .established(let upgraded): if fromDialer { dialerDone = upgraded } else { listenerDone = upgraded }
                    case .failed: break
                    }
                }
            }
            take(dialerUpgrade.start(now: .zero), fromDialer: true)
            take(listenerUpgrade.start(now: .zero), fromDialer: false)
            while !inFlight.isEmpty {
                let (toListener, bytes) = inFlight.removeFirst()
                switch (toListener, toListener ? listenerDone : dialerDone) {
                case (true, nil): take(listenerUpgrade.receive(bytes), fromDialer: false)
                case (false, nil): take(dialerUpgrade.receive(bytes), fromDialer: true)
                case (true, _): late.listener += bytes
                case (false, _): late.dialer += bytes
                }
            }
            dialer = Connection(try #require(dialerDone))
            listener = Connection(try #require(listenerDone))
            _ = dialer.start()
            _ = listener.start()
            _ = dialer.receive(late.dialer)
            _ = listener.receive(late.listener)
            stream = try dialer.openStream()
            _ = listener.receive(try dialer.takeOutbound())
        }
    }

    static func message(_ n: Int) -> RPC {
        var rng = SeededRandom(seed: UInt64(n))
        return RPC(publish: [RawMessage(data: rng.bytes(payloadBytes), topic: "aztec-tx")])
    }

    /// Copies of at least 16 KiB made by `body` on this thread, in payloads (40 KB each).
    static func copies(_ total: inout Double, _ body: () throws -> Void) rethrows {
        allocation_counter_start(16 * 1024)
        defer { allocation_counter_stop() }
        try body()
        total += Double(allocation_counter_copied_bytes()) / Double(payloadBytes)
    }

    @Test func aMessageIsCopiedAtMostFourTimesEachWay() throws {
        var pair = try Pair()
        var reader = RPCFrameReader(limits: RPCLimits())
        let allocator = ByteBufferAllocator()
        var framing = 0.0, sending = 0.0, receiving = 0.0, reading = 0.0
        for n in 0..<Self.messages {
            let rpc = Self.message(n)
            var frame: [UInt8] = []
            Self.copies(&framing) { frame = rpc.framed() }
            var wire: [ByteBuffer] = []
            try Self.copies(&sending) {
                try pair.dialer.write(pair.stream, frame)
                while pair.dialer.hasOutbound {
                    wire.append(try pair.dialer.takeOutboundBuffer(maxBytes: 64 * 1024, allocator: allocator))
                }
            }
            var streamData: [ByteBuffer] = []
            Self.copies(&receiving) {
                for buffer in wire {
                    for case .data(let id, let bytes) in pair.listener.receive(buffer) {
                        pair.listener.consumed(id, bytes.readableBytes)
                        streamData.append(bytes)
                    }
                }
            }
            var decoded: [RPC] = []
            try Self.copies(&reading) {
                for bytes in streamData {
                    reader.append(bytes)
                    while let (decodedRPC, _) = try reader.next() { decoded.append(decodedRPC) }
                }
            }
            #expect(decoded == [rpc])
            _ = pair.dialer.receive(try pair.listener.takeOutboundBuffer())
        }
        let count = Double(Self.messages)
        let (framed, sent, received, read) = (framing / count, sending / count, receiving / count, reading / count)
        print("copies of a 40 KB payload: framing \(framed), muxer and Noise out \(sent), Noise and muxer in \(received), RPC reader \(read)")
        // Send: the data into the RPC frame; twice inside swift-crypto's sealed box (its API
        // returns ciphertext and tag joined into a new buffer); the sealed bytes into the socket's
        // buffer. The yamux frame does not copy it: its header goes in a Noise frame of its own
        // and the payload is encrypted from the array the frame was written in.
        #expect(framed < 1.01)
        #expect(sent < 3.01)
        // Receive: twice into swift-crypto's sealed box (it only opens a box, which owns a copy of
        // its input); the plaintext into a buffer; stream data is a slice of it, no copy.
        #expect(received < 3.01)
        // The RPC reader: the data out of the received buffer into the decoded RPC (the frame is
        // decoded where it lies).
        #expect(read < 1.01)
    }
}
