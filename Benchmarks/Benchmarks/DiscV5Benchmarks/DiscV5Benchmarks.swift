import Benchmark
import Crypto
import DiscV5
import ENR
import P2PCrypto

/// A seedable generator so fixtures are the same in every run.
struct BenchRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct BenchNode {
    let key: Secp256k1.PrivateKey
    let record: NodeRecord
    let endpoint: Endpoint

    init(port: UInt16, using random: inout BenchRandom) {
        key = Secp256k1.PrivateKey.generate(using: &random)
        var builder = NodeRecordBuilder()
        try? builder.setIP([127, 0, 0, 1])
        builder.setUDP(port)
        guard let record = try? builder.signed(with: key) else { fatalError("benchmark fixture: record") }
        self.record = record
        endpoint = Endpoint(ip: [127, 0, 0, 1], port: port)
    }

    var contact: NodeContact { NodeContact(record: record, endpoint: endpoint) }
}

/// Runs one complete handshake between fresh handlers of `a` and `b` (a's PING carried in it).
func handshake(_ a: BenchNode, _ b: BenchNode, using random: inout BenchRandom) -> (SessionHandler, SessionHandler)? {
    guard var handlerA = try? SessionHandler(key: a.key, record: a.record),
          var handlerB = try? SessionHandler(key: b.key, record: b.record)
    else { return nil }
    let ping = Message.ping(Ping(requestID: RequestID(1), enrSeq: 1))
    guard case .send(let random1, _)? = handlerA.sendRequest(ping, to: b.contact, now: .zero, using: &random).first,
          case .send(let whoAreYou, _)? = handlerB.handlePacket(random1, from: a.endpoint, now: .zero, using: &random).first,
          case .send(let handshakePacket, _)? = handlerA.handlePacket(whoAreYou, from: b.endpoint, now: .zero, using: &random).first
    else { return nil }
    _ = handlerB.handlePacket(handshakePacket, from: a.endpoint, now: .zero, using: &random)
    return (handlerA, handlerB)
}

// PING throughput: node B's whole path (per-IP and per-node limits, header unmasking, AES-GCM
// open, message decode, PONG encode and seal) for a PING in an established session. The
// reference is the symmetric crypto alone on the same sizes.
let benchmarks: @Sendable () -> Void = {
    var random = BenchRandom(state: 42)
    let a = BenchNode(port: 1000, using: &random)
    let b = BenchNode(port: 2000, using: &random)
    var config = DiscoveryConfig()
    config.packetsPerSecondPerIP = 1e12
    config.requestsPerSecondPerNode = 1e12
    guard var nodeA = try? DiscoveryNode(key: a.key, record: a.record, config: config),
          var nodeB = try? DiscoveryNode(key: b.key, record: b.record, config: config)
    else { fatalError("benchmark fixture: nodes") }
    // Establish the session with one PING.
    var inFlight = nodeA.ping(b.record, now: .zero, using: &random).actions
    var toB = true
    while !inFlight.isEmpty {
        var next: [DiscoveryAction] = []
        for case .send(let packet, _) in inFlight {
            next += toB ? nodeB.handlePacket(packet, from: a.endpoint, now: .zero, using: &random)
                : nodeA.handlePacket(packet, from: b.endpoint, now: .zero, using: &random)
        }
        inFlight = next
        toB.toggle()
    }
    // A PING in the session.
    guard case .send(let pingPacket, _)? = nodeA.ping(b.record, now: .zero, using: &random).actions.first,
          nodeB.session.sessions.count == 1
    else { fatalError("benchmark fixture: session") }
    let gcmKey = SymmetricKey(data: [UInt8](repeating: 7, count: 16))
    let nonce = try? AES.GCM.Nonce(data: [UInt8](repeating: 1, count: 12))
    let plaintext = [UInt8](repeating: 3, count: 14)
    let aad = [UInt8](repeating: 5, count: 55)

    let perSecond = Benchmark.Configuration(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo)
    let nodeBFixture = nodeB
    Benchmark("DiscV5 PING decrypted + decoded + answered (session established)", configuration: perSecond) { benchmark in
        var node = nodeBFixture
        var random = BenchRandom(state: 7)
        for _ in benchmark.scaledIterations {
            blackHole(node.handlePacket(pingPacket, from: a.endpoint, now: .seconds(1), using: &random))
        }
    }
    Benchmark("AES-128-GCM seal + open of a PING-sized message (reference)", configuration: perSecond) { benchmark in
        for _ in benchmark.scaledIterations {
            guard let nonce, let sealed = try? AES.GCM.seal(plaintext, using: gcmKey, nonce: nonce, authenticating: aad)
            else { continue }
            blackHole(try? AES.GCM.open(sealed, using: gcmKey, authenticating: aad))
        }
    }

    // Handshakes: both sides of a complete handshake, next to the secp256k1 operations it needs
    // (ephemeral key generation, two ECDHs, one id-nonce signature and its verification).
    let slow = Benchmark.Configuration(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one)
    Benchmark("DiscV5 handshake, both sides", configuration: slow) { benchmark in
        var random = BenchRandom(state: 9)
        for _ in benchmark.scaledIterations { blackHole(handshake(a, b, using: &random)) }
    }
    let digest = [UInt8](repeating: 9, count: 32)
    let publicA = a.key.publicKey
    let publicB = b.key.publicKey
    Benchmark("secp256k1 keygen + 2 ECDH + sign + verify (reference)", configuration: slow) { benchmark in
        var random = BenchRandom(state: 11)
        for _ in benchmark.scaledIterations {
            let ephemeral = Secp256k1.PrivateKey.generate(using: &random)
            blackHole(try? ephemeral.sharedSecret(with: publicB))
            blackHole(try? b.key.sharedSecret(with: ephemeral.publicKey))
            if let signature = try? a.key.signature(forDigest: digest) {
                blackHole(publicA.isValidSignature(signature, forDigest: digest))
            }
        }
    }
}
