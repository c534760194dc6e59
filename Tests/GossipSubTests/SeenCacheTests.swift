import Testing
@testable import GossipSub

@Suite struct SeenCacheTests {
    @Test func expiresAfterTTLInVirtualTime() {
        var cache = SeenCache(ttl: .seconds(10))
        let a = MessageID([1]), b = MessageID([2])
        let firstA = cache.insert(a, now: .seconds(0))
        #expect(firstA)
        let repeatA = cache.insert(a, now: .seconds(5))
        #expect(!repeatA)
        let firstB = cache.insert(b, now: .seconds(5))
        #expect(firstB)
        cache.prune(now: .seconds(10))
        #expect(!cache.contains(a, now: .seconds(10)))
        #expect(cache.contains(b, now: .seconds(10)))
        #expect(cache.count == 1)
        cache.prune(now: .seconds(15))
        #expect(cache.count == 0)
    }

    @Test func reinsertAfterExpirySurvivesStalePrune() {
        var cache = SeenCache(ttl: .seconds(10))
        let a = MessageID([1])
        cache.insert(a, now: .seconds(0))
        let afterExpiry = cache.insert(a, now: .seconds(11))
        #expect(afterExpiry)   // expired, not yet pruned: a new sighting
        cache.prune(now: .seconds(12))                // drops the old queue entry only
        #expect(cache.contains(a, now: .seconds(12)))
        cache.prune(now: .seconds(21))
        #expect(!cache.contains(a, now: .seconds(21)))
    }

    @Test func manyEntriesPruneCompletely() {
        var cache = SeenCache(ttl: .seconds(1))
        for i in 0..<5000 { cache.insert(MessageID([UInt8(i & 0xFF), UInt8(i >> 8)]), now: .milliseconds(Int64(i))) }
        cache.prune(now: .seconds(3))
        // Inserted at i ms, expiring at i + 1000 ms: pruning at 3000 ms drops i = 0...2000.
        #expect(cache.count == 2999)
        cache.prune(now: .seconds(100))
        #expect(cache.count == 0)
    }
}
