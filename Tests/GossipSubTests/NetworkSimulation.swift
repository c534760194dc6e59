import Crypto
@testable import GossipSub

/// A deterministic in-process network of routers: RPCs travel through the real codec and an
/// event queue with simulated per-link latency (FIFO per directed link, like a stream).
/// Applications accept every message. The trace hash covers every action of every router.
struct NetworkSimulation {
    enum Event {
        case rpc(from: Int, to: Int, bytes: [UInt8])
        case heartbeat(Int)
        case publish(Int, [UInt8])
    }

    struct Parameters {
        var nodes = 50
        var dialsPerNode = 5
        var seed: UInt64 = 1
        var floodPublish = true
        /// Probability (per mille) that a message-carrying RPC is lost.
        var messageLossPerMille = 0
        var minLatency: Duration = .milliseconds(5)
        var latencyJitterMs = 45
        var idontwantThreshold = 1024
        /// Runs every router with ``PeerScore`` (P₁, P₂, P₄, P₇ active) instead of no scoring.
        var scoring = false
    }

    let parameters: Parameters
    var routers: [Router] = []
    var rng: DeterministicRNG
    var queue = EventQueue<Event>()
    var now: Duration = .zero
    var lastArrival: [Int: Duration] = [:]   // per directed link
    var trace = SHA256()
    /// (node, message id) → times delivered to the application.
    var deliveries: [Int: [MessageID: Int]] = [:]
    var published: [(node: Int, id: MessageID)] = []
    var rpcCount = 0
    var bytesSent = 0
    /// Message copies put on the wire, IWANT requests and IDONTWANT notices sent.
    var messageCopies = 0
    var iwantsSent = 0
    var idontwantsSent = 0
    var penalties = 0
    var links: Set<[Int]> = []

    static func peer(_ node: Int) -> TestPeer { TestPeer(UInt32(node + 1)) }

    init(_ parameters: Parameters) throws {
        self.parameters = parameters
        self.rng = DeterministicRNG(seed: parameters.seed ^ 0x5EED)
        let config = try makeConfig {
            $0.floodPublish = parameters.floodPublish
            $0.idontwantMessageSizeThreshold = parameters.idontwantThreshold
        }
        var scoreParameters = PeerScoreParameters()
        scoreParameters.topics[topic] = TopicScoreParameters()
        let score = try PeerScore<TestPeer>(parameters: scoreParameters)
        for node in 0..<parameters.nodes {
            let seed = parameters.seed &* 1_000_003 &+ UInt64(node)
            routers.append(parameters.scoring
                ? Router(config: config, seed: seed, scoring: score)
                : Router(config: config, seed: seed))
        }
        func proto(_ node: Int) -> GossipProtocol { node % 5 == 0 ? .meshsub11 : .meshsub12 }
        for node in 0..<parameters.nodes {
            var dialed = 0
            while dialed < parameters.dialsPerNode {
                let other = rng.below(parameters.nodes)
                guard other != node, !links.contains([min(node, other), max(node, other)]) else { continue }
                links.insert([min(node, other), max(node, other)])
                dialed += 1
                let negotiated = min(proto(node), proto(other))
                apply(node, routers[node].peerConnected(Self.peer(other), protocol: negotiated, outbound: true, now: now))
                apply(other, routers[other].peerConnected(Self.peer(node), protocol: negotiated, outbound: false, now: now))
            }
        }
        for node in 0..<parameters.nodes {
            apply(node, routers[node].subscribe(topic, now: now))
            // Heartbeats staggered over the first second.
            queue.push(.milliseconds(Int64(1000 + (node * 37) % 1000)), .heartbeat(node))
        }
    }

    mutating func schedulePublish(node: Int, data: [UInt8], at time: Duration) {
        queue.push(time, .publish(node, data))
    }

    /// Runs every event up to `end`.
    mutating func run(until end: Duration) {
        while let (time, event) = queue.popFirst(notAfter: end) {
            now = time
            switch event {
            case .rpc(let from, let to, let bytes):
                // Through the real codec, as on a stream.
                guard let rpc = try? RPC.decode(bytes) else {
                    trace.update(data: Array("undecodable".utf8))
                    continue
                }
                apply(to, routers[to].rpcReceived(rpc, from: Self.peer(from), now: now))
            case .heartbeat(let node):
                apply(node, routers[node].heartbeat(now: now))
                queue.push(routers[node].nextHeartbeat(after: now), .heartbeat(node))
            case .publish(let node, let data):
                if let result = try? routers[node].publish(topic: topic, data: data, now: now) {
                    published.append((node, result.id))
                    record("publish \(node) \(result.id)")
                    apply(node, result.actions)
                }
            }
        }
        now = end
    }

    mutating func record(_ line: String) {
        trace.update(data: Array("\(now.components.seconds).\(now.components.attoseconds) \(line)\n".utf8))
    }

    /// Carries out a router's actions: sends go on the wire, deliveries are accepted at once.
    mutating func apply(_ node: Int, _ actions: [Action]) {
        for action in actions {
            switch action {
            case .send(let to, let rpc):
                let target = Int(to.n) - 1
                let bytes = rpc.encoded()
                trace.update(data: [UInt8(truncatingIfNeeded: node), UInt8(truncatingIfNeeded: target)] + bytes)
                rpcCount += 1
                bytesSent += bytes.count
                messageCopies += rpc.publish.count
                iwantsSent += rpc.control?.iwant.count ?? 0
                idontwantsSent += rpc.control?.idontwant.count ?? 0
                if !rpc.publish.isEmpty, parameters.messageLossPerMille > 0,
                   rng.below(1000) < parameters.messageLossPerMille { continue }
                let latency = parameters.minLatency + .milliseconds(Int64(rng.below(parameters.latencyJitterMs + 1)))
                let link = node * parameters.nodes + target
                let arrival = max(now + latency, lastArrival[link] ?? .zero)
                lastArrival[link] = arrival
                queue.push(arrival, .rpc(from: node, to: target, bytes: bytes))
            case .deliver(let message, let source):
                record("deliver \(node) \(message.id) from \(source)")
                deliveries[node, default: [:]][message.id, default: 0] += 1
                apply(node, routers[node].validationResult(message.id, .accept, now: now))
            case .event(let event):
                if case .penalised = event { penalties += 1 }
                record("event \(node) \(event)")
            }
        }
    }

    var traceHash: String { MessageID(Array(trace.finalize())).description }
}

/// A binary min-heap of timed events; ties break by insertion order, so runs are reproducible.
struct EventQueue<Event> {
    private var heap: [(time: Duration, seq: Int, event: Event)] = []
    private var nextSeq = 0

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ time: Duration, _ event: Event) {
        heap.append((time, nextSeq, event))
        nextSeq += 1
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func popFirst(notAfter end: Duration) -> (Duration, Event)? {
        guard let first = heap.first, first.time <= end else { return nil }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, less(l, m) { m = l }
            if r < heap.count, less(r, m) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return (first.time, first.event)
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        heap[a].time != heap[b].time ? heap[a].time < heap[b].time : heap[a].seq < heap[b].seq
    }
}
