import Foundation
import Testing
@testable import AztecP2P

/// A damaged journal: every intact record is restored, the damaged file is kept aside, and the
/// journal written at open holds what was restored.
@Suite struct TxPoolJournalDamageTests {
    /// 1,044 transactions, as in the red-team report: one block record, then one record each.
    static let transactions = JournalTesting.transactions(1_044)

    struct Damaged {
        let directory: ScratchDirectory
        let hashes: [TxHash]
        /// The journal's bytes before and after the damage.
        let intact: [UInt8]
        let damaged: [UInt8]
        /// Record ranges; record 0 is the block record, record i + 1 adds transaction i.
        let ranges: [Range<Int>]
    }

    /// Writes the journal, then damages its bytes with `damage`.
    static func damagedJournal(_ damage: (inout [UInt8], [Range<Int>]) -> Void) async throws -> Damaged {
        let directory = try ScratchDirectory()
        let hashes = try await JournalTesting.writeJournal(directory.journal, transactions)
        let intact = try directory.bytes("tx-pool.journal")
        let ranges = JournalTesting.recordRanges(intact)
        #expect(ranges.count == transactions.count + 1)
        var damaged = intact
        damage(&damaged, ranges)
        try Data(damaged).write(to: URL(fileURLWithPath: directory.journal))
        return Damaged(directory: directory, hashes: hashes, intact: intact, damaged: damaged, ranges: ranges)
    }

    /// Opens the damaged journal and checks that exactly the transactions outside `lost` (indices
    /// of transactions) are restored, that the damaged file is kept byte for byte, and that the
    /// new journal restores the same pool.
    static func expectRestored(_ d: Damaged, losing lost: Set<Int>, latestBlock: UInt64? = 1) throws {
        let (journal, pool) = try JournalTesting.open(d.directory.journal)
        let expected = Set(d.hashes.enumerated().filter { !lost.contains($0.offset) }.map(\.element))
        #expect(Set(pool.entriesInInsertionOrder.map(\.hash)) == expected)
        #expect(pool.count == d.hashes.count - lost.count)
        #expect(pool.latestBlock == latestBlock)
        let recovery = journal.recovery
        #expect(recovery.isDamaged, "\(recovery)")
        #expect(recovery.transactions == expected.count)
        let copies = d.directory.files(startingWith: "tx-pool.journal.damaged-")
        #expect(copies.count == 1)
        if let copy = copies.first {
            #expect(recovery.damagedCopyPath == d.directory.path + "/" + copy)
            #expect(try d.directory.bytes(copy) == d.damaged, "the damaged file is kept as it was")
        }
        #expect(d.directory.files(startingWith: "tx-pool.journal.tmp") == [])
        // The rewritten journal is intact and holds what was restored.
        let (again, reopened) = try JournalTesting.open(d.directory.journal)
        #expect(!again.recovery.isDamaged)
        #expect(Set(reopened.entriesInInsertionOrder.map(\.hash)) == expected)
    }

    @Test func oneFlippedBitInRecordTenLosesOnlyThatRecord() async throws {
        let d = try await Self.damagedJournal { bytes, ranges in bytes[ranges[10].lowerBound + 40] ^= 0x04 }
        try Self.expectRestored(d, losing: [9])
    }

    @Test func flippedBitsAtSeveralPlacesLoseOnlyTheirRecords() async throws {
        let records = [3, 250, 251, 700, 1_044]  // 1,044: the last record
        let d = try await Self.damagedJournal { bytes, ranges in
            for record in records { bytes[ranges[record].lowerBound + 30] ^= 0x80 }
        }
        try Self.expectRestored(d, losing: Set(records.map { $0 - 1 }))
    }

    @Test func sixteenFlippedBytesMidFileLoseOnlyTheRecordsTheyTouch() async throws {
        var touched: Set<Int> = []
        let d = try await Self.damagedJournal { bytes, ranges in
            let start = bytes.count / 2
            for i in start..<(start + 16) { bytes[i] ^= 0xFF }
            touched = Set(ranges.indices.filter { ranges[$0].overlaps(start..<(start + 16)) }.map { $0 - 1 })
        }
        #expect(!touched.isEmpty)
        try Self.expectRestored(d, losing: touched)
    }

    @Test func damagedMarkersAndCRCsAreSkipped() async throws {
        let d = try await Self.damagedJournal { bytes, ranges in
            bytes[ranges[5].lowerBound] ^= 0x01  // the marker
            bytes[ranges[6].upperBound - 1] ^= 0x01  // the CRC
        }
        try Self.expectRestored(d, losing: [4, 5])
    }

    /// A length field damaged to a huge value (more than any record) or to a plausible wrong one.
    @Test func damagedLengthFieldsAreSkipped() async throws {
        let d = try await Self.damagedJournal { bytes, ranges in
            for i in 0..<4 { bytes[ranges[20].lowerBound + 8 + i] = 0xFF }
            bytes[ranges[40].lowerBound + 9] ^= 0x01  // +256 bytes: the CRC is looked for in the next record
            bytes[ranges[60].lowerBound + 8] = 1  // shorter
        }
        try Self.expectRestored(d, losing: [19, 39, 59])
    }

