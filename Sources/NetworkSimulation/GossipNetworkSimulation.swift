import AztecP2P
import GossipSub
import LibP2PCore

/// Transaction gossip over a simulated network: one real ``GossipSubRouter`` per node, with peer
/// scoring, driven through the ``LinkModel`` in virtual time.
///
/// What is simulated and what is not:
/// - RPCs go from router to router as values, not through the protobuf codec; each is charged on
///   the links for its wire size (``wireSize(of:)``), exact to within a few bytes a message.
/// - A transaction's payload is a shared array of its full size, so size-dependent rules (the
///   IDONTWANT threshold, size limits) act as in a node; its message id is its first 20 bytes (a
///   unique tag) instead of Aztec's SHA-256 of the content, which would hash 40 KB per copy.
/// - Validation is the proof check's cost: `validationMilliseconds` per transaction, at most
///   `validationConcurrency` at once per node, then accept (every node is honest here).
/// - Nodes connect at start to `dialsPerNode` random others; discovery is not part of this run.
public struct GossipNetworkSimulation {
    public typealias Router = GossipSubRouter<SimulatedPeer>
    public static let topic = "/aztec/1/tx/1"

    enum Event {
        case arrive(from: Int32, to: Int32, rpc: RPC, bytes: Int)
        case receive(from: Int32, to: Int32, rpc: RPC)
        case heartbeat(Int32)
        case publish(Int32)
        case validated(node: Int32, id: MessageID)
    }

    public let scenario: GossipScenario
    var routers: [Router] = []
    var links: LinkModel
    let regions: [Int]
    let classes: [Int]
    var queue = EventQueue<Event>()
    var rng: SplitMix64
    public private(set) var now = SimulatedInstant.zero
    public private(set) var trace = TraceHash()
    public private(set) var eventsProcessed = 0

    // Validation queues.
    var validating: [Int]
    var waiting: [[MessageID]]

    // Transactions.
    var transactionIndex: [MessageID: Int] = [:]
    var publishedAt: [SimulatedInstant] = []
    var deliveredCount: [Int] = []
    var lastDelivery: [SimulatedInstant] = []
    public private(set) var latencies = LatencyHistogram()
    /// Deliveries to nodes in each second of the run.
    public private(set) var deliveriesPerSecond: [Int] = []
    var trafficAtPublishStart: [(sent: UInt64, received: UInt64)] = []
    var trafficAtPublishEnd: [(sent: UInt64, received: UInt64)] = []

    public init(_ scenario: GossipScenario) throws(SimulationError) {
        if let problem = scenario.problem { throw SimulationError(problem) }
        self.scenario = scenario
        var rng = SplitMix64(seed: scenario.seed)
        let (regions, classes) = scenario.network.place(scenario.nodes, using: &rng)
        self.regions = regions
        self.classes = classes
        links = LinkModel(bandwidths: classes.map { scenario.network.bandwidthClasses[$0].bandwidth })
        validating = Array(repeating: 0, count: scenario.nodes)
        waiting = Array(repeating: [], count: scenario.nodes)

        let config: GossipSubConfig
        let score: PeerScore<SimulatedPeer>
        do {
            config = try GossipSubConfig(validating: Self.parameters(scenario))
            var scoreParameters = PeerScoreParameters()
            scoreParameters.topics[Self.topic] = TopicScoreParameters()
            score = try PeerScore<SimulatedPeer>(parameters: scoreParameters)
        } catch {
            throw SimulationError("gossip parameters: \(error)")
        }
        for node in 0..<scenario.nodes {
            routers.append(Router(config: config, seed: scenario.seed &* 1_000_003 &+ UInt64(node), scoring: score))
        }
        self.rng = rng
        connect()
        for node in 0..<scenario.nodes {
            apply(node, routers[node].subscribe(Self.topic, now: now.sinceStart))
            // Heartbeats staggered over the first interval, as nodes start at different times.
            let interval = SimulatedInstant(config.parameters.heartbeatInterval).nanoseconds
            let offset = Int64(self.rng.next() % UInt64(max(1, interval)))
            queue.push(.heartbeat(Int32(node)), at: SimulatedInstant(nanoseconds: offset))
        }
        let start = SimulatedInstant.seconds(scenario.warmupSeconds)
        let count = Int((scenario.publishSeconds * scenario.transactionsPerSecond).rounded(.down))
        for tx in 0..<count {
            queue.push(.publish(Int32(tx)), at: start + .seconds(Double(tx) / scenario.transactionsPerSecond))
        }
        publishedAt.reserveCapacity(count)
    }

