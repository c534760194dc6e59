import Foundation
import InteropSupport
import Testing

/// `aztec-p2p devnet` as a newcomer runs it (`make devnet`), scaled down: a bootnode and five
/// Aztec nodes that find each other through discv5 alone, valid transactions over JSON-RPC,
/// and a misbehaving node gossiping invalid ones until every peer that met it has banned it.
@Suite(.tags(.integration)) struct DevnetCommandTests {
    @Test(.timeLimit(.minutes(2)))
    func aztecDevnetDeliversEveryValidTransactionAndBansTheMisbehavingNode() async throws {
        let devnet = try InteropPeers.launchAztecP2P(
            ["devnet", "--nodes", "5", "--tps", "5", "--duration", "6", "--tx-size", "4000", "--invalid-share", "0.3", "--seed", "3"])
        defer { devnet.stop() }
        var output: [String] = []
        while let line = try? await devnet.nextLine(timeout: .seconds(90)) { output.append(line) }
        let status = try await devnet.waitForExit(timeout: .seconds(5))
        let text = output.joined(separator: "\n")
        #expect(status == 0, "\(text)\n\(devnet.standardError)")
        #expect(output.contains { $0.contains("meshes formed through discovery") }, "\(text)")
        #expect(output.contains { $0.contains("every valid transaction reached every pool: yes") }, "\(text)")
        #expect(output.contains { $0.contains("misbehaving node banned by every peer that met it: yes") }, "\(text)")
        #expect(output.contains { $0.contains("no invalid transaction pooled: yes") }, "\(text)")
        // The report counts what it saw: some invalid transactions were sent and rejected.
        let rejected = try #require(output.first { $0.contains("invalid gossip rejected") })
        let times = rejected.split(separator: " ").compactMap { Int($0) }.first ?? 0
        #expect(times > 0, "\(rejected)")
    }
}
