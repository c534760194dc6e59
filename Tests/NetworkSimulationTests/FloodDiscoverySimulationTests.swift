import Foundation
import Testing
import TestSupport
@testable import NetworkSimulation

/// `flood-discovery` in small: while 120 honest nodes join through one bootnode, 200 attacker
/// identities send it 1,500 FINDNODE a second over real handshakes and 12,000 forged packets a
/// second from random ids and addresses (more than its table of 10,000 pending challenges, each
/// held for a second, can take).
@Suite struct FloodDiscoverySimulationTests {
    static func scenario() -> SimulationScenario {
        var s = DiscoveryJoinSimulationTests.scenario(nodes: 120)
        s.name = "flood-small"
        s.join.bootnodes = 1
        s.warmupSeconds = 30
        s.publishSeconds = 3
        var flood = FloodSettings()
        flood.identities = 200
        flood.requestsPerSecond = 1_500
        flood.spoofedPacketsPerSecond = 12_000
        flood.claimAztec = false
        flood.stopSeconds = 12
        s.flood = flood
        return s
    }

    /// Bootnode state stays within its bounds, and every honest node still joins: a full table of
    /// challenges replaces a random one instead of refusing the honest node's handshake.
    @Test func bootnodesStayBoundedAndHonestNodesStillJoin() async throws {
        let report = try await AztecNetworkSimulation.report(Self.scenario())
        let flood = try #require(report.flood)
        let join = try #require(report.join)
        print("flood: \(flood); joining: \(join)")
        #expect(flood.requestsAnswered > 15_000, "the flood got its answers: \(flood)")
        #expect(flood.packetsToForgedSources > 100_000, "the bootnode challenged the forged packets: \(flood)")
        #expect(flood.bootnodePeaks.pendingChallenges == flood.challengeCapacity, "the forged packets filled the table")
        #expect(flood.bootnodePeaks.sessions <= flood.sessionCapacity)
        #expect(flood.bootnodePeaks.trackedAddresses <= flood.trackedAddressCapacity)
        #expect(join.reachedTargetPeers == join.nodes, "\(join)")
        #expect(join.seconds.max < 25, "\(join)")
        #expect(report.deliveryRatio >= 0.999, "\(report)")
    }

    @Test func floodSettingsDecodeAndAreChecked() throws {
        let decoded = try JSONDecoder().decode(
            SimulationScenario.self, from: Data(#"{"name":"f","join":{"mode":"discovery"},"flood":{"identities":7,"claimAztec":false}}"#.utf8))
        #expect(decoded.flood?.identities == 7 && decoded.flood?.claimAztec == false && decoded.problem == nil)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SimulationScenario.self, from: Data(#"{"name":"f","flood":{"rate":2}}"#.utf8))
        }
        var staticJoin = Self.scenario()
        staticJoin.join.mode = .static
        #expect(staticJoin.problem != nil)
        var backwards = Self.scenario()
        backwards.flood?.stopSeconds = 0
        #expect(backwards.problem != nil)
    }
}
