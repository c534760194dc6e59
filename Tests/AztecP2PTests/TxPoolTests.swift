import Testing
@testable import AztecP2P

@Suite struct TxPoolTests {
    let t0 = Duration.seconds(1_700_000_000)

    func pool(count: Int = 100, bytes: Int = 1 << 30, ttl: Duration = .seconds(3600)) -> TxPool {
        TxPool(config: TxPoolConfig(maxTransactions: count, maxBytes: bytes, timeToLive: ttl))
    }

    @Test func insertAndLookup() throws {
        var p = pool()
        let tx = TestTx.make(nullifiers: [1, 2], fee: 5)
        let removals = try p.insert(tx, now: t0).get()
        #expect(removals.isEmpty)
        #expect(p.count == 1)
        #expect(p.byteCount == tx.sszEncodedLength)
        #expect(p.entry(tx.hash)?.priorityFee == 5)
        #expect(p.holder(of: TestTx.field(2)) == tx.hash)
        #expect(p.insert(tx, now: t0) == .failure(.alreadyKnown))
        #expect(p.invariantViolations().isEmpty)
    }

    @Test func poolsShareOneValidatedTransactionAndReleaseItOnRemoval() throws {
        var a = pool(), b = pool()
        weak var released: ValidatedTransaction?
        do {
            let validated = ValidatedTransaction(TestTx.make(nullifiers: [1, 2], fee: 5))
            released = validated
            _ = try a.insert(validated, now: t0).get()
            _ = try b.insert(validated, now: t0).get()
            #expect(a.entry(validated.hash)?.validated === validated)
            #expect(b.entry(validated.hash)?.validated === validated)
            #expect(a.byteCount == validated.size)
            _ = a.blockPublished(BlockReport(number: 1, includedTransactions: [validated.hash], nullifiers: []))
            #expect(b.remove(validated.hash) != nil)
        }
        // Neither the entries, the nullifier index nor the heaps' keys keep it alive.
        #expect(released == nil)
        #expect(a.invariantViolations().isEmpty && b.invariantViolations().isEmpty)
    }

    @Test func conflictingNullifierKeepsTheHigherFee() throws {
        var p = pool()
        let low = TestTx.make(nullifiers: [1, 2], fee: 5)
        let high = TestTx.make(nullifiers: [2, 3], fee: 9)
        let equal = TestTx.make(nullifiers: [3], fee: 9, salt: 1)
        _ = try p.insert(low, now: t0).get()
        #expect(try p.insert(high, now: t0).get() == [TxPool.Removal(hash: low.hash, reason: .replaced)])
        #expect(!p.contains(low.hash))
        #expect(p.holder(of: TestTx.field(1)) == nil)
        // Equal fee: the incumbent stays.
        #expect(p.insert(equal, now: t0) == .failure(.conflictsWithHigherFee(high.hash)))
        // Lower fee conflicting again: refused.
        #expect(p.insert(low, now: t0) == .failure(.conflictsWithHigherFee(high.hash)))
        #expect(p.invariantViolations().isEmpty)
    }

    @Test func oneNewcomerCanReplaceSeveralConflicts() throws {
        var p = pool()
        let a = TestTx.make(nullifiers: [1], fee: 2)
        let b = TestTx.make(nullifiers: [2], fee: 3)
        _ = try p.insert(a, now: t0).get()
        _ = try p.insert(b, now: t0).get()
        let c = TestTx.make(nullifiers: [1, 2], fee: 4)
        #expect(Set(try p.insert(c, now: t0).get().map(\.hash)) == [a.hash, b.hash])
        #expect(p.count == 1)
    }

    @Test func fullByCountEvictsTheLowestFeeOnlyForAHigherFee() throws {
        var p = pool(count: 3)
        for i in 0..<3 { _ = try p.insert(TestTx.make(nullifiers: [UInt64(i) + 1], fee: UInt128(10 + i)), now: t0).get() }
        // Not above the lowest (10): refused, nothing changes.
        #expect(p.insert(TestTx.make(nullifiers: [50], fee: 10), now: t0) == .failure(.poolFull))
        #expect(p.count == 3)
        let rich = TestTx.make(nullifiers: [51], fee: 11)
        let removals = try p.insert(rich, now: t0).get()
        #expect(removals == [TxPool.Removal(hash: TestTx.make(nullifiers: [1], fee: 10).hash, reason: .evicted)])
        #expect(p.count == 3)
        #expect(p.pending(limit: 10).map(\.priorityFee) == [12, 11, 11])
    }

