import AztecHTTP
import AztecNode
import AztecP2P
import DiscV5
import DiscV5NIO
import ENR
import ArgumentParser
import Foundation
import GossipSub
import GossipSubHost
import LibP2P
import LibP2PCore
import Logging
import NIOCore
import NIOPosix
import P2PCrypto
import SSZ

/// `aztec-p2p devnet`: a discv5 bootnode and N ``AztecNode``s in one process on loopback. The
/// nodes know only the bootnode's ENR; they find each other through discv5 and dial over TCP,
/// Noise and yamux. Valid transactions are submitted over JSON-RPC to random nodes; a share of
/// the traffic is invalid (a nullifier twice), gossiped by one misbehaving node whose own checks
/// are skipped, until every honest peer that met it has graylisted and banned it.
struct AztecDevnet {
    let options: DevnetCommand

    /// What the misbehaving node's honest peers thought of it: the lowest score sampled (every
    /// 200 ms) while connected, and the ban with the score that caused it.
    private struct BadNodeWatch {
        var lowestScore: [Double?]
        var ban: [PeerBan?]
        var firstInvalidAt: ContinuousClock.Instant?
    }

    func run(interrupted: LockedValue<Bool>) async throws {
        var logger = Logger(label: "devnet")
        logger.logLevel = .critical
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(2, System.coreCount))
        var rng = SplitMix64(seed: options.seed)  // seeded: keys, transactions and publishers are reproducible
        let started = ContinuousClock.now
        let count = options.nodes

        let bootnode = try await DiscoveryService.start(
            key: .generate(using: &rng), config: Self.discoveryConfig(), host: "127.0.0.1", port: 0, group: group)
        let bootRecord = await bootnode.localRecord
        var nodes: [AztecNode] = []
        let withBadNode = options.invalidShare > 0
        for i in 0..<(count + (withBadNode ? 1 : 0)) {
            let configuration = try nodeConfiguration(key: .generate(using: &rng), bootnode: bootRecord, index: i)
            let node = try AztecNode(configuration: configuration, state: AllUnspentStateProvider(),
                                     proofVerifier: AcceptAllProofVerifier(), group: group, logger: logger)
            try await node.start()
            nodes.append(node)
        }
        let honest = Array(nodes.prefix(count))
        let bad = withBadNode ? nodes.last : nil
        let topic = honest[0].configuration.topic.description
        let graylist = honest[0].configuration.scoreThresholds.graylistThreshold
        print("devnet: a discv5 bootnode and \(count) Aztec nodes" + (withBadNode ? " (+1 misbehaving)" : "")
            + " on loopback, \(options.muxer) + noise over TCP, topic \(topic)")
        print("  load: \(fmt(options.tps, 1)) tx/s x \(options.txSize) B for \(fmt(options.duration, 0)) s, valid ones over "
            + "JSON-RPC to random nodes" + (options.lazyPush ? ", lazy push on" : "") + (withBadNode ? ", \(fmt(options.invalidShare * 100, 0)) % invalid from the misbehaving node" : ""))
        print("  bootnode \(bootRecord.textEncoding.prefix(48))...")

        // The network forms through discovery alone: wait for every honest node's mesh.
        let dLow = honest[0].configuration.gossip.dLow
        let formDeadline = ContinuousClock.now + .seconds(30)
        var formed = false
        while !formed, ContinuousClock.now < formDeadline, !interrupted.value {
            formed = true
            for node in honest where await node.gossip.meshPeers(topic).count < min(dLow, count - 1) { formed = false; break }
            if !formed { try await Task.sleep(for: .milliseconds(200)) }
        }
        var meshSizes: [Int] = []
        var discovered: [Int] = []
        for node in honest {
            meshSizes.append(await node.gossip.meshPeers(topic).count)
            discovered.append(await node.discoveredPeerCount())
        }
        print("  meshes \(formed ? "formed" : "incomplete") through discovery after \(fmtDuration(ContinuousClock.now - started)): "
            + "mesh size min \(meshSizes.min() ?? 0) / max \(meshSizes.max() ?? 0), discovered peers min \(discovered.min() ?? 0)")

