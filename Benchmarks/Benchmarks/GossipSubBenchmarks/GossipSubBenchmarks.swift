import Benchmark
import GossipSub
import LibP2PCore

/// Peer `n`: a libp2p peer id (the type a real node runs the router with, and the one its entry
/// points are specialised for) whose key bytes carry `n`.
private func benchPeer(_ n: Int) -> PeerID {
    var bytes: [UInt8] = [0x00, 36, 0x08, 0x01, 0x12, 0x20] + [UInt8](repeating: 0, count: 32)
    withUnsafeBytes(of: UInt64(n).bigEndian) { bytes.replaceSubrange(30..<38, with: $0) }
    guard let peer = try? PeerID(multihashBytes: bytes) else { fatalError("identity multihash of 36 bytes is valid") }
    return peer
}

private let txTopic = "/aztec/tx/0.1.0"
/// Aztec's message id: `sha256(topic ‖ data)[0..<20]`.
private let contentID = MessageIDFunction.contentSHA256(prefixLength: 20)

/// A router with `peers` connected meshsub/1.2 peers subscribed to `topics` (peer i to
/// `perPeer` of them, round robin), itself subscribed to all, after a few heartbeats.
/// With `scored`, peer scoring is on with default parameters for every topic, as in a node.
private func makeRouter(
    peers: Int, topics: [String], perPeer: Int, scored: Bool = false, floodPublish: Bool = true
) -> (GossipSubRouter<PeerID>, Duration) {
    var defaults = GossipSubConfig.Parameters(signaturePolicy: .strictNoSign)
    defaults.messageIDFunction = contentID
    defaults.floodPublish = floodPublish
    guard let config = try? GossipSubConfig(validating: defaults) else { fatalError("default config must validate") }
    var parameters = PeerScoreParameters()
    for topic in topics { parameters.topics[topic] = TopicScoreParameters() }
    guard let scoring = try? PeerScore<PeerID>(parameters: parameters) else { fatalError("default score parameters must validate") }
    var router = scored ? GossipSubRouter<PeerID>(config: config, seed: 7, scoring: scoring) : GossipSubRouter<PeerID>(config: config, seed: 7)
    var now = Duration.zero
    for i in 0..<peers {
        let peer = benchPeer(i + 1)
        _ = router.peerConnected(peer, protocol: .meshsub12, outbound: i % 2 == 0, now: now)
        let subs = (0..<perPeer).map { SubOpts(subscribe: true, topic: topics[(i + $0) % topics.count]) }
        _ = router.rpcReceived(RPC(subscriptions: subs), from: peer, now: now)
    }
    for topic in topics { _ = router.subscribe(topic, now: now) }
    for _ in 0..<3 {
        now += .seconds(1)
        _ = router.heartbeat(now: now)
    }
    return (router, now)
}