    @Test func fullByBytesEvictsAsManyAsNeeded() throws {
        let size = TestTx.make(nullifiers: [1], proofSize: 1000).sszEncodedLength
        var p = pool(count: 100, bytes: 3 * size)
        for i in 0..<3 {
            _ = try p.insert(TestTx.make(nullifiers: [UInt64(i) + 1], fee: 1, proofSize: 1000), now: t0).get()
        }
        let big = TestTx.make(nullifiers: [9], fee: 2, proofSize: 1000 + size)
        let removals = try p.insert(big, now: t0).get()
        #expect(removals.count == 2)
        #expect(p.byteCount <= 3 * size)
        #expect(p.insert(TestTx.make(nullifiers: [10], proofSize: 4 * size), now: t0) == .failure(.tooLarge))
        #expect(p.invariantViolations().isEmpty)
    }

    @Test func blockRemovesIncludedSpentAndExpired() throws {
        var p = pool()
        let included = TestTx.make(nullifiers: [1])
        let spent = TestTx.make(nullifiers: [2, 3])
        let expiring = TestTx.make(nullifiers: [4], maxBlockNumber: 5)
        let staying = TestTx.make(nullifiers: [5], maxBlockNumber: 6)
        for tx in [included, spent, expiring, staying] { _ = try p.insert(tx, now: t0).get() }
        let removals = p.blockPublished(BlockReport(number: 5, includedTransactions: [included.hash],
                                                    nullifiers: [TestTx.field(1), TestTx.field(3)]))
        #expect(Set(removals) == [TxPool.Removal(hash: included.hash, reason: .included),
                                  TxPool.Removal(hash: spent.hash, reason: .nullifierSpent),
                                  TxPool.Removal(hash: expiring.hash, reason: .expired)])
        #expect(p.count == 1 && p.contains(staying.hash))
        #expect(p.insert(TestTx.make(nullifiers: [8], maxBlockNumber: 5), now: t0) == .failure(.expired))
        #expect(p.latestBlock == 5)
    }

    @Test func timeToLiveExpiry() throws {
        var p = pool(ttl: .seconds(60))
        let a = TestTx.make(nullifiers: [1])
        let b = TestTx.make(nullifiers: [2])
        _ = try p.insert(a, now: t0).get()
        _ = try p.insert(b, now: t0 + .seconds(30)).get()
        #expect(p.expire(now: t0 + .seconds(59)).isEmpty)
        #expect(p.expire(now: t0 + .seconds(60)) == [TxPool.Removal(hash: a.hash, reason: .expired)])
        #expect(p.expire(now: t0 + .seconds(90)) == [TxPool.Removal(hash: b.hash, reason: .expired)])
        #expect(p.count == 0)
    }

    @Test func pendingIsByFeeAndPaginates() throws {
        var p = pool()
        let fees: [UInt128] = [3, 9, 1, 9, 5]
        for (i, fee) in fees.enumerated() { _ = try p.insert(TestTx.make(nullifiers: [UInt64(i) + 1], fee: fee), now: t0).get() }
        let first = p.pending(limit: 2)
        #expect(first.map(\.priorityFee) == [9, 9])
        #expect(first[0].sequence < first[1].sequence)
        let second = p.pending(after: first.last.map(TxPool.Cursor.init(after:)), limit: 2)
        #expect(second.map(\.priorityFee) == [5, 3])
        let cursor = try #require(second.last.map(TxPool.Cursor.init(after:)))
        // The cursor stays valid when its transaction leaves the pool.
        p.remove(second[1].hash)
        #expect(p.pending(after: cursor, limit: 2).map(\.priorityFee) == [1])
        #expect(TxPool.Cursor(cursor.description) == cursor)
        #expect(TxPool.Cursor("12") == nil && TxPool.Cursor("a-1") == nil && TxPool.Cursor("-1") == nil)
    }

    @Test func equalFeeFloodChurnsNothingAndMemoryStaysBounded() throws {
        var p = pool(count: 50)
        for i in 0..<50 { _ = try p.insert(TestTx.make(nullifiers: [UInt64(i) + 1], fee: 7), now: t0).get() }
        let before = Set(p.entriesInInsertionOrder.map(\.hash))
        for i in 0..<5000 {
            #expect(p.insert(TestTx.make(nullifiers: [UInt64(i) + 1000], fee: 7), now: t0) == .failure(.poolFull))
        }
        #expect(Set(p.entriesInInsertionOrder.map(\.hash)) == before)
        // A rising-fee flood evicts, but queues are compacted.
        for i in 0..<5000 { _ = p.insert(TestTx.make(nullifiers: [UInt64(i) + 100_000], fee: UInt128(8 + i)), now: t0) }
        #expect(p.count == 50)
        #expect(p.invariantViolations().isEmpty)
    }

    /// Random operation sequences against a simple model: the invariants hold after every step,
    /// and the pool holds exactly the model's transactions.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func invariantsUnderRandomOperations(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let maxCount = 20
        let proofSizes = [16, 64, 256]
        let probe = TestTx.make(nullifiers: [1], proofSize: 256).sszEncodedLength
        var p = TxPool(config: TxPoolConfig(maxTransactions: maxCount, maxBytes: probe * 12, timeToLive: .seconds(100)))
        var now = t0
        var block: UInt64 = 0
        var model: [TxHash: AztecTransaction] = [:]
        for step in 0..<600 {
            switch rng.next() % 10 {
            case 0...5:
                let count = Int(rng.next() % 3) + 1
                let nullifiers = (0..<count).map { _ in rng.next() % 60 + 1 }
                let tx = TestTx.make(nullifiers: Array(Set(nullifiers)), fee: UInt128(rng.next() % 20),
                                     maxBlockNumber: rng.next() % 4 == 0 ? block + rng.next() % 5 : 0,
                                     proofSize: proofSizes[Int(rng.next() % 3)], salt: UInt8(truncatingIfNeeded: step))
                switch p.insert(tx, now: now) {
                case .success(let removals):
                    for r in removals { #expect(model.removeValue(forKey: r.hash) != nil) }
                    model[tx.hash] = tx
                case .failure(let why):
                    if case .conflictsWithHigherFee(let holder) = why {
                        let holderFee = try #require(model[holder]).gasSettings.priorityFee
                        #expect(holderFee >= tx.gasSettings.priorityFee)
                    }
                }
            case 6, 7:
                block += 1
                let pooled = Array(model.keys).sorted()
                let included = pooled.isEmpty ? [] : [pooled[Int(rng.next() % UInt64(pooled.count))]]
                let nullifiers = (0..<2).map { _ in TestTx.field(rng.next() % 60 + 1) }
                for r in p.blockPublished(BlockReport(number: block, includedTransactions: included, nullifiers: nullifiers)) {
                    #expect(model.removeValue(forKey: r.hash) != nil)
                }
                for (hash, tx) in model {
                    #expect(!included.contains(hash))
                    #expect(tx.nullifiers.allSatisfy { !nullifiers.contains($0) })
                }
            case 8:
                now += .seconds(Int64(rng.next() % 30))
                for r in p.expire(now: now) { #expect(model.removeValue(forKey: r.hash) != nil) }
                for entry in p.entriesInInsertionOrder { #expect(entry.receivedAt + .seconds(100) > now) }
            default:
                let pooled = Array(model.keys).sorted()
                if let victim = pooled.first { #expect(p.remove(victim) != nil); model[victim] = nil }
            }
            #expect(p.invariantViolations().isEmpty, "step \(step): \(p.invariantViolations())")
            #expect(Set(p.entriesInInsertionOrder.map(\.hash)) == Set(model.keys))
        }
    }
}