        let collector = DevnetCollector(nodes: count)
        var consumers: [Task<Void, Never>] = []
        for (i, node) in honest.enumerated() {
            let stream = node.receivedTransactions
            consumers.append(Task { for await tx in stream { collector.arrived(key: tx.hash.bytes, at: i, time: .now) } })
        }
        let watch = LockedValue(BadNodeWatch(lowestScore: Array(repeating: nil, count: count),
                                             ban: Array(repeating: nil, count: count)))
        if let bad {
            consumers.append(Task {
                while !Task.isCancelled {
                    for (i, node) in honest.enumerated() {
                        let score = await node.peerScores()[bad.peerID]
                        let ban = await node.bannedPeers().first { $0.peer == bad.peerID }
                        watch.withLock { w in
                            if let score { w.lowestScore[i] = min(w.lowestScore[i] ?? score, score) }
                            if w.ban[i] == nil { w.ban[i] = ban }
                        }
                    }
                    try? await Task.sleep(for: .milliseconds(200))
                }
            })
        }

        var statsBefore: [GossipSubHostStats] = []
        for node in honest { statsBefore.append(await node.gossip.currentStats()) }
        var clients: [AztecRPCClient] = []
        for node in honest { clients.append(AztecRPCClient(host: "127.0.0.1", port: await node.rpcPort ?? 0)) }
        let refusals = LockedValue<(count: Int, first: String?)>((0, nil))
        var submissions: [Task<Void, Never>] = []
        var invalidHashes: [TxHash] = []
        var invalidUnsent = 0
        let interval = Duration.seconds(1.0 / options.tps)
        let total = Int((options.duration * options.tps).rounded())
        let publishStart = ContinuousClock.now
        var console = DevnetConsole(start: publishStart)
        for k in 0..<total where !interrupted.value {
            let due = publishStart + interval * k
            if due > ContinuousClock.now { try await Task.sleep(until: due, clock: .continuous) }
            let draw = Double(rng.next() >> 11) / Double(1 << 53)
            if let bad, draw < options.invalidShare {
                // Invalid: a nullifier spent twice. The misbehaving node gossips it without checking.
                var tx = SyntheticTransactions.make(size: options.txSize, using: &rng)
                if let n = tx.nullifiers.first { tx.nullifiers = (try? SSZList([n, n])) ?? tx.nullifiers }
                invalidHashes.append(tx.hash)
                watch.withLock { $0.firstInvalidAt = $0.firstInvalidAt ?? .now }
                do { _ = try await bad.gossip.publish(topic: topic, data: TxWireCodec.encode(tx)) } catch { invalidUnsent += 1 }
            } else {
                let tx = SyntheticTransactions.make(size: options.txSize, priorityFee: UInt128(1 + rng.next() % 1_000), using: &rng)
                let target = Int(rng.next() % UInt64(count))
                let ssz = tx.sszEncoded()
                collector.published(key: tx.hash.bytes, by: target, at: .now)
                let client = clients[target]
                submissions.append(Task {
                    do { _ = try await client.sendTransaction(ssz: ssz) } catch {
                        refusals.withLock { $0 = ($0.count + 1, $0.first ?? "\(error)") }
                    }
                })
            }
            console.progress(collector.progress(elapsed: ContinuousClock.now - publishStart, planned: total)
                + (bad == nil ? "" : ", \(invalidHashes.count) invalid, bad node banned by \(watch.value.ban.compactMap { $0 }.count)"))
        }
        for submission in submissions { await submission.value }
        try await console.drain(collector, interrupted: interrupted)
        let elapsed = ContinuousClock.now - publishStart

        var statsAfter: [GossipSubHostStats] = []
        var peerCounts: [Int] = []
        var pools: [Int] = []
        var rejected = 0
        var invalidPooled = 0
        for node in honest {
            statsAfter.append(await node.gossip.currentStats())
            peerCounts.append(await node.gossip.connectedPeers().count)
            pools.append(await node.poolStats.count)
            rejected += await node.transactions.metrics.gossipRejected
            for hash in invalidHashes where await node.transaction(hash) != nil { invalidPooled += 1 }
        }
        let badPeersLeft = await bad?.gossip.connectedPeers().count ?? 0
        for consumer in consumers { consumer.cancel() }
        for node in nodes { await node.stop() }
        await bootnode.stop()
        // Let the connections' close callbacks run before their event loops go away.
        try? await Task.sleep(for: .milliseconds(200))
        try? await group.shutdownGracefully()