/// One received transaction: decoded from its frame, accepted, forwarded to the mesh, the
/// outgoing frames encoded (a message-only RPC once, its frame shared by every peer, as
/// GossipSubHost does). Returns the bytes written, so nothing is optimised away.
private func receiveValidateForward(
    _ router: inout GossipSubRouter<PeerID>, frame: [UInt8], from source: PeerID, now: Duration
) -> Int {
    guard let rpc = try? RPC.decode(frame) else { return 0 }
    var written = 0
    for action in router.rpcReceived(rpc, from: source, now: now) {
        switch action {
        case .deliver(let message, _):
            var shared: [UInt8]?
            for next in router.validationResult(message.id, .accept, now: now) {
                guard case .send(_, let out) = next else { continue }
                if out.publish.count == 1, out.control == nil, out.subscriptions.isEmpty {
                    let frame = shared ?? out.framed()
                    shared = frame
                    written += frame.count
                } else {
                    written += out.framed().count
                }
            }
        case .send(_, let out):
            written += out.framed().count
        case .event:
            break
        }
    }
    return written
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(3)

    // 40 KB transactions through the router on one core: decode, seen check, content id
    // (sha256), accept, IDONTWANT to the mesh, forward to D peers, encode the frames.
    Benchmark("gossipsub router: 40 KB tx received+validated+forwarded to D=6",
              configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo)) { benchmark in
        var (router, now) = makeRouter(peers: 12, topics: [txTopic], perPeer: 1)
        let source = router.meshPeers(txTopic).first ?? benchPeer(1)
        var data = [UInt8](repeating: 0xA5, count: 40_000)
        var counter: UInt64 = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            counter &+= 1
            withUnsafeBytes(of: counter) { data.replaceSubrange(0..<8, with: $0) }
            let frame = RPC(publish: [RawMessage(data: data, topic: txTopic)]).encoded()
            now += .microseconds(100)
            blackHole(receiveValidateForward(&router, frame: frame, from: source, now: now))
            if counter % 10_000 == 0 { _ = router.heartbeat(now: now) }
        }
    }

    // Reference: the work no implementation avoids: hashing the 40 KB once (sha256, the
    // content id) and copying it twice (off the wire into a message, into one shared frame).
    Benchmark("gossipsub router: 40 KB tx received+validated+forwarded to D=6 (reference)",
              configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo)) { benchmark in
        var data = [UInt8](repeating: 0xA5, count: 40_000)
        var counter: UInt64 = 0
        for _ in benchmark.scaledIterations {
            counter &+= 1
            withUnsafeBytes(of: counter) { data.replaceSubrange(0..<8, with: $0) }
            let id = contentID.id(of: RawMessage(data: data, topic: txTopic))
            var copies: [[UInt8]] = []
            for _ in 0..<2 {
                copies.append(data.withUnsafeBufferPointer { source in
                    [UInt8](unsafeUninitializedCapacity: source.count) { target, count in
                        if let from = source.baseAddress, let to = target.baseAddress { to.update(from: from, count: source.count) }
                        count = source.count
                    }
                })
            }
            blackHole(copies.reduce(id.bytes.count) { $0 + Int($1[7]) })
        }
    }

    // Memory: 1,000 scored peers on the transaction topic, 100 transactions of 40 KB a second
    // arriving from them (accepted and forwarded) for 130 s of virtual time: past the seen
    // cache's and the delivery records' 120 s, with the message cache full (5 windows).
    let memory = Benchmark.Configuration(
        metrics: [.peakMemoryResident, .wallClock], scalingFactor: .one, maxDuration: .seconds(30), maxIterations: 3)
    Benchmark("gossipsub router memory: 1,000 peers, 100 tx/s of 40 KB for 130 s", configuration: memory) { benchmark in
        var (router, now) = makeRouter(peers: 1000, topics: [txTopic], perPeer: 1, scored: true)
        let peers = router.subscribers(txTopic)
        var data = [UInt8](repeating: 0xA5, count: 40_000)
        var n = 0
        for _ in 0..<130 {
            for _ in 0..<100 {
                n += 1
                withUnsafeBytes(of: UInt64(n)) { data.replaceSubrange(0..<8, with: $0) }
                now += .milliseconds(10)
                let rpc = RPC(publish: [RawMessage(data: data, topic: txTopic)])
                for case .deliver(let message, _) in router.rpcReceived(rpc, from: peers[n % peers.count], now: now) {
                    blackHole(router.validationResult(message.id, .accept, now: now).count)
                }
            }
            blackHole(router.heartbeat(now: now).count)
        }
        blackHole(router.meshPeers(txTopic).count)
    }

    // Reference: the same process holding only what the message cache must keep (5 heartbeat
    // windows of 100 transactions of 40 KB).
    Benchmark("gossipsub router memory: 1,000 peers, 100 tx/s of 40 KB for 130 s (reference)", configuration: memory) { _ in
        var payloads: [[UInt8]] = []
        for n in 0..<500 {
            var data = [UInt8](repeating: 0xA5, count: 40_000)
            withUnsafeBytes(of: UInt64(n)) { data.replaceSubrange(0..<8, with: $0) }
            payloads.append(data)
        }
        blackHole(payloads.reduce(0) { $0 + Int($1[3]) })
    }

    // Heartbeat: 1,000 peers, 10 topics, each peer in 3 of them, full message caches, peer
    // scoring on (every score the heartbeat needs is computed).
    Benchmark("gossipsub heartbeat: 1,000 peers over 10 topics",
              configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one)) { benchmark in
        let topics = (0..<10).map { "/aztec/topic/\($0)" }
        // Flood publishing off for the set-up only (it costs a score per subscriber per publish
        // and would leave time for a single sample); the heartbeat does not depend on it.
        var (router, now) = makeRouter(peers: 1000, topics: topics, perPeer: 3, scored: true, floodPublish: false)
        for i in 0..<500 {
            var data = [UInt8](repeating: 1, count: 64)
            withUnsafeBytes(of: UInt64(i)) { data.replaceSubrange(0..<8, with: $0) }
            _ = try? router.publish(topic: topics[i % topics.count], data: data, now: now)
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            now += .seconds(1)
            blackHole(router.heartbeat(now: now).count)
        }
        // Before the router goes out of scope: tearing down 1,000 peers' state is not a heartbeat.
        benchmark.stopMeasurement()
    }

    // Reference: visiting the same peers in the defined order the heartbeat needs (sorting
    // each topic's subscribers once).
    Benchmark("gossipsub heartbeat: 1,000 peers over 10 topics (reference)",
              configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one)) { benchmark in
        var topicPeers = [Set<PeerID>](repeating: [], count: 10)
        for i in 0..<1000 {
            for k in 0..<3 { topicPeers[(i + k) % 10].insert(benchPeer(i + 1)) }
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var total = 0
            for peers in topicPeers { total += peers.sorted().count }
            blackHole(total)
        }
        benchmark.stopMeasurement()
    }
}
