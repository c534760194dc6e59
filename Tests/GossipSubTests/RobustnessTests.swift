import Testing
@testable import GossipSub

/// Seeded random inputs: the decoder and the router must hold up against arbitrary peers.
@Suite struct RobustnessTests {
    static func randomRPC(_ rng: inout DeterministicRNG, topics: [String]) -> RPC {
        func ids(_ n: Int) -> [MessageID] { (0..<n).map { _ in MessageID([UInt8(rng.below(8)), UInt8(rng.below(256))]) } }
        func pick() -> String { topics[rng.below(topics.count)] }
        var rpc = RPC()
        for _ in 0..<rng.below(3) { rpc.subscriptions.append(SubOpts(subscribe: rng.below(2) == 0, topic: pick())) }
        for _ in 0..<rng.below(3) {
            rpc.publish.append(RawMessage(data: [UInt8(rng.below(32))], topic: pick()))
        }
        var c = ControlMessage()
        for _ in 0..<rng.below(3) { c.ihave.append(ControlIHave(topic: pick(), messageIDs: ids(rng.below(6)))) }
        for _ in 0..<rng.below(2) { c.iwant.append(ControlIWant(messageIDs: ids(rng.below(6)))) }
        for _ in 0..<rng.below(2) { c.graft.append(ControlGraft(topic: pick())) }
        for _ in 0..<rng.below(2) {
            c.prune.append(ControlPrune(topic: pick(), peers: [PeerInfo(peerID: [UInt8(rng.below(256))])],
                                        backoffSeconds: rng.below(2) == 0 ? nil : UInt64(rng.below(120))))
        }
        for _ in 0..<rng.below(2) { c.idontwant.append(ControlIDontWant(messageIDs: ids(rng.below(4)))) }
        rpc.control = c.isEmpty ? nil : c
        return rpc
    }

    @Test func mutatedEncodingsNeverTrapAndDecodedOnesRoundTrip() {
        var rng = DeterministicRNG(seed: 2024)
        var decoded = 0
        for _ in 0..<5000 {
            var bytes = Self.randomRPC(&rng, topics: ["a", "bb", "ccc"]).encoded()
            for _ in 0..<(1 + rng.below(3)) where !bytes.isEmpty {
                switch rng.below(3) {
                case 0: bytes[rng.below(bytes.count)] = UInt8(rng.below(256))
                case 1: bytes.removeSubrange(rng.below(bytes.count)...)
                default: bytes.insert(UInt8(rng.below(256)), at: rng.below(bytes.count))
                }
            }
            guard let rpc = try? RPC.decode(bytes) else { continue }
            decoded += 1
            // Whatever decodes is canonical after one re-encoding.
            #expect((try? RPC.decode(rpc.encoded())) == rpc)
        }
        #expect(decoded > 0)
    }

    /// Decoding from raw memory (a received buffer) gives what decoding from an array gives:
    /// the same RPC or the same error, on valid and mutated encodings alike.
    @Test func decodingFromRawMemoryAgreesWithDecodingFromAnArray() {
        var rng = DeterministicRNG(seed: 7)
        let limits = RPCLimits(maxRPCSize: 4096)
        for _ in 0..<3000 {
            var bytes = Self.randomRPC(&rng, topics: ["a", "bb", "ccc"]).encoded()
            for _ in 0..<rng.below(3) where !bytes.isEmpty {
                switch rng.below(3) {
                case 0: bytes[rng.below(bytes.count)] = UInt8(rng.below(256))
                case 1: bytes.removeSubrange(rng.below(bytes.count)...)
                default: bytes.insert(UInt8(rng.below(256)), at: rng.below(bytes.count))
                }
            }
            let fromArray = Result { () throws(RPCDecodingError) in try RPC.decode(bytes, limits: limits) }
            let fromMemory = bytes.withUnsafeBytes { raw in
                Result { () throws(RPCDecodingError) in try RPC.decode(raw, limits: limits) }
            }
            #expect(fromArray == fromMemory)
        }
    }

    @Test(arguments: UInt64(1)...5)
    func routerInvariantsHoldUnderRandomPeerBehaviour(seed: UInt64) throws {
        var rng = DeterministicRNG(seed: seed)
        let topics = [topic, "other"]
        var router = Router(config: try makeConfig { $0.floodPublish = seed % 2 == 0 }, seed: seed)
        for i in 1...30 {
            _ = router.peerConnected(TestPeer(UInt32(i)), protocol: GossipProtocol.allCases[rng.below(4)],
                                     outbound: rng.below(3) == 0, direct: i == 30, now: .zero)
        }
        _ = router.subscribe(topic, now: .zero)
        var now: Duration = .zero
        for step in 0..<600 {
            now += .milliseconds(50)
            let peer = TestPeer(UInt32(1 + rng.below(30)))
            let actions = router.rpcReceived(Self.randomRPC(&rng, topics: topics), from: peer, now: now)
            for case .deliver(let message, _) in actions {
                _ = router.validationResult(message.id, [.accept, .reject, .ignore][rng.below(3)], now: now)
            }
            if step % 20 == 0 {
                let beat = router.heartbeat(now: now)
                // After a heartbeat: the mesh is within bounds (given enough candidates), holds no
                // direct or floodsub peers, and nobody is asked to join and leave at once.
                let mesh = router.meshPeers(topic)
                #expect(mesh.count <= 12)
                #expect(!mesh.contains(TestPeer(30)))
                #expect(mesh.allSatisfy { router.peers[$0]?.proto != .floodsub })
                let grafted = Set(beat.grafts.map(\.0)), pruned = Set(beat.prunes.map(\.0))
                #expect(grafted.isDisjoint(with: pruned))
                for (to, rpc) in beat.sends {
                    #expect(router.peers[to] != nil)
                    #expect((try? RPC.decode(rpc.encoded())) == rpc)
                }
            }
            if step == 300 { _ = router.peerDisconnected(TestPeer(1), now: now) }
        }
        #expect(!router.meshPeers(topic).contains(TestPeer(1)))
        #expect(router.pendingValidations == 0)
    }
}