        let report = DevnetReport(
            collector: collector, before: statsBefore, after: statsAfter, peers: peerCounts, mesh: meshSizes,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, pools: pools)
        print(report.render(nodeTable: count <= 32))
        let records = collector.records
        let everywhere = records.filter { $0.latencies.count == count - 1 }.count
        let refused = refusals.value
        var lines = [""]
        lines.append("  pools                      \(pools.min() ?? 0) to \(pools.max() ?? 0) transactions per node, "
            + "\(records.count) valid submitted, \(refused.count) refused" + (refused.first.map { " (first: \($0))" } ?? ""))
        var verdicts = ["every valid transaction reached every pool: \(everywhere == records.count && refused.count == 0 ? "yes" : "no")"]
        if let bad {
            let w = watch.value
            let met = (0..<count).filter { w.lowestScore[$0] != nil || w.ban[$0] != nil }
            let graylisted = met.filter { min(w.lowestScore[$0] ?? 0, w.ban[$0]?.score ?? 0) < graylist }
            let banned = met.compactMap { w.ban[$0]?.since }.sorted()
            let lowest = met.compactMap { i in [w.lowestScore[i], w.ban[i]?.score].compactMap { $0 }.min() }.min()
            func after(_ t: ContinuousClock.Instant?) -> String {
                guard let t, let first = w.firstInvalidAt else { return "-" }
                return fmtDuration(t - first)
            }
            lines.append("  misbehaving node           \(bad.peerID): \(invalidHashes.count) invalid transactions"
                + (invalidUnsent > 0 ? " (\(invalidUnsent) refused by its router)" : "") + ", \(badPeersLeft) peers left at the end")
            lines.append("  its lowest score at a peer \(lowest.map { fmt($0, 1) } ?? "-") (graylist below \(fmt(graylist, 0))); "
                + "graylisted by \(graylisted.count) of the \(met.count) honest nodes that met it")
            lines.append("  banned (disconnected) by   \(banned.count) of \(met.count), first \(after(banned.first)) and last "
                + "\(after(banned.last)) after its first invalid transaction")
            lines.append("  invalid gossip rejected    \(rejected) times by honest nodes; invalid transactions pooled: \(invalidPooled)")
            verdicts.append("misbehaving node banned by every peer that met it: \(!met.isEmpty && banned.count == met.count ? "yes" : "no")")
            verdicts.append("no invalid transaction pooled: \(invalidPooled == 0 ? "yes" : "no")")
        }
        lines.append("")
        lines += verdicts.map { "  " + $0 }
        print(lines.joined(separator: "\n"))
        if let csv = options.csv {
            try report.csv().write(toFile: csv, atomically: true, encoding: .utf8)
            print("per-transaction figures written to \(csv)")
        }
        if interrupted.value { print("interrupted") }
        if verdicts.contains(where: { $0.hasSuffix(": no") }) { throw ExitCode(1) }
    }

    /// discv5 on loopback: every node shares 127.0.0.1, so the per-subnet table limits (an
    /// eclipse defence on the real network) would keep most of them out; refresh is quick.
    static func discoveryConfig() -> DiscoveryConfig {
        var config = DiscoveryConfig()
        config.refreshInterval = .seconds(2)
        config.table.maximumPerSubnetInBucket = nil
        config.table.maximumPerSubnetInTable = nil
        return config
    }

    /// An Aztec node on 127.0.0.1 (any free ports) that knows only the bootnode, with quick
    /// peer maintenance and P₆ blind to loopback (every node shares that address).
    func nodeConfiguration(key: Secp256k1.PrivateKey, bootnode: NodeRecord, index: Int) throws -> AztecNodeConfiguration {
        var c = AztecNodeConfiguration()
        c.privateKey = key
        c.listenHost = "127.0.0.1"
        c.tcpPort = 0
        c.udpPort = 0
        c.bootnodes = [bootnode]
        c.targetPeerCount = options.targetPeers
        c.dialInterval = .milliseconds(250)
        c.lookupInterval = .seconds(1)
        c.dialBackoff = .seconds(2)
        c.simultaneousDialGrace = .seconds(1)
        c.tickInterval = .seconds(1)
        c.discovery = Self.discoveryConfig()
        c.peerScore.ipColocationFactorWhitelist = ["127.0.0.1"]
        c.host.muxers = options.muxer == "mplex" ? [.mplex] : [.yamux]
        if options.noIdontwant { c.gossip.idontwantMessageSizeThreshold = Int.max / 2 }
        c.gossip.floodPublish = !options.noFloodPublish
        c.gossip.extensions.announce = options.lazyPush
        c.startSynced = true
        c.rpcHost = "127.0.0.1"
        c.rpcPort = 0
        c.routerSeed = options.seed &* 1_000 &+ UInt64(index)
        return c
    }
}
