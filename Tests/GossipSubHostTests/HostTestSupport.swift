import GossipSub
import GossipSubHost
import LibP2P
import LibP2PCore
import NIOPosix
import Synchronization
import TestSupport

/// A few hosts on loopback, listening on free ports, with fast heartbeats.
struct LoopbackNet {
    let group: MultiThreadedEventLoopGroup
    var hosts: [GossipSubHost] = []
    var ports: [Int] = []

    static func parameters() -> GossipSubConfig.Parameters {
        var p = GossipSubConfig.Parameters(signaturePolicy: .strictNoSign)
        p.messageIDFunction = .contentSHA256(prefixLength: 20)
        p.heartbeatInterval = .milliseconds(100)
        p.d = 3
        p.dLow = 2
        p.dHigh = 5
        p.dOut = 1
        p.dScore = 2
        return p
    }

    /// The host's defaults, but forwards kept until sent. A forward expires after 1 s by default,
    /// and a test machine loaded by parallel suites can hold a writer task that long; in these
    /// small nets the expired forward is lost for good (gossip goes only to peers outside the mesh,
    /// and a line has no other path), so tests that count deliveries would fail by chance. Expiry
    /// is tested on the queue (`OutboundFrameQueueTests`) and in the simulator.
    static func configuration() -> GossipSubHostConfiguration {
        var configuration = GossipSubHostConfiguration()
        configuration.queuePolicy.forwardExpiry = nil
        return configuration
    }

    init(count: Int, parameters: GossipSubConfig.Parameters = LoopbackNet.parameters(),
         configuration: GossipSubHostConfiguration = LoopbackNet.configuration(),
         muxers: [MuxerProtocol] = [.yamux, .mplex], seed: UInt64 = 1) async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var rng = SeededRandom(state: seed)
        for i in 0..<count {
            let identity = HostIdentity.ed25519(using: &rng)
            var p = parameters
            if case .strictSign = p.signaturePolicy { p.signaturePolicy = identity.strictSignPolicy }
            let host = try GossipSubHost.make(
                identity: identity, config: try GossipSubConfig(validating: p), seed: seed &+ UInt64(i),
                configuration: configuration, muxers: muxers, group: group)
            await host.start()
            ports.append(try await host.listen(host: "127.0.0.1", port: 0))
            hosts.append(host)
        }
    }

    /// Dials `a` → `b`.
    func link(_ a: Int, _ b: Int) async throws {
        try await hosts[a].dial(host: "127.0.0.1", port: ports[b], expectedPeer: hosts[b].peerID)
    }

    /// Waits until every host of `indices` has at least `minimum` mesh peers on `topic`.
    func waitForMesh(_ topic: String, minimum: Int, indices: [Int]? = nil, timeout: Duration = .seconds(10)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var ok = true
            for i in indices ?? Array(hosts.indices) where await hosts[i].meshPeers(topic).count < minimum { ok = false }
            if ok { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func shutdown() async {
        for host in hosts { await host.stop() }
        try? await group.shutdownGracefully()
    }
}

/// Everything a sequence yields, recorded by a task that runs until the sequence ends (so a
/// test's waiting never cancels the subscription itself).
final class Recorder<Element: Sendable>: Sendable {
    private let box = Box<[Element]>([])
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<Element>) {
        let box = self.box
        task = Task { for await element in stream { box.withLock { $0.append(element) } } }
    }

    var all: [Element] { box.withLock { $0 } }

    /// Waits until at least `count` elements arrived or `timeout` passed; returns them all.
    func wait(count: Int, timeout: Duration = .seconds(10)) async -> [Element] {
        let deadline = ContinuousClock.now + timeout
        while all.count < count, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return all
    }

    /// Waits until an element satisfies `predicate` or `timeout` passed.
    func first(where predicate: (Element) -> Bool, timeout: Duration = .seconds(10)) async -> Element? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let hit = all.first(where: predicate) { return hit }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return all.first(where: predicate)
    }

    deinit { task.cancel() }
}

/// A locked value closures can capture (`Mutex` is not copyable).
final class Box<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
