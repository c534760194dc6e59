import Foundation
import GossipSub
import Testing
import TestSupport
@testable import NetworkSimulation

extension AztecNetworkSimulation {
    /// Builds and runs `scenario` on a thread of its own (a simulation computes for seconds
    /// without suspending, which would starve the cooperative pool's other tests) and returns
    /// what `inspect` reads from the finished simulation there.
    static func run<Result: Sendable>(
        _ scenario: SimulationScenario,
        _ inspect: @escaping @Sendable (AztecNetworkSimulation, SimulationReport) -> Result
    ) async throws -> Result {
        try await onOwnThread {
            let simulation = try AztecNetworkSimulation(scenario)
            return inspect(simulation, simulation.run())
        }
    }

    /// The report of `scenario`, run on a thread of its own.
    static func report(_ scenario: SimulationScenario) async throws -> SimulationReport {
        try await run(scenario) { _, report in report }
    }
}

/// Gossip over nodes wired at random at the start (`static` join): the cheap mode parameter
/// comparisons use.
@Suite struct StaticJoinSimulationTests {
    static func scenario(seed: UInt64 = 1) -> SimulationScenario {
        var s = SimulationScenario(name: "static-small")
        s.join.mode = .static
        s.nodes = 150
        s.seed = seed
        s.warmupSeconds = 8
        s.publishSeconds = 10
        s.drainSeconds = 5
        return s
    }

    /// Every transaction reaches every node, meshes form, and upload stays within a few times the
    /// unique payload rate.
    @Test func everyTransactionReachesEveryNode() async throws {
        let report = try await AztecNetworkSimulation.report(Self.scenario())
        #expect(report.published == 100)
        #expect(report.reachedEveryExpectingNode == 100, "\(report)")
        #expect(report.deliveryRatio == 1)
        #expect(report.expectedDeliveries == 100 * 150)
        #expect(report.lastNodeMaxMilliseconds < 10_000, "\(report)")
        #expect(report.latencyP50Milliseconds > 44, "faster than the latency table allows")
        // Meshes: nobody is isolated, nobody far above D_high.
        #expect(report.meshDegrees.first == 0)
        #expect(report.meshDegrees.count <= 13)
        // At most every connection's copy: flood publishing to all peers, forwarding to the mesh.
        #expect(report.uploadBytesPerSecond.mean < Double(2 * 8 + 12) * report.uniquePayloadBytesPerSecond, "\(report)")
        #expect(report.uploadBytesPerSecond.mean > report.uniquePayloadBytesPerSecond)
        // Each node's validation path took every transaction into its own pool.
        #expect(report.receivedTransactions == 100 * 150)
        #expect(report.pooledTransactions + report.validationsInProgress == report.receivedTransactions)
        #expect(report.poolRefusals == 0 && report.validationsDropped == 0)
    }

    /// A bandwidth class with mesh degrees of its own (`gossip.meshByClass`) keeps smaller meshes
    /// than the rest, and everything still arrives; a class name the network lacks is an error.
    @Test func aBandwidthClassKeepsItsOwnMeshDegrees() async throws {
        var scenario = Self.scenario()
        scenario.gossip.meshByClass = ["home-25": .init(d: 4, dHigh: 4)]
        let (report, rows) = try await AztecNetworkSimulation.run(scenario) { simulation, report in
            (report, simulation.nodeRows().filter { $0.role == "aztec" })
        }
        #expect(report.deliveryRatio == 1, "\(report)")
        let slow = rows.filter { $0.bandwidthClass == "home-25" }, others = rows.filter { $0.bandwidthClass != "home-25" }
        func mean(_ rows: [AztecNetworkSimulation.NodeRow]) -> Double { Double(rows.map(\.meshDegree).reduce(0, +)) / Double(rows.count) }
        #expect(!slow.isEmpty && mean(slow) <= 4.5 && mean(others) >= mean(slow) + 0.5, "\(mean(slow)) against \(mean(others))")
        scenario.gossip.meshByClass = ["home-10": .init(dHigh: 4)]
        #expect(scenario.problem?.contains("home-10") == true)
        scenario.gossip.meshByClass = nil
        scenario.join.maximumInboundPeersByClass = ["home-25": 0]
        #expect(scenario.problem?.contains("positive") == true)
        scenario.join.maximumInboundPeersByClass = ["home-10": 20]
        #expect(scenario.problem?.contains("home-10") == true)
    }

