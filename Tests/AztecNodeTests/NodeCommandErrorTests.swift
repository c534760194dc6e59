import Foundation
import InteropSupport
import Testing

/// How `aztec-p2p node` fails: a mistake in the arguments prints the usage and exits with 64; a
/// failure while starting (a bad config file, a port in use) prints only the error, naming what
/// failed, and exits with 1.
@Suite(.timeLimit(.minutes(1)), .tags(.integration)) struct NodeCommandErrorTests {
    static func run(_ arguments: [String]) async throws -> (status: Int32, stderr: String) {
        let process = try InteropPeers.launchAztecP2P(arguments)
        defer { process.stop() }
        let status = try await process.waitForExit(timeout: .seconds(30))
        return (status, process.standardError)
    }

    @Test func argumentMistakesShowTheUsageAndExit64() async throws {
        let (status, stderr) = try await Self.run(["node", "--no-such-flag"])
        #expect(status == 64)
        #expect(stderr.contains("Usage"))
    }

    @Test func aBadConfigValueIsNamedWithoutTheUsageAndExits1() async throws {
        let path = NSTemporaryDirectory() + "aztec-config-\(UInt64.random(in: 0...UInt64.max)).json"
        try #"{"targetPeers": 3.5}"#.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, stderr) = try await Self.run(["node", "--config", path])
        #expect(status == 1)
        #expect(stderr.contains("\"targetPeers\": expected a whole number, got 3.5"), "\(stderr)")
        #expect(!stderr.contains("Usage"))
    }

    @Test func aPortInUseIsNamed() async throws {
        let first = try InteropPeers.launchAztecP2P(["node", "--listen", "127.0.0.1:0", "--no-discovery"])
        defer { first.stop() }
        let address = try await first.nextLine(timeout: .seconds(30))
        let port = try #require(address.split(separator: "/").dropFirst(3).first.map(String.init))
        let (status, stderr) = try await Self.run(["node", "--listen", "127.0.0.1:\(port)", "--no-discovery"])
        #expect(status == 1)
        #expect(stderr.contains("cannot listen on TCP 127.0.0.1:\(port)"), "\(stderr)")
        #expect(!stderr.contains("Usage"))
    }
}
