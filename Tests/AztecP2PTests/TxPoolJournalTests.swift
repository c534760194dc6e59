import Foundation
import Testing
@testable import AztecP2P

@Suite struct TxPoolJournalTests {
    let t0 = Duration.seconds(1_700_000_000)

    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("aztec-pool-\(UUID().uuidString).journal").path
    }

    @Test func poolSurvivesReopen() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = TxPoolConfig(maxTransactions: 100)
        let (journal, restoredAtStart) = try TxPoolJournal.open(path: path, pool: config, limits: .default)
        var pool = restoredAtStart
        #expect(pool.count == 0)
        let a = TestTx.make(nullifiers: [1], fee: 3)
        let b = TestTx.make(nullifiers: [2], fee: 4)
        let c = TestTx.make(nullifiers: [2], fee: 9)
        for tx in [a, b, c] {
            let removals = try pool.insert(tx, now: t0 + .seconds(5)).get()
            try journal.recordRemoved(removals)
            try journal.recordAdded(try #require(pool.entry(tx.hash)))
        }
        let removed = pool.blockPublished(BlockReport(number: 3, includedTransactions: [a.hash], nullifiers: []))
        try journal.recordRemoved(removed)
        try journal.recordBlock(3)

        let (_, restored) = try TxPoolJournal.open(path: path, pool: config, limits: .default)
        #expect(restored.entriesInInsertionOrder.map(\.hash) == [c.hash])
        #expect(restored.entry(c.hash)?.receivedAt == t0 + .seconds(5))
        #expect(restored.latestBlock == 3)
        #expect(restored.invariantViolations().isEmpty)
    }

    @Test func tornTailIsCutOffAndEarlierRecordsKept() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = TxPoolConfig()
        let (journal, restoredAtStart) = try TxPoolJournal.open(path: path, pool: config, limits: .default)
        var pool = restoredAtStart
        let a = TestTx.make(nullifiers: [1])
        let b = TestTx.make(nullifiers: [2])
        for tx in [a, b] {
            _ = try pool.insert(tx, now: t0).get()
            try journal.recordAdded(try #require(pool.entry(tx.hash)))
        }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.removeLast(10)  // a crash in the middle of the last record
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (_, restored) = try TxPoolJournal.open(path: path, pool: config, limits: .default)
        #expect(restored.entriesInInsertionOrder.map(\.hash) == [a.hash])

        // A flipped byte inside a record stops the replay there too (CRC).
        var replayed = TxPool(config: config)
        var corrupt = bytes
        corrupt[20] ^= 0xFF
        #expect(TxPoolJournal.replay(corrupt, into: &replayed, limits: .default) == 0)
        #expect(replayed.count == 0)
        #expect(TxPoolJournal.replay(Array("NOTAJOURNAL".utf8), into: &replayed, limits: .default) == 0)
    }

    @Test func compactionBoundsTheFile() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (journal, restoredAtStart) = try TxPoolJournal.open(path: path, pool: TxPoolConfig(), limits: .default)
        var pool = restoredAtStart
        for i in 0..<200 {
            let tx = TestTx.make(nullifiers: [UInt64(i) + 1], proofSize: 10_000)
            _ = try pool.insert(tx, now: t0).get()
            try journal.recordAdded(try #require(pool.entry(tx.hash)))
            try journal.recordRemoved([TxPool.Removal(hash: tx.hash, reason: .dropped)])
            pool.remove(tx.hash)
            try journal.compactIfNeeded(pool)
        }
        #expect(journal.fileSize <= 2 * pool.byteCount + 1024 * 1024 + 11_000)
        let onDisk = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(onDisk == journal.fileSize)
    }

    @Test func restoreAppliesTheCurrentLimits() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (journal, restoredAtStart) = try TxPoolJournal.open(path: path, pool: TxPoolConfig(), limits: .default)
        var pool = restoredAtStart
        for i in 0..<10 {
            let tx = TestTx.make(nullifiers: [UInt64(i) + 1], fee: UInt128(i))
            _ = try pool.insert(tx, now: t0).get()
            try journal.recordAdded(try #require(pool.entry(tx.hash)))
        }
        let (_, smaller) = try TxPoolJournal.open(path: path, pool: TxPoolConfig(maxTransactions: 3), limits: .default)
        #expect(smaller.pending(limit: 10).map(\.priorityFee) == [9, 8, 7])
    }
}