    @Test func theSameSeedGivesTheSameTraceAndAnotherSeedAnother() async throws {
        var shorter = Self.scenario()
        shorter.publishSeconds = 3
        let ra = try await AztecNetworkSimulation.report(shorter)
        let rb = try await AztecNetworkSimulation.report(shorter)
        shorter.seed = 2
        let rc = try await AztecNetworkSimulation.report(shorter)
        #expect(ra.traceHash == rb.traceHash)
        #expect(ra == rb)
        #expect(ra.traceHash != rc.traceHash)
    }

    /// IDONTWANT saves download: the same scenario without it moves more bytes.
    @Test func idontwantCutsDuplicateBytes() async throws {
        var with = Self.scenario()
        with.publishSeconds = 5
        var without = with
        without.gossip.idontwant = false
        let (ra, cancelledWith) = try await AztecNetworkSimulation.run(with) { sim, report in (report, sim.idontwantCancelledFrames) }
        let (rb, cancelledWithout) = try await AztecNetworkSimulation.run(without) { sim, report in (report, sim.idontwantCancelledFrames) }
        #expect(ra.reachedEveryExpectingNode == ra.published && rb.reachedEveryExpectingNode == rb.published)
        #expect(ra.downloadBytesPerSecond.mean < rb.downloadBytesPerSecond.mean, "\(ra.downloadBytesPerSecond) vs \(rb.downloadBytesPerSecond)")
        // Some of the saving is copies cancelled while they waited in a sender's queue.
        #expect(cancelledWith > 0 && cancelledWithout == 0)
    }

    /// Held forwards: copies late in a message's spread wait 100 ms and most are dropped on the
    /// peer's IDONTWANT, so upload falls; everything still reaches every node.
    @Test func heldForwardsSaveUploadAndDeliverEverything() async throws {
        var push = Self.scenario()
        push.publishSeconds = 5
        var holding = push
        holding.gossip.forwardHoldMilliseconds = 100
        let ra = try await AztecNetworkSimulation.report(push)
        let rb = try await AztecNetworkSimulation.report(holding)
        #expect(ra.heldForwards == nil)
        let held = try #require(rb.heldForwards)
        #expect(held.held > 0 && held.dropped > 0 && held.sent + held.dropped <= held.held, "\(held)")
        #expect(rb.reachedEveryExpectingNode == rb.published && rb.deliveryRatio == 1, "\(rb)")
        #expect(rb.uploadBytesPerSecond.mean < ra.uploadBytesPerSecond.mean, "\(rb.uploadBytesPerSecond) vs \(ra.uploadBytesPerSecond)")
    }

    /// In a sparse network (each node dials 2, so most peers are mesh peers and heartbeat gossip
    /// reaches few) forwards that expire are lost unless they are announced to their peer
    /// instead (`gossipExpiredForwards`): with it every transaction reaches every node, whether
    /// announced once the peer's queue has drained (the default) or at the next heartbeat.
    @Test func expiredForwardsAnnouncedInsteadStillArrive() async throws {
        var sparse = Self.scenario()
        sparse.join.dialsPerNode = 2
        sparse.publishSeconds = 5
        sparse.gossip.forwardExpiryMilliseconds = 1
        var atHeartbeat = sparse
        atHeartbeat.gossip.gossipExpiredForwardsOnceDrained = false
        var silent = sparse
        silent.gossip.gossipExpiredForwards = false
        let announced = try await AztecNetworkSimulation.report(sparse)
        let announcedAtHeartbeat = try await AztecNetworkSimulation.report(atHeartbeat)
        let lost = try await AztecNetworkSimulation.report(silent)
        #expect(announced.framesExpired > 1_000 && lost.framesExpired > 1_000)
        #expect(announced.deliveryRatio == 1, "\(announced)")
        #expect(announcedAtHeartbeat.deliveryRatio == 1, "\(announcedAtHeartbeat)")
        #expect(lost.deliveryRatio < 0.95, "\(lost)")
    }

    /// Forwards that waited past their expiry (here 1 ms, to make many) are dropped unsent, and
    /// gossip (answers to IWANT, which never expire) still brings every transaction to every
    /// node; without an expiry nothing expires.
    @Test func staleForwardsExpireAndGossipStillDelivers() async throws {
        var lanes = Self.scenario()
        lanes.nodes = 60
        lanes.warmupSeconds = 5
        lanes.publishSeconds = 3
        lanes.gossip.forwardExpiryMilliseconds = 0
        var expiring = lanes
        expiring.gossip.forwardExpiryMilliseconds = 1
        let ra = try await AztecNetworkSimulation.report(lanes)
        let rb = try await AztecNetworkSimulation.report(expiring)
        #expect(ra.framesExpired == 0)
        #expect(rb.framesExpired > 0, "\(rb)")
        #expect(rb.reachedEveryExpectingNode == rb.published, "\(rb)")
        #expect(rb.uploadBytesPerSecond.mean < ra.uploadBytesPerSecond.mean, "\(rb.uploadBytesPerSecond) vs \(ra.uploadBytesPerSecond)")
    }

