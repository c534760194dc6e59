import ArgumentParser
import Foundation
import NetworkSimulation

/// `aztec-p2p simulate SCENARIO.json [--seed N] [--nodes N] [--publish-seconds S]
/// [--transactions-per-second R] [--out DIR] [--watch-node N]`: runs a scenario in the
/// deterministic network simulator and writes its results: `summary.json`, `nodes.csv` (role,
/// region, link, traffic, mesh degree, connections, transactions received and missed, late
/// deliveries and the slowest per node), `latency-cdf.csv` and
/// `timeseries.csv` (per simulated second: running nodes, nodes with a full mesh, mean degrees,
/// deliveries, bytes sent), `missed.csv` when an expected delivery did not happen (up to 1,000
/// pairs: transaction, node, when it was published and the node ready), and with attackers
/// `spam-bans.csv` (per honest node and attacker in contact: the first invalid receipt and the
/// delay to the ban). `scripts/plot_simulation.py DIR` draws them.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Run a network scenario in the deterministic simulator.")

    @Argument(help: "The scenario file (JSON; see scenarios/).") var scenario: String
    @Option(help: "Seed, instead of the scenario's.") var seed: UInt64?
    @Option(help: "Node count, instead of the scenario's.") var nodes: Int?
    @Option(help: "Seconds of publishing, instead of the scenario's (the warm-up and drain stay).") var publishSeconds: Double?
    @Option(help: "Transactions published a second, instead of the scenario's.") var transactionsPerSecond: Double?
    @Option(help: "Directory for the results (default .build-sim/<scenario name>).") var out: String?
    @Option(help: "Follow this node through the run: its RPCs, connections, mesh and its peers' deliveries, in watch-<node>.log.")
    var watchNode: Int?

    func run() throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: scenario)) } catch {
            throw CommandFailure("cannot read \(scenario): \(error.localizedDescription)")
        }
        var spec: SimulationScenario
        do { spec = try JSONDecoder().decode(SimulationScenario.self, from: data) } catch {
            throw CommandFailure("\(scenario): \(error)")
        }
        if let seed { spec.seed = seed }
        if let nodes { spec.nodes = nodes }
        if let publishSeconds { spec.publishSeconds = publishSeconds }
        if let transactionsPerSecond { spec.transactionsPerSecond = transactionsPerSecond }
        let simulation: AztecNetworkSimulation
        do { simulation = try AztecNetworkSimulation(spec) } catch { throw CommandFailure("\(scenario): \(error)") }
        let directory = out ?? ".build-sim/\(spec.name)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        if let watchNode {
            let path = directory + "/watch-\(watchNode).log"
            guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
                throw CommandFailure("cannot write \(path)")
            }
            simulation.watch = NodeWatch(node: watchNode) { line in file.write(Data((line + "\n").utf8)) }
        }
        let started = ContinuousClock.now
        var lastEvents = 0
        var lastWall = started
        let report = simulation.run { time, events in
            let wall = ContinuousClock.now
            let seconds = Double((wall - lastWall).components.attoseconds) / 1e18 + Double((wall - lastWall).components.seconds)
            let rate = seconds > 0 ? Double(events - lastEvents) / seconds : 0
            lastEvents = events
            lastWall = wall
            FileHandle.standardError.write(Data(String(
                format: "\r  simulated %6.1f s   wall %5.0f s   %9.0f events/s   %6.0f MB resident ",
                time.seconds, Double((wall - started).components.seconds), rate,
                Double(ProcessMemory.residentBytes) / 1e6).utf8))
        }
        let elapsed = ContinuousClock.now - started
        let wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        FileHandle.standardError.write(Data("\n".utf8))

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var summary = try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any] ?? [:]
        summary["wallSeconds"] = wallSeconds
        summary["eventsPerWallSecond"] = Double(report.events) / max(wallSeconds, 1e-9)
        summary["residentBytes"] = ProcessMemory.residentBytes
        summary["peakResidentBytes"] = ProcessMemory.peakResidentBytes
        summary["scenarioFile"] = scenario
        try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: directory + "/summary.json"))

        var nodesCSV = "node,role,region,bandwidth_class,ran_throughout,upload_bytes_per_s,download_bytes_per_s,mesh_degree,"
            + "connections,received,missed,late_deliveries,slowest_delivery_ms\n"
        for row in simulation.nodeRows() {
            nodesCSV += "\(row.node),\(row.role),\(row.region),\(row.bandwidthClass),\(row.ranThroughout),"
                + "\(row.uploadBytesPerSecond),\(row.downloadBytesPerSecond),\(row.meshDegree),\(row.connections),"
                + "\(row.received),\(row.missed),\(row.lateDeliveries),\(row.slowestDeliveryMilliseconds)\n"
        }
        try nodesCSV.write(toFile: directory + "/nodes.csv", atomically: true, encoding: .utf8)
        if report.deliveredExpected < report.expectedDeliveries {
            // Which pairs were missed, for the trace of a rare miss (join with nodes.csv by node).
            var missed = "transaction,node,published_s,ready_s,connections_at_end,mesh_degree_at_end\n"
            for pair in simulation.missedDeliveries(limit: 1000) {
                missed += "\(pair.transaction),\(pair.node),\(pair.publishedSeconds),\(pair.readySeconds),\(pair.connections),\(pair.meshDegree)\n"
            }
            try missed.write(toFile: directory + "/missed.csv", atomically: true, encoding: .utf8)
        }
        var cdf = "latency_ms,fraction\n"
        for point in simulation.latencies.cumulative() { cdf += "\(Double(point.latency.nanoseconds) / 1e6),\(point.fraction)\n" }
        try cdf.write(toFile: directory + "/latency-cdf.csv", atomically: true, encoding: .utf8)
        var series = "second,nodes,mesh_ready,mean_mesh_degree,mean_connections,deliveries,bytes_sent,"
            + "grafts_short_mesh,grafts_outbound_quota,grafts_opportunistic,grafts_accepted,grafts_refused,"
            + "pruned_overfull,pruned_negative_score,pruned_by_peers\n"
        for row in simulation.samples {
            let m = row.meshChanges
            series += "\(row.second),\(row.nodes),\(row.meshReady),\(row.meanMeshDegree),\(row.meanConnections),\(row.deliveries),\(row.bytesSent),"
                + "\(m.graftsForShortMesh),\(m.graftsForOutboundQuota),\(m.graftsOpportunistic),\(m.graftsAccepted),\(m.graftsRefused),"
                + "\(m.prunedOverfull),\(m.prunedNegativeScore),\(m.prunedByPeers)\n"
        }
        try series.write(toFile: directory + "/timeseries.csv", atomically: true, encoding: .utf8)

        func x(_ value: Double) -> String { String(format: "%.2f", value / report.uniquePayloadBytesPerSecond) }
        var extra = ""
        if let ready = report.meshReadySeconds { extra += "\n      99% of nodes with D_low   \(Int(ready)) s after the start" }
        if let recovery = report.meshRecoverySeconds { extra += "\n      meshes recovered         \(Int(recovery)) s after the mass kill" }
        if let share = report.meshReadyShareBeforeKill {
            let when = report.meshRecoveryToPreKillShareSeconds.map { "\(Int($0)) s after the mass kill" } ?? "not within the run"
            extra += "\n      meshes as before the kill \(when) (" + String(format: "%.1f%%", share * 100) + " of nodes with D_low)"
        }
        if let after = report.afterKill {
            extra += "\n      after the mass kill      \(after.reachedEverySurvivor) of \(after.published) transactions reached every survivor"
        }
        if report.meshRotations > 0 {
            extra += "\n      mesh rotations           \(report.meshRotations) connections dropped for a peer that kept a short mesh out"
        }
        if let join = report.join {
            func s(_ v: Double) -> String { String(format: "%.1f", v) }
            let among = join.otherDiscoveryNodes > 0 ? " among \(join.otherDiscoveryNodes) other networks' discovery nodes" : ""
            extra += "\n      joining                  \(join.reachedTargetPeers) of \(join.nodes) nodes reached their target peer count\(among); seconds from start p50/p99/max \(s(join.seconds.p50))/\(s(join.seconds.p99))/\(s(join.seconds.max)), discovery packets sent by then p50/p99 \(Int(join.discoveryPackets.p50))/\(Int(join.discoveryPackets.p99))"
        }
        if let topics = report.topics {
            func s(_ v: Double) -> String { String(format: "%.1f", v) }
            extra += "\n      topic discovery          \(topics.searchesFinished) of \(topics.searchesStarted) searches finished, Aztec advertisers found p50/p99/max \(s(topics.advertisersFoundPerSearch.p50))/\(s(topics.advertisersFoundPerSearch.p99))/\(s(topics.advertisersFoundPerSearch.max)); registrars holding a node's ad p50 \(s(topics.placedPerAdvertiser.p50)), \(topics.admissions) admissions"
            if (spec.topics?.sybils ?? 0) > 0 {
                extra += "\n      topic sybils             \(String(format: "%.1f", topics.sybilShareOfFound * 100))% of the advertisers honest searches found"
            }
            extra += "\n      registrar load           ads held max \(topics.adsHeldMaximum) (capacity \(topics.registrarCapacity)), mean \(s(topics.adsHeldMean)) where any; busiest registrar (\(topics.busiestRegistrarRole)) \(s(topics.busiestRegistrarRequestsPerSecond)) topic requests/s"
        }
        if let boot = report.bootnodes {
            extra += "\n      bootnode load            \(Int(boot.packetsReceivedMean)) packets received (mean), max \(boot.packetsReceivedMax); max \(boot.bytesReceivedMax / 1000) kB in, \(boot.bytesSentMax / 1000) kB out"
        }
        if let spam = report.spam {
            func s(_ v: Double) -> String { String(format: "%.1f", v) }
            extra += "\n      spam                     \(spam.attackers) attackers published \(spam.published) invalid (\(spam.unpublished) found no connected attacker)"
            extra += "\n      bans                     \(spam.bannedPairs) of \(spam.contactedPairs - spam.pairsContactedInTheLast10s) (honest node, attacker) pairs in contact 10 s before the end or earlier (\(spam.pairsContactedInTheLast10s) later; \(spam.bannedAfterLeaving) bans after the attacker had left); first invalid receipt to ban p50/p99/max \(s(spam.banDelaySeconds.p50))/\(s(spam.banDelaySeconds.p99))/\(s(spam.banDelaySeconds.max)) s; \(spam.attackersBannedEverywhereWithin10s) of \(spam.attackersInContact) attackers banned by every node they reached within 10 s"
            extra += "\n      invalid at honest nodes  forwarded \(spam.forwardedByHonest), pooled \(spam.pooledByHonest); processed per pair p50 \(Int(spam.messagesProcessedPerPair.p50)), max \(Int(spam.messagesProcessedPerPair.max)), in one RPC at most \(spam.largestInvalidBatch); bytes received per node mean \(Int(spam.bytesReceivedPerHonestNode.mean)), max \(Int(spam.bytesReceivedPerHonestNode.max))"
            var bans = "honest_node,attacker,first_invalid_s,ban_delay_s\n"
            for row in simulation.spamBans() {
                bans += "\(row.node),\(row.attacker),\(row.firstInvalidSeconds),\(row.banDelaySeconds.map { "\($0)" } ?? "")\n"
            }
            try bans.write(toFile: directory + "/spam-bans.csv", atomically: true, encoding: .utf8)
        }
        if let eclipse = report.eclipse {
            extra += "\n      eclipse                  \(eclipse.sybils) sybils on node \(eclipse.victim): it received \(eclipse.victimReceived) of \(eclipse.victimExpected) transactions; sybils' share of its mesh mean \(String(format: "%.2f", eclipse.sybilMeshShareMean)), max \(String(format: "%.2f", eclipse.sybilMeshShareMax)); at the end \(eclipse.sybilConnectionsAtEnd) of its \(eclipse.connectionsAtEnd) connections sybils, \(eclipse.honestOutboundAtEnd) honest ones it dialed; sybils' share of its table at the end \(String(format: "%.2f", eclipse.sybilTableShareAtEnd)), max \(String(format: "%.2f", eclipse.sybilTableShareMax)); \(eclipse.victimSybilDials) of its \(eclipse.victimDials) dials to sybils"
            var rows = "second,connections,sybil_connections,honest_outbound,sybil_outbound,mesh_peers,sybil_mesh_peers,received,table_entries,sybil_table_entries\n"
            for row in simulation.eclipseSamples {
                rows += "\(row.second),\(row.connections),\(row.sybilConnections),\(row.honestOutbound),\(row.sybilOutbound),\(row.meshPeers),\(row.sybilMeshPeers),\(row.received),\(row.tableEntries),\(row.sybilTableEntries)\n"
            }
            try rows.write(toFile: directory + "/eclipse.csv", atomically: true, encoding: .utf8)
        }
        if let flood = report.flood {
            let peaks = flood.bootnodePeaks
            extra += "\n      flood                    \(flood.identities) identities sent \(flood.requestsSent) FINDNODE (\(flood.requestsAnswered) answered, \(flood.requestsFailed) failed) and \(flood.spoofedPacketsSent) forged packets; bootnodes sent \(flood.packetsToForgedSources) packets to forged sources"
            extra += "\n      bootnode peaks           sessions \(peaks.sessions)/\(flood.sessionCapacity), pending challenges \(peaks.pendingChallenges)/\(flood.challengeCapacity), tracked addresses \(peaks.trackedAddresses)/\(flood.trackedAddressCapacity), pending requests \(peaks.pendingRequests); rate-limited packets max \(flood.packetsRateLimitedMax), requests \(flood.requestsRateLimitedMax)"
        }
        if let censor = report.censor {
            extra += "\n      censors                  \(censor.attackers), forwarding nothing from \(censor.stopForwardingAtSeconds) s; their share of honest mesh places mean \(String(format: "%.3f", censor.attackerMeshShareMean)), max \(String(format: "%.3f", censor.attackerMeshShareMax)); honest nodes meshed only with them (max) \(censor.honestNodesMeshedOnlyWithAttackersMax)"
            if censor.falseIDontWants > 0 { extra += "\n      false claims             \(censor.falseIDontWants) IDONTWANTs for messages the censors claimed to have" }
            extra += "\n      scores at the end        attackers \(String(format: "%.1f", censor.attackerScoreAtEnd)), honest peers \(String(format: "%.1f", censor.honestScoreAtEnd)) (means over honest nodes' connections)"
            var rows = "second,attacker_mesh_share,attacker_score_mean,honest_score_mean,honest_nodes_meshed_only_with_attackers\n"
            for row in simulation.censorSamples {
                rows += "\(row.second),\(row.attackerMeshShare),\(row.attackerScoreMean),\(row.honestScoreMean),\(row.honestNodesMeshedOnlyWithAttackers)\n"
            }
            try rows.write(toFile: directory + "/censor.csv", atomically: true, encoding: .utf8)
        }
        let banned = report.honestPeersBanned.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        let penalties = report.honestPenalties.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        extra += "\n      honest peers penalised   " + (penalties.isEmpty ? "none" : penalties.joined(separator: ", "))
            + "; banned: " + (banned.isEmpty ? "none" : banned.joined(separator: ", "))
        if !banned.isEmpty {
            let by = report.honestPeersBannedBy.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            extra += " (by " + by.joined(separator: ", ") + ")"
        }
        if !report.attackerPenalties.isEmpty {
            let given = report.attackerPenalties.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            extra += "\n      attackers penalised      " + given.joined(separator: ", ")
        }
        extra += "\n      queued copies not sent   \(report.idontwantCancelledFrames) cancelled by IDONTWANT, \(report.framesExpired) expired, \(report.framesDropped) dropped at a full queue"
        if let announce = report.announce {
            extra += "\n      lazy push                \(announce.iannounceSent) forwards sent as IANNOUNCE, \(announce.ineedSent) INEED sent"
        }
        if let held = report.heldForwards {
            extra += "\n      held forwards            \(held.held) held back, \(held.sent) sent when due, \(held.dropped) dropped (IDONTWANT, IMRECEIVING or gone)"
        }
        if let preamble = report.preamble {
            extra += "\n      preambles                \(preamble.preamblesSent) bodies announced, \(preamble.imReceivingSent) IMRECEIVING sent, \(preamble.imReceivingCancelledFrames) queued copies cancelled by them"
        }
        for row in report.bandwidthClasses {
            extra += "\n      \(row.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(row.nodes) nodes, latency p50/p99 \(Int(row.latencyP50Milliseconds))/\(Int(row.latencyP99Milliseconds)) ms, upload \(x(row.uploadBytesPerSecondMean))×"
        }
        StandardOutput.line("""
              scenario                 \(spec.name): \(spec.nodes) nodes (\(spec.join.mode.rawValue) join), seed \(spec.seed)
              published                \(report.published) (\(report.unpublished) found no ready node); reached every expecting node: \(report.reachedEveryExpectingNode)
              delivery                 \(report.deliveredExpected) of \(report.expectedDeliveries) expected (\(String(format: "%.4f", report.deliveryRatio * 100)) %)
              latency p50/p90/p99      \(report.latencyP50Milliseconds) / \(report.latencyP90Milliseconds) / \(report.latencyP99Milliseconds) ms
              to the last node         p50 \(report.lastNodeP50Milliseconds) ms, p99 \(report.lastNodeP99Milliseconds) ms, max \(String(format: "%.1f", report.lastNodeMaxMilliseconds)) ms
              upload per node          mean \(x(report.uploadBytesPerSecond.mean))×, p99 \(x(report.uploadBytesPerSecond.p99))× the unique payload rate (\(Int(report.uniquePayloadBytesPerSecond)) B/s)
              download per node        mean \(x(report.downloadBytesPerSecond.mean))×, p99 \(x(report.downloadBytesPerSecond.p99))×
              pools                    \(report.pooledTransactions) pooled of \(report.receivedTransactions) received (\(report.validationsInProgress) still validating, \(report.poolRefusals) refused, \(report.validationsDropped) dropped at a full queue)\(extra)
              events                   \(report.events) in \(String(format: "%.1f", wallSeconds)) s (\(Int(Double(report.events) / max(wallSeconds, 1e-9))) per second), trace \(report.traceHash)
              results                  \(directory)
            """)
    }
}
