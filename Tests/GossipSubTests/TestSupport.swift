@testable import GossipSub

/// A peer key for tests: a number, with a 4-byte big-endian wire form.
struct TestPeer: GossipPeerID, CustomStringConvertible {
    let n: UInt32
    init(_ n: UInt32) { self.n = n }
    var wireBytes: [UInt8] { withUnsafeBytes(of: n.bigEndian) { Array($0) } }
    static func < (a: TestPeer, b: TestPeer) -> Bool { a.n < b.n }
    var description: String { "p\(n)" }
}

typealias Router = GossipSubRouter<TestPeer>
typealias Action = GossipSubAction<TestPeer>

let topic = "/aztec/1/tx/1"

func seconds(_ s: Double) -> Duration { .milliseconds(Int64(s * 1000)) }

/// The content id the router tests use, Aztec's: `sha256(topic ‖ data)[0..<20]`.
let contentID = MessageIDFunction.contentSHA256(prefixLength: 20)

/// The spec's defaults under StrictNoSign with ``contentID`` message ids, as Aztec runs them.
func unsignedParameters() -> GossipSubConfig.Parameters {
    var p = GossipSubConfig.Parameters(signaturePolicy: .strictNoSign)
    p.messageIDFunction = contentID
    return p
}

func makeConfig(_ edit: (inout GossipSubConfig.Parameters) -> Void = { _ in }) throws -> GossipSubConfig {
    var p = unsignedParameters()
    edit(&p)
    return try GossipSubConfig(validating: p)
}

/// A router with `count` connected peers (ids 1...count), all subscribed to `topic`.
func makeRouter(peers count: Int, protocol proto: GossipProtocol = .meshsub12, outbound: Bool = false,
                subscribe: Bool = true, seed: UInt64 = 1,
                scoring: any PeerScoreProvider<TestPeer> = NoPeerScore<TestPeer>(),
                _ edit: (inout GossipSubConfig.Parameters) -> Void = { _ in }) throws -> Router {
    var router = Router(config: try makeConfig(edit), seed: seed, scoring: scoring)
    for i in 0..<count {
        let peer = TestPeer(UInt32(i + 1))
        _ = router.peerConnected(peer, protocol: proto, outbound: outbound, now: .zero)
        _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: peer, now: .zero)
    }
    if subscribe { _ = router.subscribe(topic, now: .zero) }
    return router
}

/// A router with D 8 (6–12) whose first `count` v1.3 peers advertised `extensions` (the next
/// `plain` advertised nothing), all subscribed to `topic`, its mesh built; the router itself
/// advertises `advertised`.
func makeExtensionRouter(peers count: Int, plain: Int, extensions: ControlExtensions, advertised: ControlExtensions,
                         scoring: any PeerScoreProvider<TestPeer> = NoPeerScore<TestPeer>(),
                         _ edit: (inout GossipSubConfig.Parameters) -> Void = { _ in }) throws -> Router {
    var router = Router(config: try makeConfig {
        $0.extensions = advertised
        $0.d = 8; $0.dLow = 6; $0.dHigh = 12
        edit(&$0)
    }, seed: 1, scoring: scoring)
    for i in 0..<(count + plain) {
        let peer = TestPeer(UInt32(i + 1))
        _ = router.peerConnected(peer, protocol: .meshsub13, outbound: true, now: .zero)
        let hello = i < count ? ControlMessage(extensions: extensions) : nil
        _ = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)], control: hello), from: peer, now: .zero)
    }
    _ = router.subscribe(topic, now: .zero)
    return router
}

extension Array where Element == Action {
    /// RPCs sent, in order, as (peer, rpc).
    var sends: [(TestPeer, RPC)] {
        compactMap { if case .send(let p, let rpc) = $0 { (p, rpc) } else { nil } }
    }
    func rpcs(to peer: TestPeer) -> [RPC] { sends.filter { $0.0 == peer }.map(\.1) }
    var grafts: [(TestPeer, String)] { sends.flatMap { s in (s.1.control?.graft ?? []).map { (s.0, $0.topic) } } }
    var prunes: [(TestPeer, ControlPrune)] { sends.flatMap { s in (s.1.control?.prune ?? []).map { (s.0, $0) } } }
    var ihaves: [(TestPeer, ControlIHave)] { sends.flatMap { s in (s.1.control?.ihave ?? []).map { (s.0, $0) } } }
    var iwants: [(TestPeer, [MessageID])] { sends.flatMap { s in (s.1.control?.iwant ?? []).map { (s.0, $0.messageIDs) } } }
    var idontwants: [(TestPeer, [MessageID])] { sends.flatMap { s in (s.1.control?.idontwant ?? []).map { (s.0, $0.messageIDs) } } }
    var messagesSent: [(TestPeer, RawMessage)] { sends.flatMap { s in s.1.publish.map { (s.0, $0) } } }
    var deliveries: [(Message, TestPeer)] {
        compactMap { if case .deliver(let m, let p) = $0 { (m, p) } else { nil } }
    }
    var events: [GossipSubEvent<TestPeer>] {
        compactMap { if case .event(let e) = $0 { e } else { nil } }
    }
    var penalties: [(TestPeer, PenaltyReason)] {
        events.compactMap { if case .penalised(let p, let r, _) = $0 { (p, r) } else { nil } }
    }
}

/// A scoring stub with fixed per-peer scores.
struct FixedScores: PeerScoreProvider {
    var scores: [TestPeer: Double] = [:]
    var thresholds = PeerScoreThresholds()
    func score(_ peer: TestPeer, now: Duration) -> Double { scores[peer] ?? 0 }
    mutating func penalize(_ peer: TestPeer, reason: PenaltyReason, count: Int) {}
    mutating func validated(_ id: MessageID, topic: String, source: TestPeer, result: ValidationResult, now: Duration) {}
    mutating func grafted(_ peer: TestPeer, topic: String, now: Duration) {}
    mutating func pruned(_ peer: TestPeer, topic: String, now: Duration) {}
    mutating func refresh(now: Duration) {}
}

func bytes(_ n: Int, seed: UInt8 = 0) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0 &+ Int(seed) &* 31) } }

/// A scoring stub that records every hook call, in order.
struct RecordingScore: PeerScoreProvider {
    var thresholds = PeerScoreThresholds()
    var calls: [String] = []
    func score(_ peer: TestPeer, now: Duration) -> Double { 0 }
    mutating func penalize(_ peer: TestPeer, reason: PenaltyReason, count: Int) { calls.append("penalize \(peer) \(reason) \(count)") }
    mutating func validated(_ id: MessageID, topic: String, source: TestPeer, result: ValidationResult, now: Duration) {
        calls.append("validated \(source) \(result)")
    }
    mutating func grafted(_ peer: TestPeer, topic: String, now: Duration) { calls.append("grafted \(peer)") }
    mutating func pruned(_ peer: TestPeer, topic: String, now: Duration) { calls.append("pruned \(peer)") }
    mutating func refresh(now: Duration) { calls.append("refresh") }
    mutating func peerConnected(_ peer: TestPeer, now: Duration) { calls.append("connected \(peer)") }
    mutating func peerDisconnected(_ peer: TestPeer, now: Duration) { calls.append("disconnected \(peer)") }
    mutating func firstReceived(_ id: MessageID, topic: String, from peer: TestPeer, now: Duration) { calls.append("first \(peer)") }
    mutating func duplicateReceived(_ id: MessageID, topic: String, from peer: TestPeer, now: Duration) { calls.append("duplicate \(peer)") }
}
