import AztecHTTP
import Foundation
import InteropSupport
import Testing
@testable import AztecP2P

/// `aztec-p2p tx soak-load`: paced sends to several nodes, failures counted, acknowledgements logged.
@Suite(.timeLimit(.minutes(1)), .tags(.integration)) struct TxSoakLoadTests {
    @Test(.enabled(if: InteropPeers.aztecP2PExecutable != nil || ProcessInfo.processInfo.environment["CI"] != nil))
    func pacesSendsAcrossNodesCountsRefusalsAndLogsEveryAck() async throws {
        let f = try await RPCFixture()
        let server = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler)
        defer { Task { await server.stop() } }
        // A port nothing listens on any more: every call to it is refused.
        let gone = try await JSONRPCHTTPServer.start(host: "127.0.0.1", port: 0, handler: f.handler)
        await gone.stop()
        let up = "http://127.0.0.1:\(server.port)/"
        let down = "http://127.0.0.1:\(gone.port)/"
        let acks = FileManager.default.temporaryDirectory.appendingPathComponent("acks-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: acks) }

        let process = try InteropPeers.launchAztecP2P(["tx", "soak-load", "--rpc", up, "--rpc", down, "--rate", "40",
                                                      "--duration", "1", "--size", "3000", "--seed", "5", "--acks", acks])
        defer { process.stop() }
        let line = try await process.nextLine(timeout: .seconds(30))
        #expect(try await process.waitForExit(timeout: .seconds(10)) == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let acknowledged = try #require(report["acknowledged"] as? Int)
        let failed = try #require(report["failed"] as? Int)
        #expect(report["planned"] as? Int == 40)
        #expect(acknowledged + failed + (report["skipped"] as? Int ?? -1) == 40)
        #expect(acknowledged > 0 && failed > 0, "both nodes drawn: \(report)")
        // The 40th send is due 975 ms after the first: the schedule, not the calls, sets the pace.
        #expect(try #require(report["seconds"] as? Double) >= 0.97)

        let lines = try String(contentsOfFile: acks, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == acknowledged)
        #expect(await f.service.poolStats.count == acknowledged)
        for entry in lines {
            let fields = entry.split(separator: " ")
            #expect(fields.count == 3)
            #expect(Double(fields[0]).map { abs($0 - Date().timeIntervalSince1970) < 60 } == true)
            let hash = try #require(TxHash(hex: String(fields[1])))
            #expect(await f.service.transaction(hash) != nil)
            #expect(fields[2] == Substring(up))
        }
    }
}