    /// The node's GossipSub parameters with the scenario's changes and the simulation's message ids.
    static func parameters(_ scenario: GossipScenario) -> GossipSubConfig.Parameters {
        var p = GossipSubConfig.Parameters()
        p.signaturePolicy = .strictNoSign
        p.messageIDFunction = .custom { MessageID(Array(($0.data ?? []).prefix(20))) }
        p.maxMessageSize = max(p.maxMessageSize, scenario.transactionBytes)
        p.rpcLimits.maxRPCSize = max(p.rpcLimits.maxRPCSize, scenario.transactionBytes + 4096)
        let o = scenario.gossip
        if let d = o.d { p.d = d }
        if let dLow = o.dLow { p.dLow = dLow }
        if let dHigh = o.dHigh { p.dHigh = dHigh }
        if let ms = o.heartbeatMilliseconds { p.heartbeatInterval = .milliseconds(ms) }
        if let flood = o.floodPublish { p.floodPublish = flood }
        if o.idontwant == false { p.idontwantMessageSizeThreshold = Int.max }
        return p
    }

    /// Each node dials `dialsPerNode` distinct random others (skipping pairs already connected).
    mutating func connect() {
        var linked = Set<UInt64>()
        let n = scenario.nodes
        for node in 0..<n {
            var dialed = 0, attempts = 0
            while dialed < scenario.dialsPerNode, attempts < scenario.dialsPerNode * 20 {
                attempts += 1
                let other = Int(rng.next() % UInt64(n))
                let key = UInt64(min(node, other)) << 32 | UInt64(max(node, other))
                guard other != node, linked.insert(key).inserted else { continue }
                dialed += 1
                apply(node, routers[node].peerConnected(SimulatedPeer(other), protocol: .meshsub12, outbound: true, now: now.sinceStart))
                apply(other, routers[other].peerConnected(SimulatedPeer(node), protocol: .meshsub12, outbound: false, now: now.sinceStart))
            }
        }
    }

