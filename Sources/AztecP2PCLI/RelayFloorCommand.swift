import ArgumentParser
import Crypto
import Foundation

/// `aztec-p2p relay-floor`: the CPU a relay cannot avoid per message, the reference that
/// `scripts/relay_cpu.py --reference` sets beside a relay's measured CPU in the same run.
///
/// A relay must decrypt a message once (one Noise transport frame, ChaCha20-Poly1305), derive
/// its Aztec message id (SHA-256 of topic and data) and encrypt it once per peer it forwards
/// to. Everything else (framing, multiplexing, the router, the socket) is overhead that a
/// faster relay could in principle remove. The same swift-crypto primitives the Noise session
/// uses are timed here, on one buffer, with the process's CPU clock.
struct RelayFloorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay-floor",
        abstract: "CPU per message of the work a relay cannot avoid (decrypt once, SHA-256 id, encrypt per peer); prints one JSON line.")

    @Option(help: "Message size in bytes.")
    var size = 40_000

    @Option(help: "Peers each message is encrypted for.")
    var peers = 1

    @Option(help: "Messages to time.")
    var count = 20_000

    @Option(help: "The topic hashed into the message id.")
    var topic = "/aztec/tx/0.1.0"

    func validate() throws {
        // One Noise transport message holds at most 65,535 bytes, tag included.
        guard (1...65_519).contains(size) else { throw ValidationError("--size must be 1...65519") }
        guard peers >= 1, count >= 1 else { throw ValidationError("--peers and --count must be positive") }
    }

    func run() throws {
        let key = SymmetricKey(size: .bits256)
        let payload = [UInt8](repeating: 0xA5, count: size)
        let topicBytes = Array(topic.utf8)
        let received = try ChaChaPoly.seal(payload, using: key, nonce: Self.nonce(0)).combined
        var sink: UInt8 = 0
        let start = Self.processCPUSeconds()
        for n in 0..<count {
            // The received frame: its nonce is the counter, as in Noise; only the body is opened.
            let box = try ChaChaPoly.SealedBox(combined: received)
            let plain = try ChaChaPoly.open(box, using: key)
            var hasher = SHA256()
            hasher.update(data: topicBytes)
            hasher.update(data: plain)
            sink ^= hasher.finalize().withUnsafeBytes { $0[0] }
            for peer in 0..<peers {
                let sealed = try ChaChaPoly.seal(plain, using: key, nonce: Self.nonce(UInt64(n * peers + peer + 1)))
                sink ^= sealed.tag.first ?? 0
            }
        }
        let cpu = Self.processCPUSeconds() - start
        let line: [String: Any] = [
            "reference": "relay-floor", "size": size, "peers": peers, "count": count,
            "cpu_s_per_1000": (1000 * cpu / Double(count) * 1000).rounded() / 1000, "check": Int(sink),
        ]
        let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    /// A Noise transport nonce: four zero bytes, then the 64-bit counter little-endian.
    private static func nonce(_ counter: UInt64) throws -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        withUnsafeBytes(of: counter.littleEndian) { bytes.replaceSubrange(4..<12, with: $0) }
        return try ChaChaPoly.Nonce(data: bytes)
    }

    private static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
