import AztecP2P
import Foundation
import GossipSub
import GossipSubHost
import LibP2P
import LibP2PCore
import Logging
import NIOCore
import NIOPosix

/// `aztec-p2p devnet --gossip-only`: N bare GossipSub hosts in one process on loopback over real
/// TCP, Noise and yamux (or mplex), linked by static peering, publishing transaction-sized
/// messages: the router's own propagation figures, without discovery, validation or pools.
struct GossipDevnet {
    let options: DevnetCommand

    func run(interrupted: LockedValue<Bool>) async throws {
        var logger = Logger(label: "devnet")
        logger.logLevel = .error

        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(2, System.coreCount))
        var parameters = GossipSubConfig.Parameters(signaturePolicy: .strictNoSign)
        parameters.messageIDFunction = AztecTopic.messageIDFunction
        if options.noIdontwant { parameters.idontwantMessageSizeThreshold = Int.max / 2 }
        parameters.floodPublish = !options.noFloodPublish
        parameters.extensions.announce = options.lazyPush
        let config = try GossipSubConfig(validating: parameters)
        let muxers: [MuxerProtocol] = options.muxer == "mplex" ? [.mplex] : [.yamux]

        var rng = SplitMix64(seed: options.seed)  // seeded: the topology and publishers are reproducible
        var hosts: [GossipSubHost] = []
        var ports: [Int] = []
        let started = ContinuousClock.now
        for i in 0..<options.nodes {
            var hostConfiguration = GossipSubHostConfiguration()
            hostConfiguration.metricsNodeLabel = "\(i)"
            let host = try GossipSubHost.make(
                identity: .ed25519(using: &rng), config: config, seed: options.seed &* 1000 &+ UInt64(i),
                configuration: hostConfiguration, muxers: muxers, group: group, logger: logger)
            await host.start()
            ports.append(try await host.listen(host: "127.0.0.1", port: 0))
            hosts.append(host)
        }
        let collector = DevnetCollector(nodes: options.nodes)
        var consumers: [Task<Void, Never>] = []
        for (i, host) in hosts.enumerated() {
            let subscription = await host.subscribe(DevnetCommand.gossipTopic)
            consumers.append(Task { for await m in subscription { collector.arrived(m, at: i) } })
        }

        // Static peering: each node dials `options.dials` distinct random others (no pair twice).
        var links = Set<[Int]>()
        for i in 0..<options.nodes {
            var others = Array(0..<options.nodes).filter { $0 != i }
            others.shuffle(using: &rng)
            for j in others.prefix(min(options.dials, options.nodes - 1)) { links.insert([min(i, j), max(i, j)]) }
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
        let degree = Double(links.count * 2) / Double(options.nodes)
        print("devnet: \(options.nodes) GossipSub hosts, \(links.count) links (mean degree \(fmt(degree, 1))), \(options.muxer) + noise over TCP loopback, "
            + "\(fmt(options.tps, 1)) tx/s x \(options.txSize) B for \(fmt(options.duration, 0)) s"
            + (options.noIdontwant ? ", IDONTWANT off" : "") + (options.noFloodPublish ? ", flood publish off" : "")
            + (options.lazyPush ? ", lazy push" : ""))

        // Meshes: wait until every node has min(D_low, its peers) mesh peers, at most 10 s.
        let meshDeadline = ContinuousClock.now + .seconds(10)
        var meshReady = false
        while !meshReady, ContinuousClock.now < meshDeadline, !interrupted.value {
            meshReady = true
            for host in hosts {
                let peers = await host.connectedPeers().count
                if await host.meshPeers(DevnetCommand.gossipTopic).count < min(parameters.dLow, peers) { meshReady = false; break }
            }
            if !meshReady { try await Task.sleep(for: .milliseconds(100)) }
        }
        var meshSizes: [Int] = []
        for host in hosts { meshSizes.append(await host.meshPeers(DevnetCommand.gossipTopic).count) }
        print("meshes \(meshReady ? "formed" : "incomplete") after \(fmtDuration(ContinuousClock.now - started)): "
            + "mesh size min \(meshSizes.min() ?? 0) / max \(meshSizes.max() ?? 0)")

        var statsBefore: [GossipSubHostStats] = []
        for host in hosts { statsBefore.append(await host.currentStats()) }
        let interval = Duration.seconds(1.0 / options.tps)
        let total = Int((options.duration * options.tps).rounded())
        let publishStart = ContinuousClock.now
        var console = DevnetConsole(start: publishStart)
        var published = 0
        while published < total, !interrupted.value {
            let due = publishStart + interval * published
            if due > ContinuousClock.now { try await Task.sleep(until: due, clock: .continuous) }
            let publisher = Int(rng.next() % UInt64(options.nodes))
            var data = [UInt8](repeating: 0, count: options.txSize)
            withUnsafeBytes(of: UInt64(published).bigEndian) { data.replaceSubrange(0..<8, with: $0) }
            var filler = rng.next()
            for k in stride(from: 8, to: options.txSize, by: 8) {
                filler = filler &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                withUnsafeBytes(of: filler) { data.replaceSubrange(k..<min(k + 8, options.txSize), with: $0.prefix(options.txSize - k)) }
            }
            collector.published(index: published, by: publisher, at: ContinuousClock.now)
            do {
                try await hosts[publisher].publish(topic: DevnetCommand.gossipTopic, data: data)
            } catch {
                print("publish \(published) failed: \(error)")
            }
            published += 1
            console.progress(collector.progress(elapsed: ContinuousClock.now - publishStart, planned: total))
        }
        try await console.drain(collector, interrupted: interrupted)
        let elapsed = ContinuousClock.now - publishStart
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
        print(report.render(nodeTable: options.nodes <= 32))
        if let csv = options.csv {
            try report.csv().write(toFile: csv, atomically: true, encoding: .utf8)
            print("per-message figures written to \(csv)")
        }
        if interrupted.value { print("interrupted") }
    }
}
