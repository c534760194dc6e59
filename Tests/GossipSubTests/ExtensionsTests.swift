import Testing
@testable import GossipSub

/// gossipsub v1.3: the Extensions message in the first RPC, at most once, and the Test
/// Extension used only when both sides advertised it.
@Suite struct ExtensionsTests {
    static let peer = TestPeer(1)

    static func router(advertising extensions: ControlExtensions = ControlExtensions(testExtension: true),
                       scoring: any PeerScoreProvider<TestPeer> = NoPeerScore<TestPeer>()) throws -> Router {
        var router = Router(config: try makeConfig { $0.extensions = extensions }, seed: 1, scoring: scoring)
        _ = router.subscribe(topic, now: .zero)
        return router
    }

    @Test func theHelloCarriesOurExtensionsOnceAheadOfEverythingElse() throws {
        var router = try Self.router()
        let hello = router.peerConnected(Self.peer, protocol: .meshsub13, outbound: true, now: .zero)
        let rpcs = hello.rpcs(to: Self.peer)
        #expect(rpcs.count == 1)
        #expect(rpcs.first?.control?.extensions == ControlExtensions(testExtension: true))
        #expect(rpcs.first?.subscriptions == [SubOpts(subscribe: true, topic: topic)])
        // Nothing later carries it again.
        let later = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: Self.peer, now: .zero)
            + router.heartbeat(now: .seconds(1))
        #expect(later.sends.allSatisfy { $0.1.control?.extensions == nil })
    }

    /// Even a router with no subscriptions greets a v1.3 peer when it has extensions to tell.
    @Test func aHelloWithoutSubscriptionsStillCarriesExtensions() throws {
        var router = Router(config: try makeConfig { $0.extensions.testExtension = true }, seed: 1, scoring: NoPeerScore<TestPeer>())
        let hello = router.peerConnected(Self.peer, protocol: .meshsub13, outbound: false, now: .zero)
        #expect(hello.rpcs(to: Self.peer) == [RPC(control: ControlMessage(extensions: ControlExtensions(testExtension: true)))])
    }

    /// Below v1.3, and with nothing to advertise, the hello is exactly v1.2's.
    @Test func olderPeersAndEmptySetsGetTheV12Hello() throws {
        for (proto, extensions) in [(GossipProtocol.meshsub12, ControlExtensions(testExtension: true)),
                                    (.meshsub11, ControlExtensions(testExtension: true)),
                                    (.meshsub13, ControlExtensions())] {
            var router = try Self.router(advertising: extensions)
            var plain = try Self.router(advertising: ControlExtensions())
            let hello = router.peerConnected(Self.peer, protocol: proto, outbound: true, now: .zero)
            #expect(hello == plain.peerConnected(Self.peer, protocol: proto, outbound: true, now: .zero))
            #expect(hello.sends.allSatisfy { $0.1.control?.extensions == nil })
        }
    }

    @Test func theTestExtensionIsSentOnceWhenBothAdvertiseIt() throws {
        var router = try Self.router()
        _ = router.peerConnected(Self.peer, protocol: .meshsub13, outbound: true, now: .zero)
        #expect(router.extensions(of: Self.peer) == nil)
        let first = router.rpcReceived(RPC(control: ControlMessage(extensions: ControlExtensions(testExtension: true))),
                                       from: Self.peer, now: .zero)
        #expect(router.extensions(of: Self.peer) == ControlExtensions(testExtension: true))
        #expect(first.rpcs(to: Self.peer).filter(\.testExtension).count == 1)
        let second = router.rpcReceived(RPC(testExtension: true), from: Self.peer, now: .zero)
        #expect(second.sends.allSatisfy { !$0.1.testExtension })
        #expect(router.receivedTestExtension(from: Self.peer))
    }

    /// A first RPC without the message means the peer supports no extension: we send nothing
    /// extension-specific, whatever we advertise.
    @Test func aPeerThatAdvertisesNothingGetsNoExtensionMessages() throws {
        var router = try Self.router()
        _ = router.peerConnected(Self.peer, protocol: .meshsub13, outbound: true, now: .zero)
        let first = router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: Self.peer, now: .zero)
        #expect(router.extensions(of: Self.peer) == ControlExtensions())
        #expect(first.sends.allSatisfy { !$0.1.testExtension })
    }

    /// We advertise nothing: a peer's Test Extension gets no answer.
    @Test func weAnswerOnlyWhatWeAdvertised() throws {
        var router = try Self.router(advertising: ControlExtensions())
        _ = router.peerConnected(Self.peer, protocol: .meshsub13, outbound: true, now: .zero)
        let first = router.rpcReceived(RPC(control: ControlMessage(extensions: ControlExtensions(testExtension: true))),
                                       from: Self.peer, now: .zero)
        #expect(first.sends.isEmpty)
        #expect(router.extensions(of: Self.peer) == ControlExtensions(testExtension: true))
    }

    /// A second Extensions message (here after a first RPC without one) is a protocol
    /// violation: a behaviour penalty of 10.
    @Test func aRepeatIsPenalised() throws {
        var router = try Self.router(scoring: RecordingScore())
        _ = router.peerConnected(Self.peer, protocol: .meshsub13, outbound: true, now: .zero)
        #expect(router.rpcReceived(RPC(subscriptions: [SubOpts(subscribe: true, topic: topic)]), from: Self.peer, now: .zero).penalties.isEmpty)
        let again = router.rpcReceived(RPC(control: ControlMessage(extensions: ControlExtensions(testExtension: true))),
                                        from: Self.peer, now: .zero)
        #expect(again.events.contains(.penalised(Self.peer, reason: .protocolViolation, count: 10)))
        #expect(again.sends.allSatisfy { !$0.1.testExtension }, "a late advertisement is not taken up")
        #expect(router.extensions(of: Self.peer) == ControlExtensions())
    }

    /// A v1.2 peer that sends extension fields anyway is treated as v1.2: ignored, not penalised.
    @Test func extensionFieldsFromOlderPeersAreIgnored() throws {
        var router = try Self.router()
        _ = router.peerConnected(Self.peer, protocol: .meshsub12, outbound: true, now: .zero)
        for _ in 0..<2 {
            let out = router.rpcReceived(RPC(control: ControlMessage(extensions: ControlExtensions(testExtension: true)), testExtension: true),
                                         from: Self.peer, now: .zero)
            #expect(out.isEmpty)
        }
        #expect(router.extensions(of: Self.peer) == nil)
    }

    /// The split of an oversized hello keeps the Extensions message in its first part.
    @Test func aSplitHelloKeepsExtensionsFirst() throws {
        var router = Router(config: try makeConfig {
            $0.extensions.testExtension = true
            $0.rpcLimits.maxSubscriptionsPerRPC = 2
        }, seed: 1, scoring: NoPeerScore<TestPeer>())
        for t in ["a", "b", "c", "d", "e"] { _ = router.subscribe(t, now: .zero) }
        let rpcs = router.peerConnected(Self.peer, protocol: .meshsub13, outbound: true, now: .zero).rpcs(to: Self.peer)
        #expect(rpcs.count == 3)
        #expect(rpcs.first?.control?.extensions == ControlExtensions(testExtension: true))
        #expect(rpcs.dropFirst().allSatisfy { $0.control?.extensions == nil })
        #expect(rpcs.flatMap(\.subscriptions).map(\.topic) == ["a", "b", "c", "d", "e"])
    }
}
