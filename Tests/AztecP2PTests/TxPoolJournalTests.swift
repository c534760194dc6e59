import Foundation
import Testing
@testable import AztecP2P

@Suite struct TxPoolJournalTests {
    let t0 = JournalTesting.t0

    @Test func poolSurvivesReopen() async throws {
        let directory = try ScratchDirectory()
        let config = TxPoolConfig(maxTransactions: 100)
        let (journal, restoredAtStart) = try JournalTesting.open(directory.journal, config: config)
        var pool = restoredAtStart
        #expect(pool.count == 0)
        #expect(journal.recovery.format == .none)
        let a = TestTx.make(nullifiers: [1], fee: 3)
        let b = TestTx.make(nullifiers: [2], fee: 4)
        let c = TestTx.make(nullifiers: [2], fee: 9)
        for tx in [a, b, c] {
            let removals = try pool.insert(tx, now: t0 + .seconds(5)).get()
            try await journal.append(removals.map { .removed($0.hash) } + [.added(try JournalTesting.entry(pool, tx.hash))])
        }
        let removed = pool.blockPublished(BlockReport(number: 3, includedTransactions: [a.hash], nullifiers: []))
        try await journal.append(removed.map { .removed($0.hash) } + [.block(3)])
        await journal.close()

        let (reopened, restored) = try JournalTesting.open(directory.journal, config: config)
        #expect(restored.entriesInInsertionOrder.map(\.hash) == [c.hash])
        #expect(restored.entry(c.hash)?.receivedAt == t0 + .seconds(5))
        #expect(restored.latestBlock == 3)
        #expect(restored.invariantViolations().isEmpty)
        #expect(reopened.recovery.format == .current)
        #expect(reopened.recovery.recordsRestored == 6)
        #expect(!reopened.recovery.isDamaged)
        #expect(directory.files(startingWith: "tx-pool.journal.") == [], "no temporary or damaged copy left")
    }

    /// The fsync policy: an awaited append returns after its records were flushed; background
    /// appends queued meanwhile ride along in the same batch (group commit).
    @Test func awaitedAppendsAreFlushedBeforeTheyReturn() async throws {
        let directory = try ScratchDirectory()
        let files = FaultyFileSystem()
        let (journal, restoredAtStart) = try JournalTesting.open(directory.journal, fileSystem: files)
        var pool = restoredAtStart
        let syncsAtOpen = files.syncCount
        let txs = JournalTesting.transactions(3)
        for tx in txs { _ = try pool.insert(tx, now: t0).get() }
        journal.appendInBackground([.added(try JournalTesting.entry(pool, txs[0].hash))])
        journal.appendInBackground([.block(2)])
        try await journal.append([.added(try JournalTesting.entry(pool, txs[1].hash))])
        #expect(files.syncCount > syncsAtOpen)
        // What was appended is on disk when the append returns.
        let (_, restored) = try JournalTesting.open(directory.journal)
        #expect(Set(restored.entriesInInsertionOrder.map(\.hash)) == [txs[0].hash, txs[1].hash])
        #expect(restored.latestBlock == 2)
        await journal.close()
        await #expect(throws: TxPoolJournal.JournalError.closed) {
            try await journal.append([.block(3)])
        }
    }

    @Test func tornTailIsCutOffWithoutKeepingACopy() async throws {
        let directory = try ScratchDirectory()
        let hashes = try await JournalTesting.writeJournal(directory.journal, JournalTesting.transactions(3))
        var bytes = try directory.bytes("tx-pool.journal")
        bytes.removeLast(10)  // a crash in the middle of the last record's write
        try Data(bytes).write(to: URL(fileURLWithPath: directory.journal))
        let (journal, restored) = try JournalTesting.open(directory.journal)
        #expect(Set(restored.entriesInInsertionOrder.map(\.hash)) == Set(hashes.prefix(2)))
        #expect(journal.recovery.tornTailBytes > 0)
        #expect(!journal.recovery.isDamaged)
        #expect(directory.files(startingWith: "tx-pool.journal.") == [])
    }

    @Test func compactionBoundsTheFile() async throws {
        let directory = try ScratchDirectory()
        let (journal, restoredAtStart) = try JournalTesting.open(directory.journal)
        var pool = restoredAtStart
        for i in 0..<200 {
            let tx = TestTx.make(nullifiers: [UInt64(i) + 1], proofSize: 10_000)
            _ = try pool.insert(tx, now: t0).get()
            journal.appendInBackground([.added(try JournalTesting.entry(pool, tx.hash)), .removed(tx.hash)])
            pool.remove(tx.hash)
            journal.compactIfNeeded(pool)
        }
        try await journal.append([])  // waits for everything queued before
        #expect(journal.fileSize <= 2 * pool.byteCount + 1024 * 1024 + 11_000)
        #expect(journal.fileSize < 200 * 10_000)
        let onDisk = try FileManager.default.attributesOfItem(atPath: directory.journal)[.size] as? Int
        #expect(onDisk == journal.fileSize)
        #expect(journal.failureCount == 0)
    }

    @Test func restoreAppliesTheCurrentLimits() async throws {
        let directory = try ScratchDirectory()
        let txs = (0..<10).map { TestTx.make(nullifiers: [UInt64($0) + 1], fee: UInt128($0)) }
        _ = try await JournalTesting.writeJournal(directory.journal, txs)
        let (_, smaller) = try JournalTesting.open(directory.journal, config: TxPoolConfig(maxTransactions: 3))
        #expect(smaller.pending(limit: 10).map(\.priorityFee) == [9, 8, 7])
    }

    /// A journal written by the previous release (`AZTXPJ01`) is read and rewritten in the current format.
    @Test func legacyJournalIsMigrated() async throws {
        let directory = try ScratchDirectory()
        var pool = TxPool()
        let txs = JournalTesting.transactions(5)
        var records: [TxPoolJournal.Record] = []
        for tx in txs {
            _ = try pool.insert(tx, now: t0).get()
            records.append(.added(try JournalTesting.entry(pool, tx.hash)))
        }
        records += [.removed(txs[0].hash), .block(7)]
        try Data(JournalTesting.legacyJournal(records)).write(to: URL(fileURLWithPath: directory.journal))

        let (journal, restored) = try JournalTesting.open(directory.journal)
        #expect(Set(restored.entriesInInsertionOrder.map(\.hash)) == Set(txs.dropFirst().map(\.hash)))
        #expect(restored.latestBlock == 7)
        #expect(journal.recovery.format == .legacy)
        #expect(journal.recovery.recordsRestored == 7)
        #expect(!journal.recovery.isDamaged)
        #expect(try directory.bytes("tx-pool.journal").prefix(8).elementsEqual("AZTXPJ02".utf8))
        await journal.close()
        let (again, restoredAgain) = try JournalTesting.open(directory.journal)
        #expect(again.recovery.format == .current)
        #expect(restoredAgain.count == 4)
    }
}
