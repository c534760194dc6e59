import LibP2PCore
import NIOCore
import NIOPosix
import Testing
@testable import LibP2P
import Synchronization
import TestSupport

/// Two hosts over real loopback sockets in one process. Bounded by a time limit.
@Suite(.timeLimit(.minutes(1)), .serialized) struct P2PHostTests {
    static func host(
        _ type: KeyType, seed: UInt64, group: any EventLoopGroup, configuration: P2PHostConfiguration = .init()
    ) throws -> P2PHost {
        var rng = SeededRandom(state: seed)
        return try P2PHost(
            identity: try LibP2PIdentity.generate(type, using: &rng), configuration: configuration, group: group,
            handlers: TCPLoopbackTests.echoHandlers())
    }

    /// Waits until `condition` holds (polling), up to `timeout`.
    static func eventually(_ timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    @Test(arguments: ["/ip4/127.0.0.1/tcp/0", "/ip6/::1/tcp/0"], [KeyType.secp256k1, .ed25519])
    func dialByMultiaddrIdentifyAndPing(listen: String, type: KeyType) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try Self.host(type, seed: 1, group: group)
        let client = try Self.host(.secp256k1, seed: 2, group: group)
        let address = try await server.listen(Multiaddr(listen))
        #expect(address.peerID == server.peerID)
        #expect(address.description.hasPrefix(listen.hasPrefix("/ip6") ? "/ip6/::1/tcp/" : "/ip4/127.0.0.1/tcp/"))
        try await client.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))

        let connection = try await client.dial(address)
        #expect(connection.remotePeer == server.peerID)
        let info = try await client.identify(connection)
        #expect(info.publicKey == server.identity.publicKey)
        #expect(info.protocols == ["/ipfs/id/1.0.0", "/ipfs/id/push/1.0.0", "/ipfs/ping/1.0.0", TCPLoopbackTests.echo])
        #expect(info.listenAddrs == server.listenAddrs)
        #expect(info.observedAddr == connection.localAddress)
        // No agent set by the builder: the executable's name.
        #expect(info.agentVersion == P2PHostConfiguration.defaultAgentVersion && info.agentVersion?.isEmpty == false)
        #expect(client.identifyInfo(of: server.peerID) == info)
        // The server identified the client on its own (identify on connect).
        #expect(try await Self.eventually { server.identifyInfo(of: client.peerID)?.listenAddrs == client.listenAddrs })

        let rtts = try await client.ping(connection, count: 3)
        #expect(rtts.count == 3 && rtts.allSatisfy { $0 > .zero && $0 < .seconds(5) })

        await client.close()
        await server.close()
        try await group.shutdownGracefully()
    }

    /// An observer sees each kept connection once, the ones before it as `existing`; once removed
    /// it sees none (the host calls observers before its `connected` event, which the test awaits).
    @Test func aRemovedConnectionObserverSeesNoLaterConnection() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let a = try Self.host(.ed25519, seed: 31, group: group)
        let b = try Self.host(.ed25519, seed: 32, group: group)
        let c = try Self.host(.ed25519, seed: 33, group: group)
        let d = try Self.host(.ed25519, seed: 34, group: group)
        let address = try await a.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        var events = a.events.makeAsyncIterator()
        func nextConnected() async -> PeerID? {
            while let event = await events.next() { if case .connected(let connection) = event { return connection.remotePeer } }
            return nil
        }
        _ = try await b.dial(address)
        #expect(await nextConnected() == b.peerID)
        let seen = SeenPeers()
        let observation = a.observeConnections { connection in seen.peers.withLock { $0.append(connection.remotePeer!) } }
        #expect(observation.existing.map(\.remotePeer) == [b.peerID])
        _ = try await c.dial(address)
        #expect(await nextConnected() == c.peerID)
        #expect(seen.peers.withLock { $0 } == [c.peerID])
        a.stopObservingConnections(observation.id)
        _ = try await d.dial(address)
        #expect(await nextConnected() == d.peerID)
        #expect(seen.peers.withLock { $0 } == [c.peerID])
        for host in [d, c, b, a] { await host.close() }
        try await group.shutdownGracefully()
    }

    @Test func identifyPushUpdatesWhatThePeerKnows() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try Self.host(.ed25519, seed: 1, group: group)
        let client = try Self.host(.ed25519, seed: 2, group: group)
        let address = try await server.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        _ = try await client.dial(address)
        #expect(try await Self.eventually { server.identifyInfo(of: client.peerID) != nil })
        #expect(server.identifyInfo(of: client.peerID)?.listenAddrs == [])
        // The client starts listening: the server hears of it through the push listen sends.
        try await client.listen(Multiaddr("/ip6/::1/tcp/0"))
        #expect(try await Self.eventually { server.identifyInfo(of: client.peerID)?.listenAddrs == client.listenAddrs })
        // And again, explicitly, after a second address.
        try await client.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        #expect(client.listenAddrs.count == 2)
        #expect(try await Self.eventually { server.identifyInfo(of: client.peerID)?.listenAddrs == client.listenAddrs })
        await client.pushIdentify()
        await client.close()
        await server.close()
        try await group.shutdownGracefully()
    }

    @Test func aWrongPeerIDInTheMultiaddrFailsTheDial() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try Self.host(.ed25519, seed: 1, group: group)
        let client = try Self.host(.ed25519, seed: 2, group: group)
        let address = try await server.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        let wrong = address.withoutPeerID.encapsulate(.p2p(client.peerID))
        await #expect(throws: P2PError.upgrade(.handshake(.peerIDMismatch(
            expected: client.peerID.multihashBytes, actual: server.peerID.multihashBytes)))) {
            _ = try await client.dial(wrong)
        }
        await client.close()
        await server.close()
        try await group.shutdownGracefully()
    }

    @Test func aprefixedIdentifyIsServedUnderItsOwnID() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let aztec = P2PHostConfiguration(identifyProtocolPrefix: "/aztec", identifyOnConnect: false)
        let server = try Self.host(.secp256k1, seed: 1, group: group, configuration: aztec)
        let client = try Self.host(.secp256k1, seed: 2, group: group, configuration: aztec)
        let address = try await server.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        let connection = try await client.dial(address)
        let info = try await client.identify(connection)
        #expect(info.protocols.contains("/aztec/id/1.0.0"))
        #expect(!info.protocols.contains("/ipfs/id/1.0.0"))
        // A default host asks for /ipfs/id/1.0.0, which the Aztec node does not serve.
        let plain = try Self.host(.secp256k1, seed: 3, group: group, configuration: .init(identifyOnConnect: false))
        let other = try await plain.dial(address)
        await #expect(throws: P2PError.self) { _ = try await plain.identify(other) }
        #expect(try await plain.ping(other).count == 1)
        await plain.close()
        await client.close()
        await server.close()
        try await group.shutdownGracefully()
    }

    @Test func simultaneousDialsLeaveOneConnectionBothSidesAgreeOn() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let quiet = P2PHostConfiguration(identifyOnConnect: false)
        let a = try Self.host(.ed25519, seed: 1, group: group, configuration: quiet)
        let b = try Self.host(.ed25519, seed: 2, group: group, configuration: quiet)
        let addressA = try await a.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        let addressB = try await b.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        async let fromA = a.dial(addressB)
        async let fromB = b.dial(addressA)
        let (ca, cb) = try await (fromA, fromB)
        // Both dials return the kept connection, and it is the same TCP connection on both sides.
        #expect(try await Self.eventually {
            a.transport.connectionCounts.inbound + a.transport.connectionCounts.outbound == 1
                && b.transport.connectionCounts.inbound + b.transport.connectionCounts.outbound == 1
        })
        let keptA = try #require(a.connection(to: b.peerID))
        let keptB = try #require(b.connection(to: a.peerID))
        #expect(keptA.localAddress == keptB.remoteAddress)
        #expect(keptA.isDialer != keptB.isDialer)
        let lowDialed = a.peerID.multihashBytes.lexicographicallyPrecedes(b.peerID.multihashBytes) ? keptA.isDialer : keptB.isDialer
        #expect(lowDialed)
        #expect(ca === keptA || !ca.isActive)
        #expect(cb === keptB || !cb.isActive)
        // The kept connection works.
        #expect(try await a.ping(keptA).count == 1)
        await a.close()
        await b.close()
        try await group.shutdownGracefully()
    }

    @Test func inboundAndOutboundLimitsRefuseExtraConnections() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let oneIn = P2PHostConfiguration(limits: ConnectionLimits(maxInbound: 1), identifyOnConnect: false)
        let oneOut = P2PHostConfiguration(limits: ConnectionLimits(maxOutbound: 1), identifyOnConnect: false)
        let server = try Self.host(.ed25519, seed: 1, group: group, configuration: oneIn)
        let address = try await server.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        let first = try Self.host(.ed25519, seed: 2, group: group, configuration: oneOut)
        let second = try Self.host(.ed25519, seed: 3, group: group)
        let connection = try await first.dial(address)
        #expect(try await first.ping(connection).count == 1)
        // The server is full: the second peer's connection is closed before or during its upgrade.
        await #expect(throws: (any Error).self) { _ = try await second.dial(address) }
        // The first host may not dial anyone else.
        let third = try Self.host(.ed25519, seed: 4, group: group)
        let otherAddress = try await third.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        await #expect(throws: P2PError.connectionLimit(.outbound)) { _ = try await first.dial(otherAddress) }
        // Closing frees the slot.
        await connection.close()
        #expect(try await Self.eventually { server.transport.connectionCounts.inbound == 0 })
        let again = try await second.dial(address)
        #expect(try await second.ping(again).count == 1)
        for host in [first, second, third, server] { await host.close() }
        try await group.shutdownGracefully()
    }

    @Test func eventsReportConnectIdentifyAndGracefulClose() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try Self.host(.secp256k1, seed: 1, group: group)
        let client = try Self.host(.secp256k1, seed: 2, group: group, configuration: .init(identifyOnConnect: false))
        let address = try await server.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
        var events = server.events.makeAsyncIterator()
        let connection = try await client.dial(address)
        var seen: [String] = []
        while seen.count < 2, let event = await events.next() {
            switch event {
            case .connected(let c): seen.append(c.remotePeer == client.peerID ? "connected" : "other")
            case .identified(let peer, _): seen.append(peer == client.peerID ? "identified" : "other")
            case .disconnected: seen.append("disconnected")
            }
        }
        #expect(seen == ["connected", "identified"])
        await connection.close()
        if case .disconnected(let peer) = await events.next() { #expect(peer == client.peerID) } else {
            Issue.record("expected a disconnected event")
        }
        #expect(server.connection(to: client.peerID) == nil)
        await client.close()
        await server.close()
        try await group.shutdownGracefully()
    }
}

/// Peers an observer saw, from whichever thread it ran on.
private final class SeenPeers: Sendable {
    let peers = Mutex<[PeerID]>([])
}
