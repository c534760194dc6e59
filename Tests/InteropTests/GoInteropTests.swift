import Foundation
import InteropSupport
import LibP2P
import LibP2PCore
import NIOPosix
import Testing

/// Interop with go-libp2p 0.32.1 (go-libp2p-pubsub 0.10.0): the `p2pd` daemon of the
/// `hivemind==1.1.12` wheel, driven by `scripts/interop/go_peer.py` and `go_gossip.py` through
/// `p2pclient`. go speaks Noise, yamux, GossipSub v1.1 and StrictSign with from ‖ seqno ids.
@Suite(.enabled(if: InteropPeers.goShouldRun), .serialized, .timeLimit(.minutes(3)), .tags(.integration))
struct GoInteropTests {
    static let size = 40 * 1024

    /// Swift dials go: the connection is authenticated as go's peer id over yamux, go's identify
    /// answer is read, and go answers pings.
    @Test(arguments: [KeyType.ed25519, .secp256k1])
    func swiftDialsGo(_ keyType: KeyType) async throws {
        let go = try InteropPeers.launchPython("go_peer.py", ["--keep-running", "--key-type", keyType == .ed25519 ? "ed25519" : "secp256k1"])
        defer { go.stop() }
        let hello = try JSON.object(try await go.nextLine(timeout: .seconds(60)))
        let address = try Multiaddr(try #require(hello["listen"] as? String))
        let goPeer = try #require(address.peerID)

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let host = try P2PHost(
            identity: try LibP2PIdentity.generate(keyType), configuration: .init(agentVersion: "go-interop-test", identifyOnConnect: false),
            group: group, handlers: [:])
        let connection = try await host.dial(address)
        #expect(connection.remotePeer == goPeer)
        #expect(connection.muxer == .yamux)

        let info = try await host.identify(connection)
        #expect(info.agentVersion == "p2pd/0.1")
        #expect(info.protocols.contains("/ipfs/id/1.0.0") && info.protocols.contains("/ipfs/ping/1.0.0"))
        #expect(info.listenAddrs.contains(address.withoutPeerID))
        #expect(info.observedAddr == connection.localAddress)
        #expect(try await host.ping(connection, count: 3).count == 3)

        await host.close()
        try await group.shutdownGracefully()
    }

    /// go dials Swift: the Swift host reports the inbound connection, identifies go on it (go
    /// identifies us too, seeing our agent string), and pings go over the connection go opened.
    @Test func goDialsSwift() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let listener = try P2PHost(
            identity: try LibP2PIdentity.generate(.ed25519), configuration: .init(agentVersion: "go-interop-test/1.0"),
            group: group, handlers: [:])
        let target = try await listener.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))

        let go = try InteropPeers.launchPython("go_peer.py", ["--keep-running", "--connect", target.description])
        defer { go.stop() }
        let hello = try JSON.object(try await go.nextLine(timeout: .seconds(60)))
        let goAddress = try Multiaddr(try #require(hello["listen"] as? String))
        let goPeer = try #require(goAddress.peerID)
        let connected = try JSON.object(try await go.nextLine(timeout: .seconds(30)))
        #expect(connected["event"] as? String == "connected", "go said: \(connected)")
        #expect(connected["peer"] as? String == listener.peerID.description)

        // Identify on connect: the event, not a poll.
        var identified: IdentifyInfo?
        for await event in listener.events {
            if case .identified(let peer, let info) = event, peer == goPeer { identified = info; break }
        }
        let info = try #require(identified)
        #expect(info.agentVersion == "p2pd/0.1")
        let connection = try #require(listener.connection(to: goPeer))
        #expect(connection.muxer == .yamux)
        #expect(try await listener.ping(connection, count: 2).count == 2)

        await listener.close()
        try await group.shutdownGracefully()
    }

    /// A gossip line Swift – go – Swift: three 40 KB messages from each of the three peers, every
    /// peer receiving the other six. The Swift nodes only know go, so their messages to each
    /// other cross go, and go's reach both: StrictSign with from ‖ seqno ids both ways. go
    /// publishes once both Swift nodes subscribed, and they once go's first message came: a
    /// Swift node started late on a loaded machine would otherwise miss the other's messages,
    /// published and gossiped before it joined.
    @Test func gossipCrossesSwiftAndGoBothWays() async throws {
        let common = ["--publish", "3", "--size", "\(Self.size)", "--interval", "200", "--expect", "6",
                      "--timeout", "90", "--linger", "3"]
        let go = try InteropPeers.launchPython("go_gossip.py", common + ["--heartbeat", "0.5", "--publish-after-peers", "2"])
        defer { go.stop() }
        let goAddress = try await go.nextLine(timeout: .seconds(60))
        let goPeer = try #require(Multiaddr(goAddress).peerID).description

        var swift: [ExternalPeer] = []
        defer { for peer in swift { peer.stop() } }
        var swiftPeers: [String] = []
        for _ in 0..<2 {
            let peer = try InteropPeers.launchAztecP2P(
                ["gossip", "--dial", goAddress, "--sign", "strict", "--msg-id", "peer-seqno", "--heartbeat", "500",
                 "--publish-after", "1"] + common)
            swift.append(peer)
            let address = try await peer.nextLine(timeout: .seconds(30))
            swiftPeers.append(try #require(Multiaddr(address).peerID).description)
        }

        for (index, peer) in swift.enumerated() {
            let (received, done) = try await Self.collect(peer)
            let expected = Set([goPeer, swiftPeers[1 - index]])
            #expect(Set(received.keys) == expected, "Swift \(index) received from \(received)")
            #expect(received.values.allSatisfy { $0 == 3 }, "Swift \(index) received from \(received)")
            #expect(done["ok"] as? Bool == true)
            #expect(try await peer.waitForExit(timeout: .seconds(30)) == 0)
        }
        let (received, done) = try await Self.collect(go)
        #expect(Set(received.keys) == Set(swiftPeers) && received.values.allSatisfy { $0 == 3 }, "go received from \(received)")
        #expect(done["ok"] as? Bool == true)
    }

    /// Reads a gossip peer's lines up to its "done" line: the messages received per author, each
    /// checked as a signed 40 KB message.
    static func collect(_ peer: ExternalPeer) async throws -> (received: [String: Int], done: [String: Any]) {
        var received: [String: Int] = [:]
        while true {
            let line = try await peer.nextLine(timeout: .seconds(120))
            guard let object = try? JSON.object(line), let event = object["event"] as? String else { continue }
            switch event {
            case "msg":
                #expect(object["data_len"] as? Int == size)
                #expect((object["seqno"] as? String)?.isEmpty == false)
                received[object["from"] as? String ?? "?", default: 0] += 1
            case "done":
                return (received, object)
            default:
                continue
            }
        }
    }
}
