import ArgumentParser
import AztecP2P
import Foundation
import GossipSub
import GossipSubHost
import LibP2P
import LibP2PCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// `aztec-p2p devnet`: N gossipsub nodes in one process on loopback, over real TCP, Noise and
/// yamux, publishing transaction-sized messages and measuring their propagation.
struct DevnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devnet",
        abstract: "Run N GossipSub nodes on loopback (TCP + Noise + yamux) and measure transaction propagation.")

    @Option(help: "Number of nodes.") var nodes = 16
    @Option(help: "Transactions published per second (from random nodes).") var tps = 10.0
    @Option(name: .customLong("tx-size"), help: "Transaction size in bytes.") var txSize = 40_000
    @Option(help: "Seconds of publishing.") var duration = 30.0
    @Option(help: "Write per-message figures to this CSV file.") var csv: String?
    @Option(help: "Peers each node dials (static peering).") var dials = 4
    @Option(help: "Seed of the topology and the publishers.") var seed: UInt64 = 1
    @Option(help: "Muxer: yamux or mplex.") var muxer = "yamux"
    @Flag(help: "Disable IDONTWANT (to compare duplicates).") var noIdontwant = false
    @Flag(help: "Turn flood publishing off (publish to the mesh only).") var noFloodPublish = false

    static let topic = "/aztec/tx/0.1.0"

    func validate() throws {
        guard nodes >= 2, nodes <= 1000 else { throw ValidationError("--nodes must be in 2...1000") }
        guard tps > 0, tps <= 100_000 else { throw ValidationError("--tps must be in (0, 100000]") }
        guard txSize >= 8, txSize <= 1 << 20 else { throw ValidationError("--tx-size must be in 8...1048576") }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        guard dials >= 1 else { throw ValidationError("--dials must be at least 1") }
        guard ["yamux", "mplex"].contains(muxer) else { throw ValidationError("--muxer must be yamux or mplex") }
    }

    func run() async throws {
        let interrupted = LockedValue(false)
        let trap = GossipSignalTrap { interrupted.withLock { $0 = true } }
        defer { withExtendedLifetime(trap) {} }
        var logger = Logger(label: "devnet")
        logger.logLevel = .error

        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(2, System.coreCount))
        var parameters = GossipSubConfig.Parameters()
        parameters.messageIDFunction = .aztecContentID
        parameters.signaturePolicy = .strictNoSign
        if noIdontwant { parameters.idontwantMessageSizeThreshold = Int.max / 2 }
        parameters.floodPublish = !noFloodPublish
        let config = try GossipSubConfig(validating: parameters)
        let muxers: [MuxerProtocol] = muxer == "mplex" ? [.mplex] : [.yamux]

        var rng = SplitMix64(seed: seed)  // seeded: the topology and publishers are reproducible
        var hosts: [GossipSubHost] = []
        var ports: [Int] = []
        let started = ContinuousClock.now
        for i in 0..<nodes {
            var hostConfiguration = GossipSubHostConfiguration()
            hostConfiguration.metricsNodeLabel = "\(i)"
            let host = try GossipSubHost.make(
                identity: .ed25519(using: &rng), config: config, seed: seed &* 1000 &+ UInt64(i),
                configuration: hostConfiguration, muxers: muxers, group: group, logger: logger)
            await host.start()
            ports.append(try await host.listen(host: "127.0.0.1", port: 0))
            hosts.append(host)
        }
        let collector = DevnetCollector(nodes: nodes)
        var consumers: [Task<Void, Never>] = []
        for (i, host) in hosts.enumerated() {
            let subscription = await host.subscribe(Self.topic)
            consumers.append(Task { for await m in subscription { collector.arrived(m, at: i) } })
        }

        // Static peering: each node dials `dials` distinct random others (no pair twice).
        var links = Set<[Int]>()
        for i in 0..<nodes {
            var others = Array(0..<nodes).filter { $0 != i }
            others.shuffle(using: &rng)
            for j in others.prefix(min(dials, nodes - 1)) { links.insert([min(i, j), max(i, j)]) }
        }
        let allHosts = hosts
        let allPorts = ports
        try await withThrowingTaskGroup(of: Void.self) { group in
            for link in links.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                let (a, b) = (link[0], link[1])
                group.addTask { try await allHosts[a].dial(host: "127.0.0.1", port: allPorts[b], expectedPeer: allHosts[b].peerID) }
            }
            try await group.waitForAll()
        }
        let degree = Double(links.count * 2) / Double(nodes)
        print("devnet: \(nodes) nodes, \(links.count) links (mean degree \(fmt(degree, 1))), \(muxer) + noise over TCP loopback, "
            + "\(fmt(tps, 1)) tx/s x \(txSize) B for \(fmt(duration, 0)) s"
            + (noIdontwant ? ", IDONTWANT off" : "") + (noFloodPublish ? ", flood publish off" : ""))

        // Meshes: wait until every node has min(D_low, its peers) mesh peers, at most 10 s.
        let meshDeadline = ContinuousClock.now + .seconds(10)
        var meshReady = false
        while !meshReady, ContinuousClock.now < meshDeadline, !interrupted.value {
            meshReady = true
            for host in hosts {
                let peers = await host.connectedPeers().count
                if await host.meshPeers(Self.topic).count < min(parameters.dLow, peers) { meshReady = false; break }
            }
            if !meshReady { try await Task.sleep(for: .milliseconds(100)) }
        }
        var meshSizes: [Int] = []
        for host in hosts { meshSizes.append(await host.meshPeers(Self.topic).count) }
        print("meshes \(meshReady ? "formed" : "incomplete") after \(fmtDuration(ContinuousClock.now - started)): "
            + "mesh size min \(meshSizes.min() ?? 0) / max \(meshSizes.max() ?? 0)")

        var statsBefore: [GossipSubHostStats] = []
        for host in hosts { statsBefore.append(await host.currentStats()) }
        let interval = Duration.seconds(1.0 / tps)
        let total = Int((duration * tps).rounded())
        let publishStart = ContinuousClock.now
        let tty = isatty(STDOUT_FILENO) != 0
        var lastProgress = publishStart
        var published = 0
        while published < total, !interrupted.value {
            let due = publishStart + interval * published
            if due > ContinuousClock.now { try await Task.sleep(until: due, clock: .continuous) }
            let publisher = Int(rng.next() % UInt64(nodes))
            var data = [UInt8](repeating: 0, count: txSize)
            withUnsafeBytes(of: UInt64(published).bigEndian) { data.replaceSubrange(0..<8, with: $0) }
            var filler = rng.next()
            for k in stride(from: 8, to: txSize, by: 8) {
                filler = filler &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                withUnsafeBytes(of: filler) { data.replaceSubrange(k..<min(k + 8, txSize), with: $0.prefix(txSize - k)) }
            }
            collector.published(index: published, by: publisher, at: ContinuousClock.now)
            do {
                try await hosts[publisher].publish(topic: Self.topic, data: data)
            } catch {
                print("publish \(published) failed: \(error)")
            }
            published += 1
            if ContinuousClock.now - lastProgress >= .seconds(1) {
                lastProgress = ContinuousClock.now
                let line = collector.progress(elapsed: ContinuousClock.now - publishStart, planned: total)
                if tty { print("\r\u{1B}[K" + line, terminator: "") } else { print(line) }
                fflush(nil)
            }
        }
        // Drain: until every delivery arrived, at most 5 s.
        let drainDeadline = ContinuousClock.now + .seconds(5)
        while !collector.complete, ContinuousClock.now < drainDeadline, !interrupted.value {
            try await Task.sleep(for: .milliseconds(50))
        }
        let elapsed = ContinuousClock.now - publishStart
        if tty { print("\r\u{1B}[K", terminator: "") }
        var statsAfter: [GossipSubHostStats] = []
        for host in hosts { statsAfter.append(await host.currentStats()) }
        var peerCounts: [Int] = []
        for host in hosts { peerCounts.append(await host.connectedPeers().count) }
        for host in hosts { await host.stop() }
        for consumer in consumers { consumer.cancel() }
        // Let the connections' close callbacks run before their event loops go away.
        try? await Task.sleep(for: .milliseconds(200))
        try? await group.shutdownGracefully()

        let report = DevnetReport(
            collector: collector, before: statsBefore, after: statsAfter, peers: peerCounts, mesh: meshSizes,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        print(report.render(nodeTable: nodes <= 32))
        if let csv {
            try report.csv().write(toFile: csv, atomically: true, encoding: .utf8)
            print("per-message figures written to \(csv)")
        }
        if interrupted.value { print("interrupted") }
    }
}

func fmt(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

func fmtDuration(_ d: Duration) -> String {
    let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    return s < 1 ? "\(fmt(s * 1000, 0)) ms" : "\(fmt(s, 2)) s"
}
