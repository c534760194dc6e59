import Foundation
import Synchronization
import Testing
@testable import AztecP2P

/// A full disk (simulated by the file layer): a submission that cannot be journalled is an
/// error for its submitter, nothing acknowledged is lost, and a node starts on a full disk.
@Suite struct TxPoolJournalDiskFullTests {
    static func service(_ path: String, _ files: FaultyFileSystem, port: RecordingGossipPort = RecordingGossipPort(),
                        events: (@Sendable (TxPoolJournalEvent) -> Void)? = nil) throws -> AztecTxService {
        let config = try AztecTxServiceConfig().validated()
        let opened = try TxPoolJournal.open(path: path, pool: config.pool, limits: config.validation.limits,
                                            fileSystem: files, threadPool: .singleton, events: events)
        return AztecTxService(config: config, state: FixedState(), proofVerifier: FixedVerifier(), gossip: port,
                              journal: opened, clock: ManualClock().function)
    }

    static func isNotPersisted(_ error: any Error) -> Bool {
        if case .notPersisted = error as? TxSubmitError { true } else { false }
    }

    /// Red-team: "disk full: every node_sendTx is still acknowledged; after kill -9, 52 of 100
    /// acknowledged remain". Now the refused submission is an error, and every acknowledged
    /// transaction is in the file, whatever happens after.
    @Test func fullDiskRefusesTheSubmissionAndLosesNothingAcknowledged() async throws {
        let directory = try ScratchDirectory()
        let files = FaultyFileSystem()
        let port = RecordingGossipPort()
        let failures = EventLog()
        let service = try Self.service(directory.journal, files, port: port, events: failures.record)
        await service.syncStatusChanged(synced: true)
        var acknowledged: [TxHash] = []
        for tx in JournalTesting.transactions(5) { acknowledged.append(try await service.submit(ssz: tx.sszEncoded())) }

        files.setSpaceLeft(100)  // less than one record: the write is cut short, then ENOSPC
        let refused = TestTx.make(nullifiers: [100])
        await #expect(performing: { try await service.submit(ssz: refused.sszEncoded()) }, throws: Self.isNotPersisted)
        #expect(await service.transaction(refused.hash) == nil, "not left in the pool")
        #expect(await port.published.count == 5, "not published")
        // The refused write, and perhaps already the rollback's removal record behind it.
        #expect(await service.journalFailureCount >= 1)
        #expect(await service.metrics.submissionsNotPersisted == 1)
        #expect(failures.events.contains(.writeFailed(.writeFailed(errno: ENOSPC))))

        // A replacement refused for want of space puts back what it replaced.
        let original = try #require(await service.transaction(acknowledged[0]))
        let replacement = TestTx.make(nullifiers: [1], fee: 1_000)
        await #expect(performing: { try await service.submit(ssz: replacement.sszEncoded()) }, throws: Self.isNotPersisted)
        #expect(await service.transaction(acknowledged[0])?.transaction == original.transaction)
        #expect(await service.transaction(replacement.hash) == nil)

        // Gossip is pooled in memory even though its record cannot be written.
        let gossiped = TestTx.make(nullifiers: [200])
        #expect(await service.handleGossip(TxWireCodec.encode(gossiped)).gossipResult == .accept)
        await service.tick()  // a compaction is due after the failure: it fails too, the old file stays
        await service.shutdown()  // and again; the file is flushed and closed
        #expect(failures.events.contains { if case .compactionFailed = $0 { true } else { false } })
        #expect(directory.files(startingWith: "tx-pool.journal.tmp") == [])

        // The restart (like one after kill -9: every acknowledgement waited for its flush).
        let (journal, restored) = try JournalTesting.open(directory.journal)
        #expect(Set(acknowledged).isSubset(of: Set(restored.entriesInInsertionOrder.map(\.hash))))
        #expect(restored.entry(refused.hash) == nil)
        #expect(!journal.recovery.isDamaged, "the cut-short write was cut back: \(journal.recovery)")
        #expect(journal.recovery.tornTailBytes == 0)
    }

