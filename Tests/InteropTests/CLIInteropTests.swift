import Foundation
import InteropSupport
import LibP2P
import LibP2PCore
import NIOPosix
import Testing

/// `aztec-p2p listen` and `aztec-p2p ping` against py-libp2p, in both directions, and against
/// each other.
@Suite(.serialized, .timeLimit(.minutes(2)), .tags(.integration))
struct CLIInteropTests {
    static let pyConfigurations: [PyPeers.Configuration] = [
        .init(muxer: .yamux, keyType: .secp256k1), .init(muxer: .mplex, keyType: .ed25519),
    ]

    static func cli(_ arguments: [String]) throws -> ExternalPeer { try InteropPeers.launchAztecP2P(arguments) }

    @Test(.enabled(if: InteropPeers.pythonShouldRun), arguments: pyConfigurations)
    func cliPingsPy(_ configuration: PyPeers.Configuration) async throws {
        let py = try await PyPeers.shared.host(configuration)
        let ping = try Self.cli(["ping", py.address.description, "--count", "3", "--key-type", "ed25519"])
        let line = try await ping.nextLine(timeout: .seconds(60))
        #expect(try await ping.waitForExit() == 0)
        let report = try JSON.object(line)
        #expect(report["peer"] as? String == py.peer.description)
        #expect((report["agent"] as? String)?.hasPrefix("py-libp2p") == true)
        #expect((report["protocols"] as? [String])?.contains("/ipfs/ping/1.0.0") == true)
        #expect((report["listen_addrs"] as? [String])?.contains(py.address.withoutPeerID.description) == true)
        #expect(report["muxer"] as? String == configuration.muxerName)
        #expect((report["rtt_ms"] as? [Double])?.count == 3)
    }

    @Test(.enabled(if: InteropPeers.pythonShouldRun), arguments: pyConfigurations)
    func pyDialsCLIListen(_ configuration: PyPeers.Configuration) async throws {
        let py = try await PyPeers.shared.host(configuration)
        let listen = try Self.cli([
            "listen", "--listen", "/ip4/127.0.0.1/tcp/0", "--key-type", configuration.keyName,
            "--muxer", configuration.muxerName,
        ])
        let address = try Multiaddr(try await listen.nextLine(timeout: .seconds(30)))
        let peer = try #require(address.peerID)
        #expect(peer.description.hasPrefix(configuration.keyType == .secp256k1 ? "16Uiu2" : "12D3KooW"))

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let controller = try P2PHost(
            identity: try LibP2PIdentity.generate(.ed25519), configuration: .init(identifyOnConnect: false),
            group: group)
        let control = try await controller.dial(py.address)
        let results = try await InteropFixtures.control(control, [
            "dial": address.description,
            // Over mplex py_peer.py echoes chunk by chunk: py-libp2p 0.8.1 blocks a stream's writes while
            // a read on it waits (see echo_once there).
            "checks": ["identify", "ping=2", "sha256=1048576", "echo=300000", "echo=1000", "echo=1000"],
        ])
        #expect(results.allSatisfy { $0["error"] == nil }, "py reported: \(results)")
        let identify = try #require(results.first { $0["check"] as? String == "identify" })
        #expect(identify["key_matches"] as? Bool == true)
        for id in ["/ipfs/id/1.0.0", "/ipfs/id/push/1.0.0", "/ipfs/ping/1.0.0", InteropFixtures.echo, InteropFixtures.sha256] {
            #expect((identify["protocols"] as? [String])?.contains(id) == true)
        }
        #expect(identify["listen_addrs"] as? [String] == [address.withoutPeerID.description])
        #expect(results.first { $0["check"] as? String == "sha256" }?["ok"] as? Bool == true)
        let echoes = results.filter { $0["check"] as? String == "echo" }
        #expect(echoes.count == 3 && echoes.allSatisfy { $0["ok"] as? Bool == true }, "echoes: \(echoes)")
        #expect((results.first { $0["check"] as? String == "ping" }?["rtts"] as? [Any])?.count == 2)

        await controller.close()
        try await group.shutdownGracefully()
        listen.stop()
    }

    @Test func cliPingsCLIListen() async throws {
        let listen = try Self.cli(["listen", "--listen", "/ip6/::1/tcp/0", "--key-type", "ed25519"])
        let address = try await listen.nextLine(timeout: .seconds(30))
        #expect(address.hasPrefix("/ip6/::1/tcp/"))
        let ping = try Self.cli(["ping", address, "--count", "2", "--muxer", "mplex"])
        let report = try JSON.object(try await ping.nextLine(timeout: .seconds(30)))
        #expect(try await ping.waitForExit() == 0)
        #expect(report["agent"] as? String == "aztec-p2p/0.1.0")
        #expect(report["muxer"] as? String == "mplex")
        #expect(report["listen_addrs"] as? [String] == [try Multiaddr(address).withoutPeerID.description])
        #expect((report["protocols"] as? [String])?.contains("/interop/sha256/1.0.0") == true)
        // SIGTERM ends the listener cleanly.
        kill(listen.processIdentifier, SIGTERM)
        #expect(try await listen.waitForExit(timeout: .seconds(10)) == 0)
    }

    @Test func cliPingFailsWithOneLineReason() async throws {
        // Nobody listens there (a port of ours, closed again); a wrong peer id on a live peer.
        let ping = try Self.cli(["ping", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWQsom34bZDbGCVkJK84qWkq4RDSAhcSygs8DLoGokE9VR"])
        #expect(try await ping.waitForExit(timeout: .seconds(30)) != 0)
        let stderr = ping.standardError.split(separator: "\n")
        #expect(stderr.count == 1)
        #expect(stderr.first?.hasPrefix("error: ping failed") == true)
        let bad = try Self.cli(["ping", "not-a-multiaddr"])
        #expect(try await bad.waitForExit(timeout: .seconds(30)) != 0)
    }
}
