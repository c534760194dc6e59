import Foundation
import InteropSupport
import LibP2P
import LibP2PCore
import NIOPosix
import Testing

/// The interop matrix against py-libp2p 0.8.1: Swift dials py and py dials Swift, over Noise
/// with yamux and with mplex, secp256k1 and Ed25519 identities. Loopback only; one py process
/// serves every configuration.
@Suite(.enabled(if: InteropPeers.pythonShouldRun), .serialized, .timeLimit(.minutes(3)), .tags(.integration))
struct PyInteropTests {
    static let bulkSize = 16 << 20
    static let parallelStreams = 64
    static let parallelSize = 256 << 10

    static func swiftHost(_ keyType: KeyType, group: MultiThreadedEventLoopGroup) throws -> P2PHost {
        try P2PHost(
            identity: try LibP2PIdentity.generate(keyType), configuration: .init(identifyOnConnect: false),
            group: group, handlers: InteropFixtures.handlers)
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data(("interop: " + line + "\n").utf8))
    }

    @Test(arguments: PyPeers.Configuration.all)
    func swiftDialsPy(_ configuration: PyPeers.Configuration) async throws {
        let py = try await PyPeers.shared.host(configuration)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let host = try Self.swiftHost(configuration.keyType, group: group)
        let ours = try await host.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))

        let connection = try await host.dial(py.address)
        #expect(connection.remotePeer == py.peer)
        #expect(connection.muxer == configuration.muxer)

        // We identify py.
        let info = try await host.identify(connection)
        #expect(info.agentVersion?.hasPrefix("py-libp2p") == true)
        for id in ["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", InteropFixtures.echo, InteropFixtures.sha256] {
            #expect(info.protocols.contains(id))
        }
        #expect(info.listenAddrs.contains(py.address.withoutPeerID))
        #expect(info.observedAddr == connection.localAddress)

        // py identified us (it does so on its own after connecting).
        let learned = try #require(try await InteropFixtures.control(connection, ["peerinfo": host.peerID.description]).first)
        let theirView = learned["protocols"] as? [String] ?? []
        #expect(theirView == host.protocols)
        #expect((learned["listen_addrs"] as? [String] ?? []).contains(ours.withoutPeerID.description))

        let rtts = try await host.ping(connection, count: 3)
        #expect(rtts.count == 3)

        let (intact, elapsed) = try await InteropFixtures.sha256Transfer(connection, InteropFixtures.payload(Self.bulkSize))
        #expect(intact)
        Self.log(String(format: "Swift -> py %@: 16 MiB on one stream in %.2f s (%.1f MiB/s)",
                        configuration.description, InteropFixtures.seconds(elapsed),
                        16 / InteropFixtures.seconds(elapsed)))

        let parallel = try await InteropFixtures.parallelEcho(
            connection, count: Self.parallelStreams, size: Self.parallelSize)
        #expect(parallel == Self.parallelStreams)

        await host.close()
        try await group.shutdownGracefully()
    }

    @Test(arguments: PyPeers.Configuration.all)
    func pyDialsSwift(_ configuration: PyPeers.Configuration) async throws {
        let py = try await PyPeers.shared.host(configuration)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        // The host py dials (identify on connect: we identify py on the connection it opens).
        var listenerConfiguration = P2PHostConfiguration(agentVersion: "py-interop-test/1.0")
        listenerConfiguration.muxers = [configuration.muxer]
        let listener = try P2PHost(
            identity: try LibP2PIdentity.generate(configuration.keyType), configuration: listenerConfiguration,
            group: group, handlers: InteropFixtures.handlers)
        let target = try await listener.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        // Another host only carries the control request.
        let controller = try Self.swiftHost(.ed25519, group: group)
        let control = try await controller.dial(py.address)

        let results = try await InteropFixtures.control(control, [
            "dial": target.description,
            "checks": ["identify", "ping=3", "sha256=\(Self.bulkSize)",
                       "parallel=\(Self.parallelStreams)x\(Self.parallelSize)"],
        ])
        let byCheck = Dictionary(results.map { (($0["check"] as? String) ?? "?", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(results.allSatisfy { $0["error"] == nil }, "py reported: \(results)")

        let identify = try #require(byCheck["identify"])
        #expect(identify["key_matches"] as? Bool == true)
        #expect(identify["protocols"] as? [String] == listener.protocols)
        #expect(identify["listen_addrs"] as? [String] == [target.withoutPeerID.description])
        #expect(identify["agent"] as? String == "py-interop-test/1.0")
        #expect((identify["observed_addr"] as? String)?.hasPrefix("/ip4/127.0.0.1/tcp/") == true)

        #expect((byCheck["ping"]?["rtts"] as? [Any])?.count == 3)
        let sha = try #require(byCheck["sha256"])
        #expect(sha["ok"] as? Bool == true)
        if let seconds = sha["seconds"] as? Double {
            Self.log(String(format: "py -> Swift %@: 16 MiB on one stream in %.2f s (%.1f MiB/s)",
                            configuration.description, seconds, 16 / seconds))
        }
        // Over mplex py_peer.py echoes each stream in lockstep (py-libp2p 0.8.1 blocks a stream's
        // writes while a read on it waits); with that, py dialing 64 concurrent streams passes.
        #expect(byCheck["parallel"]?["ok"] as? Int == Self.parallelStreams)

        // We identified py on the connection py opened.
        #expect(try await Self.eventually { listener.identifyInfo(of: py.peer) != nil })
        let info = try #require(listener.identifyInfo(of: py.peer))
        #expect(info.protocols.contains(InteropFixtures.echo))
        #expect(info.listenAddrs.contains(py.address.withoutPeerID))

        await controller.close()
        await listener.close()
        try await group.shutdownGracefully()
    }

    static func eventually(_ timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
