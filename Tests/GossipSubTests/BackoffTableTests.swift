import Testing
@testable import GossipSub

@Suite struct BackoffTableTests {
    @Test func backoffNeverShortensAndExpires() {
        var table = BackoffTable<TestPeer>()
        let p = TestPeer(1)
        table.set(p, topic: "t", until: .seconds(60))
        table.set(p, topic: "t", until: .seconds(10))
        #expect(table.deadline(p, topic: "t") == .seconds(60))
        #expect(table.isBackedOff(p, topic: "t", now: .seconds(59)))
        #expect(!table.isBackedOff(p, topic: "t", now: .seconds(60)))
        #expect(!table.isBackedOff(p, topic: "u", now: .zero))
        table.clearExpired(now: .seconds(61), slack: .seconds(2))
        #expect(table.deadline(p, topic: "t") != nil)
        table.clearExpired(now: .seconds(62), slack: .seconds(2))
        #expect(table.isEmpty)
    }
}

@Suite struct GossipPromisesTests {
    @Test func brokenPromisesAreCountedPerPeerInOrder() {
        var promises = GossipPromises<TestPeer>()
        promises.add(TestPeer(2), id: MessageID([1]), deadline: .seconds(3))
        promises.add(TestPeer(1), id: MessageID([2]), deadline: .seconds(3))
        promises.add(TestPeer(1), id: MessageID([3]), deadline: .seconds(3))
        promises.add(TestPeer(3), id: MessageID([4]), deadline: .seconds(3))
        promises.messageDelivered(MessageID([4]))
        #expect(promises.brokenPromises(now: .seconds(3)).isEmpty)
        let broken = promises.brokenPromises(now: .seconds(4))
        #expect(broken.map(\.0) == [TestPeer(1), TestPeer(2)])
        #expect(broken.map(\.1) == [2, 1])
        #expect(promises.isEmpty)
    }

    @Test func rejectedMessageVoidsThePromise() {
        var promises = GossipPromises<TestPeer>()
        promises.add(TestPeer(1), id: MessageID([1]), deadline: .seconds(1))
        promises.messageRejected(MessageID([1]), from: TestPeer(1))
        #expect(promises.brokenPromises(now: .seconds(5)).isEmpty)
    }
}

@Suite struct IDontWantMemoryTests {
    @Test func expiresAfterThreeHeartbeats() {
        var memory = IDontWantMemory<TestPeer>(ttlHeartbeats: 3, maxPerPeer: 10)
        let p = TestPeer(1), id = MessageID([1])
        memory.record(p, id: id)
        memory.heartbeatTick()
        memory.heartbeatTick()
        #expect(memory.contains(p, id: id))
        memory.heartbeatTick()
        #expect(!memory.contains(p, id: id))
        #expect(memory.count(p) == 0)
    }

    @Test func boundedPerPeerDroppingOldest() {
        var memory = IDontWantMemory<TestPeer>(ttlHeartbeats: 3, maxPerPeer: 100)
        let p = TestPeer(1)
        for i in 0..<250 { memory.record(p, id: MessageID([UInt8(i & 0xFF), UInt8(i >> 8)])) }
        #expect(memory.count(p) == 100)
        #expect(!memory.contains(p, id: MessageID([149, 0])))
        #expect(memory.contains(p, id: MessageID([150, 0])))
        #expect(memory.contains(p, id: MessageID([249, 0])))
        #expect(!memory.contains(TestPeer(2), id: MessageID([249, 0])))
        memory.removePeer(p)
        #expect(memory.count(p) == 0)
    }
}

@Suite struct DeterministicRNGTests {
    @Test func sameSeedSameSequenceDifferentSeedDifferent() {
        var a = DeterministicRNG(seed: 42), b = DeterministicRNG(seed: 42), c = DeterministicRNG(seed: 43)
        let sa = (0..<8).map { _ in a.next() }
        #expect(sa == (0..<8).map { _ in b.next() })
        #expect(sa != (0..<8).map { _ in c.next() })
    }

    @Test func firstOutputsOfSeedZero() {
        // SplitMix64(0) state words, then one xoshiro256** step: pinned so the stream cannot
        // change silently between versions (simulation traces depend on it).
        var rng = DeterministicRNG(seed: 0)
        let first = rng.next()
        var again = DeterministicRNG(seed: 0)
        let second = again.next()
        #expect(second == first)
        #expect(first == 0x99EC_5F36_CB75_F2B4)
    }

    @Test func belowIsInRangeAndRoughlyUniform() {
        var rng = DeterministicRNG(seed: 7)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[rng.below(6)] += 1 }
        #expect(counts.allSatisfy { (9_000...11_000).contains($0) })
    }

    @Test func sampleIgnoresInputOrder() {
        var a = DeterministicRNG(seed: 9), b = DeterministicRNG(seed: 9)
        let s1 = a.sample(3, from: [5, 1, 4, 2, 3])
        let s2 = b.sample(3, from: Set([1, 2, 3, 4, 5]))
        #expect(s1 == s2)
        #expect(Set(s1).count == 3)
        var c = DeterministicRNG(seed: 9)
        let oversized = c.sample(10, from: [3, 1, 2])
        #expect(oversized.sorted() == [1, 2, 3])
    }
}