    /// The payload of transaction `tx`: its full size, tagged in the first 20 bytes.
    func payload(_ tx: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: scenario.transactionBytes)
        withUnsafeBytes(of: UInt64(tx).bigEndian) { for (i, b) in $0.enumerated() { bytes[i] = b } }
        withUnsafeBytes(of: scenario.seed.bigEndian) { for (i, b) in $0.enumerated() { bytes[8 + i] = b } }
        bytes[16] = 0xA2
        return bytes
    }

    var endOfRun: SimulatedInstant {
        .seconds(scenario.warmupSeconds + scenario.publishSeconds + scenario.drainSeconds)
    }

    /// Runs the scenario to its end and reports.
    public mutating func run(progress: ((SimulatedInstant, Int) -> Void)? = nil) -> GossipSimulationReport {
        let publishStart = SimulatedInstant.seconds(scenario.warmupSeconds)
        let publishEnd = SimulatedInstant.seconds(scenario.warmupSeconds + scenario.publishSeconds)
        run(until: publishStart, progress: progress)
        trafficAtPublishStart = (0..<scenario.nodes).map { links.traffic(of: $0) }
        run(until: publishEnd, progress: progress)
        trafficAtPublishEnd = (0..<scenario.nodes).map { links.traffic(of: $0) }
        run(until: endOfRun, progress: progress)
        return report()
    }

    /// Processes every event due at or before `end`.
    public mutating func run(until end: SimulatedInstant, progress: ((SimulatedInstant, Int) -> Void)? = nil) {
        var nextProgress = now + .seconds(1)
        while let (time, event) = queue.pop(notAfter: end) {
            now = time
            eventsProcessed += 1
            handle(event)
            if let progress, now >= nextProgress {
                progress(now, eventsProcessed)
                nextProgress = now + .seconds(1)
            }
        }
        now = max(now, end)
    }

    mutating func handle(_ event: Event) {
        switch event {
        case .arrive(let from, let to, let rpc, let bytes):
            let done = links.receive(bytes: bytes, at: Int(to), now: now)
            queue.push(.receive(from: from, to: to, rpc: rpc), at: done)
        case .receive(let from, let to, let rpc):
            trace.mix(UInt64(now.nanoseconds) ^ UInt64(from) << 40 ^ UInt64(to) << 20)
            apply(Int(to), routers[Int(to)].rpcReceived(rpc, from: SimulatedPeer(Int(from)), now: now.sinceStart))
        case .heartbeat(let node):
            let n = Int(node)
            apply(n, routers[n].heartbeat(now: now.sinceStart))
            queue.push(.heartbeat(node), at: SimulatedInstant(routers[n].nextHeartbeat(after: now.sinceStart)))
        case .publish(let tx):
            let node = Int(rng.next() % UInt64(scenario.nodes))
            publishedAt.append(now)
            deliveredCount.append(1)
            lastDelivery.append(now)
            trace.mix(UInt64(tx) << 32 | UInt64(node))
            do {
                let (id, actions) = try routers[node].publish(topic: Self.topic, data: payload(Int(tx)), now: now.sinceStart)
                transactionIndex[id] = Int(tx)
                apply(node, actions)
            } catch {
                trace.mix(0xDEAD)
            }
        case .validated(let node, let id):
            let n = Int(node)
            validating[n] -= 1
            apply(n, routers[n].validationResult(id, .accept, now: now.sinceStart))
            if !waiting[n].isEmpty { startValidation(n, waiting[n].removeFirst()) }
        }
    }

    mutating func startValidation(_ node: Int, _ id: MessageID) {
        validating[node] += 1
        queue.push(.validated(node: Int32(node), id: id), at: now + .milliseconds(scenario.validationMilliseconds))
    }

    mutating func apply(_ node: Int, _ actions: [Router.Action]) {
        for action in actions {
            switch action {
            case .send(let peer, let rpc):
                let to = Int(peer.index)
                let bytes = Self.wireSize(of: rpc)
                let latency = scenario.network.latency(from: regions[node], to: regions[to], using: &rng)
                let arrives = links.send(bytes: bytes, from: node, to: to, latency: latency, ordered: true, now: now)
                queue.push(.arrive(from: Int32(node), to: Int32(to), rpc: rpc, bytes: bytes), at: arrives)
            case .deliver(let message, _):
                if let tx = transactionIndex[message.id] {
                    deliveredCount[tx] += 1
                    lastDelivery[tx] = max(lastDelivery[tx], now)
                    latencies.record(now - publishedAt[tx])
                    let second = Int(now.nanoseconds / 1_000_000_000)
                    if second >= deliveriesPerSecond.count {
                        deliveriesPerSecond.append(contentsOf: repeatElement(0, count: second - deliveriesPerSecond.count + 1))
                    }
                    deliveriesPerSecond[second] += 1
                }
                if validating[node] < scenario.validationConcurrency {
                    startValidation(node, message.id)
                } else {
                    waiting[node].append(message.id)
                }
            case .event:
                break
            }
        }
    }

    /// Bytes `rpc` takes on the wire with its length prefix: the protobuf encoding of everything but
    /// the message payloads, plus each payload with its field tag and length (the varint of the
    /// enclosing message's length may be a byte or two longer than counted).
    public static func wireSize(of rpc: RPC) -> Int {
        var stripped = rpc
        var payloadBytes = 0
        for index in stripped.publish.indices {
            let count = stripped.publish[index].data?.count ?? 0
            if count > 0 {
                payloadBytes += count + Self.varintSize(count) + 1 + Self.varintSize(count + 64) - 1
                stripped.publish[index].data = nil
            }
        }
        let body = stripped.encoded().count + payloadBytes
        return body + varintSize(body)
    }

    static func varintSize(_ value: Int) -> Int { UVarint.encodedLength(UInt64(max(0, value))) }

    /// One node's place, links and measured traffic.
    public struct NodeRow: Hashable, Sendable {
        public var node: Int
        public var region: String
        public var bandwidthClass: String
        public var uploadBytesPerSecond: Double
        public var downloadBytesPerSecond: Double
        public var meshDegree: Int
    }

    /// Every node's row, traffic measured while transactions were published (after ``run(progress:)``).
    public func nodeRows() -> [NodeRow] {
        let window = max(scenario.publishSeconds, 1e-9)
        let degrees = meshDegrees()
        return (0..<scenario.nodes).map { node in
            let start: (sent: UInt64, received: UInt64) = node < trafficAtPublishStart.count ? trafficAtPublishStart[node] : (0, 0)
            let end: (sent: UInt64, received: UInt64) = node < trafficAtPublishEnd.count ? trafficAtPublishEnd[node] : start
            return NodeRow(node: node, region: scenario.network.regions.names[regions[node]],
                           bandwidthClass: scenario.network.bandwidthClasses[classes[node]].name,
                           uploadBytesPerSecond: Double(end.sent - start.sent) / window,
                           downloadBytesPerSecond: Double(end.received - start.received) / window,
                           meshDegree: degrees[node])
        }
    }

    public func meshDegrees() -> [Int] {
        routers.map { $0.meshPeers(Self.topic).count }
    }

    func report() -> GossipSimulationReport {
        GossipSimulationReport(simulation: self)
    }
}

/// Why a simulation could not run.
public struct SimulationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
