import Testing
@testable import GossipSub

@Suite struct SortedPeersTests {
    /// Random inserts and removals agree with `Set` at every step, and the elements stay sorted.
    @Test func behavesAsASortedSet() {
        var rng = DeterministicRNG(seed: 11)
        var peers: SortedPeers<TestPeer> = []
        var model = Set<TestPeer>()
        for _ in 0..<5_000 {
            let peer = TestPeer(UInt32(rng.below(64)))
            if rng.below(3) == 0 {
                #expect(peers.remove(peer) == (model.remove(peer) != nil))
            } else {
                #expect(peers.insert(peer) == model.insert(peer).inserted)
            }
            #expect(peers.contains(peer) == model.contains(peer))
        }
        #expect(peers.elements == model.sorted())
        #expect(Array(peers) == model.sorted())
        #expect(peers.count == model.count)
    }

    @Test func arrayLiteralSortsAndDeduplicates() {
        let peers: SortedPeers<TestPeer> = [TestPeer(3), TestPeer(1), TestPeer(3), TestPeer(2)]
        #expect(peers.elements == [TestPeer(1), TestPeer(2), TestPeer(3)])
        #expect(!SortedPeers<TestPeer>().contains(TestPeer(1)))
    }

    /// Sampling an already sorted list draws what sampling the same set in any order draws.
    @Test func sortedSamplingMatchesSampling() {
        let set = Set((0..<300).map { TestPeer(UInt32($0 * 7 % 1000)) })
        for seed in UInt64(0)..<20 {
            var a = DeterministicRNG(seed: seed), b = DeterministicRNG(seed: seed)
            #expect(a.sample(8, from: set) == b.sample(8, fromSorted: set.sorted()))
        }
    }
}