    /// Red-team: "bad magic: 0 records restored". Now all of them are.
    @Test func badMagicLosesNothing() async throws {
        let d = try await Self.damagedJournal { bytes, _ in bytes.replaceSubrange(0..<8, with: Array("NOTAJRNL".utf8)) }
        try Self.expectRestored(d, losing: [])
        let (journal, _) = try JournalTesting.open(d.directory.journal)
        #expect(journal.recovery.format == .current)
    }

    /// The header's marker damaged too: the first record's marker is used.
    @Test func damagedHeaderMarkerLosesNothing() async throws {
        let d = try await Self.damagedJournal { bytes, _ in
            bytes[2] ^= 0x10
            bytes[10] ^= 0x10
        }
        try Self.expectRestored(d, losing: [])
    }

    /// Without hard links the damaged file is copied aside; the journal keeps its name throughout.
    @Test func damagedJournalIsCopiedWhereHardLinksAreNotSupported() async throws {
        let d = try await Self.damagedJournal { bytes, ranges in bytes[ranges[7].lowerBound + 20] ^= 0x08 }
        let files = FaultyFileSystem()
        files.failLinks(with: EPERM)
        let (journal, pool) = try JournalTesting.open(d.directory.journal, fileSystem: files)
        #expect(pool.count == d.hashes.count - 1)
        let copy = try #require(journal.recovery.damagedCopyPath)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: copy))) == d.damaged)
        let (_, reopened) = try JournalTesting.open(d.directory.journal)
        #expect(reopened.count == d.hashes.count - 1)
    }

    /// Garbage after the last record (not a torn record: it does not start with the marker).
    @Test func trailingGarbageIsDamageAndKept() async throws {
        let d = try await Self.damagedJournal { bytes, _ in bytes += [UInt8](repeating: 0, count: 4096) }
        try Self.expectRestored(d, losing: [])
    }

    /// An old-format journal damaged in its middle: the records before the damage are restored
    /// (that format has no markers to resynchronise on) and the file is kept.
    @Test func damagedLegacyJournalIsKept() async throws {
        let directory = try ScratchDirectory()
        var pool = TxPool()
        let txs = JournalTesting.transactions(10)
        var records: [TxPoolJournal.Record] = []
        for tx in txs {
            _ = try pool.insert(tx, now: JournalTesting.t0).get()
            records.append(.added(try JournalTesting.entry(pool, tx.hash)))
        }
        var bytes = JournalTesting.legacyJournal(records)
        bytes[bytes.count / 2] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: directory.journal))
        let (journal, restored) = try JournalTesting.open(directory.journal)
        #expect(journal.recovery.format == .legacy)
        #expect(journal.recovery.isDamaged)
        #expect(restored.count >= 4 && restored.count < 10)
        let copies = directory.files(startingWith: "tx-pool.journal.damaged-")
        #expect(copies.count == 1)
        if let copy = copies.first { #expect(try directory.bytes(copy) == bytes) }
    }

    /// Hostile bytes: random damage never traps, and every record it did not touch is restored.
    @Test func randomDamageNeverTrapsAndKeepsUntouchedRecords() async throws {
        let directory = try ScratchDirectory()
        let txs = JournalTesting.transactions(30)
        let hashes = try await JournalTesting.writeJournal(directory.journal, txs)
        let intact = try directory.bytes("tx-pool.journal")
        let ranges = JournalTesting.recordRanges(intact)
        var rng = SplitMix64(seed: 15)
        for round in 0..<150 {
            var bytes = intact
            var touched: Set<Int> = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let offset = Int.random(in: TxPoolJournalFormat.headerSize..<bytes.count, using: &rng)
                bytes[offset] ^= UInt8.random(in: 1...255, using: &rng)
                touched.formUnion(ranges.indices.filter { ranges[$0].contains(offset) })
            }
            if round % 5 == 0 { bytes.removeLast(Int.random(in: 1...200, using: &rng)) }
            let cut = bytes.count
            touched.formUnion(ranges.indices.filter { ranges[$0].upperBound > cut })
            let pool = try #require(try Self.scan(bytes)).scan.pool
            let restored = Set(pool.entriesInInsertionOrder.map(\.hash))
            let expected = Set(hashes.indices.filter { !touched.contains($0 + 1) }.map { hashes[$0] })
            #expect(expected.isSubset(of: restored), "round \(round)")
            #expect(restored.isSubset(of: Set(hashes)), "round \(round)")
        }
        // Random bytes with no structure at all.
        for length in [1, 7, 15, 16, 17, 100, 5_000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let restored = try Self.scan(bytes)
            #expect(restored?.scan.pool.count == 0)
            #expect(restored?.recovery.isDamaged == true)
        }
    }

    /// Replays `bytes` as a journal file.
    static func scan(_ bytes: [UInt8]) throws -> TxPoolJournal.Restored? {
        try TxPoolJournal.scanFile(config: TxPoolConfig(), limits: .default) { buffer, offset in
            let n = max(0, min(buffer.count, bytes.count - offset))
            for i in 0..<n { buffer[i] = bytes[offset + i] }
            return .success(n)
        }
    }
}
