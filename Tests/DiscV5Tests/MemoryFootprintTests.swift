import Foundation
import InteropSupport
import Testing

/// The memory of the routing table, session cache, limiter tables and votes of a node that knows
/// 10,000 nodes (records included), measured in its own process (`aztec-p2p discv5 footprint`)
/// so parallel tests do not disturb the figure. Goal: under 20 MB.
@Suite(.tags(.integration)) struct MemoryFootprintTests {
    @Test(.enabled(if: BootnodeCrawlTests.executableExists), .timeLimit(.minutes(2)))
    func tableSessionsAndCachesOfTenThousandNodes() async throws {
        let process = try InteropPeers.launchAztecP2P(["discv5", "footprint", "--nodes", "10000"])
        let line = try await process.nextLine(timeout: .seconds(90))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(try await process.waitForExit(timeout: .seconds(10)) == 0)
        let bytes = try #require(object["residentBytes"] as? Int)
        let megabytes = Double(bytes) / 1_048_576
        print("discv5 memory with 10,000 known nodes: \(String(format: "%.1f", megabytes)) MB (\(line))")
        #expect(object["sessions"] as? Int == 10_000)
        #expect((object["tableEntries"] as? Int ?? 0) > 100)
        #expect(bytes > 0)
        #expect(megabytes < 20)
    }
}