    @Test func submissionsAreAcceptedAgainOnceSpaceIsBack() async throws {
        let directory = try ScratchDirectory()
        let files = FaultyFileSystem()
        let service = try Self.service(directory.journal, files)
        await service.syncStatusChanged(synced: true)
        let first = TestTx.make(nullifiers: [1])
        _ = try await service.submit(ssz: first.sszEncoded())
        files.setSpaceLeft(0)
        let gossiped = TestTx.make(nullifiers: [2])
        #expect(await service.handleGossip(TxWireCodec.encode(gossiped)).gossipResult == .accept)
        await #expect(performing: { try await service.submit(ssz: TestTx.make(nullifiers: [3]).sszEncoded()) },
                      throws: Self.isNotPersisted)
        files.setSpaceLeft(nil)
        let later = TestTx.make(nullifiers: [4])
        #expect(try await service.submit(ssz: later.sszEncoded()) == later.hash)
        await service.shutdown()  // the compaction writes the whole pool, the gossiped transaction too
        let (_, restored) = try JournalTesting.open(directory.journal)
        #expect(Set(restored.entriesInInsertionOrder.map(\.hash)) == [first.hash, gossiped.hash, later.hash])
    }

    /// Red-team: "restarting on the full disk fails because compaction needs a second copy".
    @Test func startOnAFullDiskRestoresAndRuns() async throws {
        let directory = try ScratchDirectory()
        let hashes = try await JournalTesting.writeJournal(directory.journal, JournalTesting.transactions(50))
        let files = FaultyFileSystem()
        files.setSpaceLeft(0)
        let service = try Self.service(directory.journal, files)
        #expect(await service.poolStats.count == 50)
        #expect(service.journal?.recovery.rewriteError == .writeFailed(errno: ENOSPC))
        #expect(directory.files(startingWith: "tx-pool.journal.") == [])
        await service.syncStatusChanged(synced: true)
        await #expect(performing: { try await service.submit(ssz: TestTx.make(nullifiers: [900]).sszEncoded()) },
                      throws: Self.isNotPersisted)
        files.setSpaceLeft(nil)
        let later = TestTx.make(nullifiers: [901])
        _ = try await service.submit(ssz: later.sszEncoded())  // appended to the old file
        let (_, restored) = try JournalTesting.open(directory.journal)
        #expect(Set(restored.entriesInInsertionOrder.map(\.hash)) == Set(hashes + [later.hash]))
        await service.shutdown()
    }

    /// A damaged journal on a full disk: kept aside by a hard link (no space needed), restored,
    /// and appended to; the next start finds the new records after the damage.
    @Test func damagedJournalOnAFullDiskIsKeptAndAppendedTo() async throws {
        let directory = try ScratchDirectory()
        let hashes = try await JournalTesting.writeJournal(directory.journal, JournalTesting.transactions(20))
        var bytes = try directory.bytes("tx-pool.journal")
        bytes[JournalTesting.recordRanges(bytes)[5].lowerBound + 30] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: directory.journal))
        let files = FaultyFileSystem()
        files.setSpaceLeft(0)
        let (journal, pool) = try JournalTesting.open(directory.journal, fileSystem: files)
        #expect(pool.count == 19)
        let copy = try #require(journal.recovery.damagedCopyPath)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: copy))) == bytes)
        #expect(journal.isWritable)
        files.setSpaceLeft(nil)
        var grown = pool
        let later = TestTx.make(nullifiers: [500])
        _ = try grown.insert(later, now: JournalTesting.t0).get()
        try await journal.append([.added(try JournalTesting.entry(grown, later.hash))])
        await journal.close()
        let (_, restored) = try JournalTesting.open(directory.journal)
        var expected = Set(hashes)
        expected.remove(hashes[4])
        expected.insert(later.hash)
        #expect(Set(restored.entriesInInsertionOrder.map(\.hash)) == expected)
    }

    /// An old-format journal on a full disk cannot be migrated: the pool is restored, the file
    /// left as it is, and submissions refused until a compaction succeeds.
    @Test func legacyJournalOnAFullDiskRefusesSubmissionsUntilMigrated() async throws {
        let directory = try ScratchDirectory()
        var pool = TxPool()
        let txs = JournalTesting.transactions(4)
        for tx in txs { _ = try pool.insert(tx, now: JournalTesting.t0).get() }
        let legacy = JournalTesting.legacyJournal(try txs.map { .added(try JournalTesting.entry(pool, $0.hash)) })
        try Data(legacy).write(to: URL(fileURLWithPath: directory.journal))
        let files = FaultyFileSystem()
        files.setSpaceLeft(0)
        let service = try Self.service(directory.journal, files)
        await service.syncStatusChanged(synced: true)
        #expect(await service.poolStats.count == 4)
        #expect(service.journal?.isWritable == false)
        let tx = TestTx.make(nullifiers: [77])
        await #expect(performing: { try await service.submit(ssz: tx.sszEncoded()) }, throws: Self.isNotPersisted)
        #expect(try directory.bytes("tx-pool.journal") == legacy)

        files.setSpaceLeft(nil)
        await service.tick()  // the migration is due
        try? await service.journal?.append([])  // waits for it
        #expect(service.journal?.isWritable == true)
        _ = try await service.submit(ssz: tx.sszEncoded())
        let (journal, restored) = try JournalTesting.open(directory.journal)
        #expect(journal.recovery.format == .current)
        #expect(Set(restored.entriesInInsertionOrder.map(\.hash)) == Set(txs.map(\.hash) + [tx.hash]))
        await service.shutdown()
    }

    /// Journal I/O runs off the service's actor: while a submission's flush is held, the service
    /// still answers, and the submission is neither acknowledged nor published.
    @Test(.timeLimit(.minutes(1)))
    func theActorIsNotBlockedByAFlushAndAcknowledgesAfterIt() async throws {
        let directory = try ScratchDirectory()
        let files = FaultyFileSystem()
        let port = RecordingGossipPort()
        let service = try Self.service(directory.journal, files, port: port)
        await service.syncStatusChanged(synced: true)
        files.holdSyncs()
        let tx = TestTx.make(nullifiers: [1])
        let submission = Task { try await service.submit(ssz: tx.sszEncoded()) }
        var held = files.heldSyncs.makeAsyncIterator()
        _ = await held.next()
        #expect(await service.poolStats.count == 1)
        #expect(await service.handleGossip(TxWireCodec.encode(TestTx.make(nullifiers: [2]))).gossipResult == .accept)
        #expect(await port.published.isEmpty, "not published before it is on disk")
        files.releaseSyncs()
        #expect(try await submission.value == tx.hash)
        #expect(await port.published == [TxWireCodec.encode(tx)])
        await service.shutdown()
    }
}

/// The journal events reported, in order.
final class EventLog: Sendable {
    private let stored = Mutex<[TxPoolJournalEvent]>([])
    var events: [TxPoolJournalEvent] { stored.withLock { $0 } }
    var record: @Sendable (TxPoolJournalEvent) -> Void { { [self] event in stored.withLock { $0.append(event) } } }
}

