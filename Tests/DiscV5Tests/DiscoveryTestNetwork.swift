import DiscV5
import ENR
import TestSupport

/// A few ``DiscoveryNode``s exchanging packets, for the core's own tests: virtual time, per-packet
/// latency, optional loss, one seeded random source, packets captured on demand, every action
/// kept. Timers are scheduled from each node's `nextDeadline`. Runs at network scale (a thousand
/// nodes, sybil subnets) are the network simulator's (`NetworkSimulation`), as every simulation is.
struct DiscoveryTestNetwork {
    enum EventKind {
        case deliver(to: Int, packet: [UInt8], from: Endpoint)
        case timer(Int)
        case start(Int)
    }

    struct Event {
        var time: Duration
        var sequence: Int
        var kind: EventKind
    }

    var nodes: [DiscoveryNode] = []
    var endpoints: [Endpoint] = []
    var indexByEndpoint: [Endpoint: Int] = [:]
    var online: [Bool] = []
    var random: SeededRandom
    var now: Duration = .zero
    var lossRate: Double
    var minimumLatency: Duration = .milliseconds(5)
    var maximumLatency: Duration = .milliseconds(50)
    /// Packets handed to the network (lost ones included).
    var packetsSent = 0
    var otherActions: [Int: [DiscoveryAction]] = [:]
    /// While set, every packet a node sends is also appended to ``captured`` (what an attacker
    /// on the path would record).
    var capturing = false
    var captured: [(from: Endpoint, to: Endpoint, packet: [UInt8])] = []
    private var heap: [Event] = []
    private var sequence = 0
    private var scheduledTimer: [Duration?] = []

    init(seed: UInt64, lossRate: Double) {
        random = SeededRandom(seed: seed)
        self.lossRate = lossRate
    }

    /// Adds a node (offline until ``start(_:at:)``); returns its index.
    mutating func add(_ node: DiscoveryNode, endpoint: Endpoint) -> Int {
        nodes.append(node)
        endpoints.append(endpoint)
        indexByEndpoint[endpoint] = nodes.count - 1
        online.append(false)
        scheduledTimer.append(nil)
        return nodes.count - 1
    }

    mutating func start(_ index: Int, at time: Duration) {
        push(Event(time: time, sequence: 0, kind: .start(index)))
    }

    /// Runs events up to and including `time`.
    mutating func run(until time: Duration) {
        while let first = heap.first, first.time <= time {
            let event = pop()
            now = event.time
            switch event.kind {
            case .start(let index):
                online[index] = true
                let at = now
                let actions = nodes[index].start(now: at, using: &random)
                apply(actions, from: index)
            case .timer(let index):
                guard scheduledTimer[index] == event.time else { continue }
                scheduledTimer[index] = nil
                guard online[index] else { continue }
                let at = now
                let actions = nodes[index].handleTimeout(now: at, using: &random)
                apply(actions, from: index)
            case .deliver(let index, let packet, let source):
                guard online[index] else { continue }
                let at = now
                let actions = nodes[index].handlePacket(packet, from: source, now: at, using: &random)
                apply(actions, from: index)
            }
        }
        now = max(now, time)
    }

    /// Hands `packet` to node `index` now as if it came from `source` (which anyone may forge),
    /// applies the node's actions and returns them.
    @discardableResult
    mutating func inject(_ packet: [UInt8], to index: Int, from source: Endpoint) -> [DiscoveryAction] {
        let at = now
        let actions = nodes[index].handlePacket(packet, from: source, now: at, using: &random)
        apply(actions, from: index)
        return actions
    }

    /// Calls `body` on node `index` at the current time and applies its actions.
    mutating func perform<T>(_ index: Int, _ body: (inout DiscoveryNode, Duration, inout SeededRandom) -> (T, [DiscoveryAction])) -> T {
        let at = now
        let (value, actions) = body(&nodes[index], at, &random)
        apply(actions, from: index)
        return value
    }

    mutating func apply(_ actions: [DiscoveryAction], from index: Int) {
        for action in actions {
            switch action {
            case .send(let packet, let endpoint):
                if capturing { captured.append((endpoints[index], endpoint, packet)) }
                packetsSent += 1
                guard Double(random.next() % 1_000_000) / 1_000_000 >= lossRate,
                      let target = indexByEndpoint[endpoint]
                else { continue }
                let spread = UInt64((maximumLatency - minimumLatency) / .microseconds(1))
                let latency = minimumLatency + .microseconds(Int64(random.next() % max(spread, 1)))
                push(Event(time: now + latency, sequence: 0, kind: .deliver(to: target, packet: packet, from: endpoints[index])))
            default:
                otherActions[index, default: []].append(action)
            }
        }
        schedule(index)
    }

    private mutating func schedule(_ index: Int) {
        guard let deadline = nodes[index].nextDeadline else { return }
        let time = max(deadline, now)
        if let scheduled = scheduledTimer[index], scheduled <= time, scheduled >= now { return }
        scheduledTimer[index] = time
        push(Event(time: time, sequence: 0, kind: .timer(index)))
    }

    // MARK: Binary heap ordered by (time, sequence)

    private static func precedes(_ a: Event, _ b: Event) -> Bool {
        a.time != b.time ? a.time < b.time : a.sequence < b.sequence
    }

    private mutating func push(_ event: Event) {
        var event = event
        sequence += 1
        event.sequence = sequence
        heap.append(event)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() -> Event {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count, Self.precedes(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count, Self.precedes(heap[right], heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