    /// The wire size charged for an RPC matches the real encoding within a few bytes.
    @Test func wireSizeMatchesTheEncoding() {
        for size in [0, 1, 100, 1_000, 40_000, 200_000] {
            let message = RawMessage(data: [UInt8](repeating: 7, count: size), topic: AztecNetworkSimulation.topic)
            let rpc = RPC(publish: [message, message])
            let encoded = rpc.encoded().count
            let exact = encoded + AztecNetworkSimulation.varintSize(encoded)
            #expect(abs(AztecNetworkSimulation.wireSize(of: rpc) - exact) <= 4, "size \(size)")
        }
    }

    @Test func brokenScenariosAreRefused() {
        var s = SimulationScenario(name: "x")
        s.join.mode = .static
        s.join.dialsPerNode = s.nodes
        #expect(throws: SimulationError.self) { try AztecNetworkSimulation(s) }
        let decoded = try? JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "y", "nodes": 50, "gossip": {"d": 8}}"#.utf8))
        #expect(decoded?.nodes == 50 && decoded?.gossip.d == 8 && decoded?.transactionBytes == 40_000)
        #expect(decoded?.join.mode == .discovery && decoded?.join.bootnodes == 4 && decoded?.churn == nil)
        // A misspelt key is an error, not a default.
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "y", "dialsPerNode": 8}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "y", "join": {"bootnode": 2}}"#.utf8))
        }
        var replacingStatic = SimulationScenario(name: "z")
        replacingStatic.join.mode = .static
        replacingStatic.churn = ChurnSettings()
        replacingStatic.churn?.replacedPerMinute = 0.01
        #expect(replacingStatic.problem != nil)
        let noTopUp = try? JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "t", "join": {"meshTopUp": 0}}"#.utf8))
        #expect(noTopUp?.join.meshTopUp == 0 && noTopUp?.problem == nil)
        let budget = try? JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "i", "gossip": {"maxIHaveLength": 100}}"#.utf8))
        #expect(budget?.gossip.maxIHaveLength == 100)
        let lanes = try? JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "l", "gossip": {"queueLanes": true, "forwardExpiryMilliseconds": 1000}}"#.utf8))
        #expect(lanes?.gossip.queueLanes == true && lanes?.gossip.forwardExpiryMilliseconds == 1000)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "l", "gossip": {"forwardExpiryMilliseconds": -1}}"#.utf8))
        }
        let followup = try? JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "f", "gossip": {"iwantFollowupMilliseconds": 6000}}"#.utf8))
        #expect(followup?.gossip.iwantFollowupMilliseconds == 6000)
        #expect(followup.map { AztecNetworkSimulation.parameters($0, messageID: .fromAndSeqno, maxMessageBytes: 1 << 16).iwantFollowupTime } == .seconds(6))
        // The node's lazy push (slope 5, earliest) and two scenarios that change it.
        for (keys, choice, slope) in [("", AnnouncedPeers.earliest, 5.0), (#", "announceChoice": "nearest", "announceSpreadSlope": 4"#, .nearest, 4),
                                      (#", "announceChoice": "random", "announceSpreadSlope": 0"#, .random, 0)] {
            let lazy = try? JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "a", "gossip": {"announce": true\#(keys)}}"#.utf8))
            let announce = lazy.map { AztecNetworkSimulation.parameters($0, messageID: .fromAndSeqno, maxMessageBytes: 1 << 16).announce }
            #expect(announce?.choice == choice && announce?.spreadSlope == slope, "\(keys)")
        }
        let held = try? JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "h", "gossip": {"forwardHoldMilliseconds": 80, "forwardHoldSpreadSlope": 3, "announceNeedTimeoutMilliseconds": 250}}"#.utf8))
        let heldParameters = held.map { AztecNetworkSimulation.parameters($0, messageID: .fromAndSeqno, maxMessageBytes: 1 << 16) }
        #expect(heldParameters?.forwardHold.delay == .milliseconds(80) && heldParameters?.forwardHold.spreadSlope == 3)
        #expect(heldParameters?.announce.ineedTimeout == .milliseconds(250))
        for bad in [#"{"announceChoice": "closest"}"#, #"{"announceSpreadSlope": -1}"#, #"{"forwardHoldMilliseconds": 20000}"#,
                    #"{"forwardHoldSpreadSlope": 101}"#, #"{"announceNeedTimeoutMilliseconds": 0}"#] {
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "a", "gossip": \#(bad)}"#.utf8))
            }
        }
        let scored = try? JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "s", "gossip": {"d": 5, "dScore": 3}}"#.utf8))
        let scoredParameters = scored.map { AztecNetworkSimulation.parameters($0, messageID: .fromAndSeqno, maxMessageBytes: 1 << 16) }
        #expect(scoredParameters?.d == 5 && scoredParameters?.dScore == 3)
        let quota = try? JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "o", "gossip": {"d": 5, "dOut": 1}}"#.utf8))
        #expect(quota.map { AztecNetworkSimulation.parameters($0, messageID: .fromAndSeqno, maxMessageBytes: 1 << 16).dOut } == 1)
        var quotaAboveHalf = SimulationScenario(name: "o2")
        quotaAboveHalf.gossip.d = 5
        quotaAboveHalf.gossip.dOut = 3
        #expect(throws: SimulationError.self) { try AztecNetworkSimulation(quotaAboveHalf) }
        let graftLimited = try? JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "g", "gossip": {"dHigh": 6, "inboundGraftLimit": 6}}"#.utf8))
        #expect(graftLimited.map { AztecNetworkSimulation.parameters($0, messageID: .fromAndSeqno, maxMessageBytes: 1 << 16).inboundGraftLimit } == 6)
        let randomPrune = try? JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "f", "gossip": {"keepsFreshGrafts": false}}"#.utf8))
        #expect(randomPrune.map { AztecNetworkSimulation.parameters($0, messageID: .fromAndSeqno, maxMessageBytes: 1 << 16).keepsFreshGrafts } == false)
        #expect(AztecNetworkSimulation.parameters(SimulationScenario(name: "n"), messageID: .fromAndSeqno, maxMessageBytes: 1 << 16).keepsFreshGrafts,
                "the node keeps fresh grafts")
        var graftBelowMesh = SimulationScenario(name: "g2")
        graftBelowMesh.gossip.inboundGraftLimit = 5
        #expect(throws: SimulationError.self) { try AztecNetworkSimulation(graftBelowMesh) }
        var scoreAboveMesh = SimulationScenario(name: "s2")
        scoreAboveMesh.gossip.dScore = 13
        #expect(throws: SimulationError.self) { try AztecNetworkSimulation(scoreAboveMesh) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name": "f", "gossip": {"iwantFollowupMilliseconds": 0}}"#.utf8))
        }
        var noBudget = SimulationScenario(name: "i0")
        noBudget.gossip.maxIHaveLength = 0
        #expect(throws: SimulationError.self) { try AztecNetworkSimulation(noBudget) }
        var versions = SimulationScenario(name: "v")
        versions.gossip.v11Share = 0.6
        versions.gossip.v13Share = 0.5
        #expect(versions.problem != nil)
        versions.gossip.v13Share = 0.4
        #expect(versions.problem == nil)
        var negative = SimulationScenario(name: "n")
        negative.join.meshTopUp = -1
        #expect(negative.problem != nil)
    }

    /// A window smaller than one 40 KB message: every frame waits for the acknowledgement of the
    /// one before it on its connection, so a lost wake-up would stall a sender and lose deliveries.
    @Test func aWindowSmallerThanAMessageStillDeliversEverything() async throws {
        var s = Self.scenario()
        s.nodes = 60
        s.publishSeconds = 3
        s.drainSeconds = 20
        s.network.connectionWindowBytes = 1_024
        let report = try await AztecNetworkSimulation.report(s)
        #expect(report.published == 30)
        #expect(report.deliveryRatio == 1, "\(report)")
    }

    /// Every scenario shipped in `scenarios/` decodes and is runnable as written.
    @Test func theShippedScenariosAreValid() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 19)
        for file in files {
            let scenario = try JSONDecoder().decode(SimulationScenario.self, from: Data(contentsOf: directory.appendingPathComponent(file)))
            #expect(scenario.problem == nil, "\(file): \(scenario.problem ?? "")")
            #expect(scenario.name + ".json" == file)
        }
    }
}
