import Foundation
import NIOPosix
import Snappy
import Synchronization
@testable import AztecP2P

/// The POSIX file layer with failures on demand: a disk with `spaceLeft` bytes left (writes
/// past it are short, then fail with `ENOSPC`), read errors, and flushes held until released.
final class FaultyFileSystem: JournalFileSystem {
    private struct Faults {
        var spaceLeft: Int?
        var readError: Int32?
        var openError: Int32?
        var linkError: Int32?
        var holdSyncs = false
        var syncs = 0
    }

    private let posix = PosixJournalFileSystem()
    private let faults = Mutex(Faults())
    private let released = DispatchSemaphore(value: 0)
    private let syncStarted: AsyncStream<Void>.Continuation
    /// One element each time a held flush starts waiting.
    let heldSyncs: AsyncStream<Void>

    init() { (heldSyncs, syncStarted) = AsyncStream.makeStream() }

    /// Bytes that can still be written (`nil`: no limit).
    func setSpaceLeft(_ bytes: Int?) { faults.withLock { $0.spaceLeft = bytes } }
    func failReads(with code: Int32?) { faults.withLock { $0.readError = code } }
    func failOpensForReading(with code: Int32?) { faults.withLock { $0.openError = code } }
    /// Hard links fail with `code` (a file system without them: EPERM).
    func failLinks(with code: Int32?) { faults.withLock { $0.linkError = code } }
    /// Flushes wait until ``releaseSyncs()``.
    func holdSyncs() { faults.withLock { $0.holdSyncs = true } }
    func releaseSyncs() {
        faults.withLock { $0.holdSyncs = false }
        released.signal()
    }
    /// Flushes made so far.
    var syncCount: Int { faults.withLock { $0.syncs } }

    func type(atPath path: String) -> Result<JournalFileType?, SystemErrno> { posix.type(atPath: path) }
    func openForReading(_ path: String) -> Result<Int32, SystemErrno> {
        if let code = faults.withLock({ $0.openError }) { return .failure(SystemErrno(code: code)) }
        return posix.openForReading(path)
    }
    func openForAppending(_ path: String, create: Bool) -> Result<Int32, SystemErrno> {
        posix.openForAppending(path, create: create)
    }

    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<Int, SystemErrno> {
        if let code = faults.withLock({ $0.readError }) { return .failure(SystemErrno(code: code)) }
        return posix.read(fd, into: buffer, at: offset)
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, SystemErrno> {
        let allowed = faults.withLock { faults -> Int in
            guard let left = faults.spaceLeft else { return bytes.count }
            let n = min(left, bytes.count)
            faults.spaceLeft = left - n
            return n
        }
        guard allowed > 0 else { return .failure(SystemErrno(code: ENOSPC)) }
        return posix.write(fd, UnsafeRawBufferPointer(rebasing: bytes[..<allowed]))
    }

    func synchronize(_ fd: Int32) -> Result<Void, SystemErrno> {
        let hold = faults.withLock { faults in
            faults.syncs += 1
            return faults.holdSyncs
        }
        if hold {
            syncStarted.yield()
            released.wait()
        }
        return posix.synchronize(fd)
    }

    func truncate(_ fd: Int32, to size: Int) -> Result<Void, SystemErrno> { posix.truncate(fd, to: size) }
    func rename(_ from: String, to: String) -> Result<Void, SystemErrno> { posix.rename(from, to: to) }
    func link(_ from: String, to: String) -> Result<Void, SystemErrno> {
        if let code = faults.withLock({ $0.linkError }) { return .failure(SystemErrno(code: code)) }
        return posix.link(from, to: to)
    }
    func unlink(_ path: String) { posix.unlink(path) }
    func synchronizeDirectory(of path: String) -> Result<Void, SystemErrno> { posix.synchronizeDirectory(of: path) }
    func close(_ fd: Int32) { posix.close(fd) }
}

/// A scratch directory removed at the end of the test.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("aztec-journal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var journal: String { path + "/tx-pool.journal" }

    /// The names in the directory starting with `prefix`.
    func files(startingWith prefix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasPrefix(prefix) }.sorted()
    }

    func bytes(_ name: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path + "/" + name))) }
}

enum JournalTesting {
    static let t0 = Duration.seconds(1_700_000_000)

    /// Opens the journal at `path` through `fileSystem`.
    static func open(_ path: String, config: TxPoolConfig = TxPoolConfig(), fileSystem: any JournalFileSystem = PosixJournalFileSystem(),
                     events: (@Sendable (TxPoolJournalEvent) -> Void)? = nil) throws -> (TxPoolJournal, TxPool) {
        try TxPoolJournal.open(path: path, pool: config, limits: .default, fileSystem: fileSystem, threadPool: .singleton, events: events)
    }

    /// Distinct small transactions.
    static func transactions(_ count: Int, from first: UInt64 = 1) -> [AztecTransaction] {
        (0..<count).map { TestTx.make(nullifiers: [first + UInt64($0)], fee: UInt128($0 % 50) + 1) }
    }

    /// Writes a journal of `transactions` (one "added" record each, after a block record).
    /// - Returns: the hashes, in record order.
    static func writeJournal(_ path: String, _ transactions: [AztecTransaction]) async throws -> [TxHash] {
        let (journal, restored) = try open(path)
        var pool = restored
        var records: [TxPoolJournal.Record] = [.block(1)]
        for tx in transactions {
            _ = try pool.insert(tx, now: t0).get()
            records.append(.added(try entry(pool, tx.hash)))
        }
        try await journal.append(records)
        await journal.close()
        return transactions.map(\.hash)
    }

    static func entry(_ pool: TxPool, _ hash: TxHash) throws -> TxPool.Entry {
        guard let entry = pool.entry(hash) else { throw CocoaError(.coderValueNotFound) }
        return entry
    }

    /// The records' byte ranges in a version 2 journal (found by walking the lengths).
    static func recordRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var offset = TxPoolJournalFormat.headerSize
        while offset + TxPoolJournalFormat.recordOverhead <= bytes.count {
            let length = Int(bytes.littleEndian32(at: offset + 8))
            let end = offset + TxPoolJournalFormat.recordOverhead + length
            guard end <= bytes.count else { break }
            ranges.append(offset..<end)
            offset = end
        }
        return ranges
    }

    /// A version 1 (`AZTXPJ01`) journal of `records`, as the previous release wrote it.
    static func legacyJournal(_ records: [TxPoolJournal.Record]) -> [UInt8] {
        var bytes = TxPoolJournalFormat.legacyMagic
        for record in records {
            // The version 2 framing minus the marker, with the CRC over kind and body only.
            var framed: [UInt8] = []
            TxPoolJournalFormat.append(record, marker: [], to: &framed)
            let kindAndBody = framed[4..<(framed.count - 4)]
            bytes.appendLittleEndian32(UInt32(kindAndBody.count))
            bytes += kindAndBody
            bytes.appendLittleEndian32(CRC32C.checksum(kindAndBody))
        }
        return bytes
    }
}
