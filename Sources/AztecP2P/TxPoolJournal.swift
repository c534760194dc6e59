#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Snappy

/// Pool persistence: an append-only journal file, compacted into a snapshot of the live pool.
///
/// Why a journal and not SQLite (GRDB): the pool lives in memory and the file only has to
/// rebuild it after a restart, so no queries are needed. A journal costs one sequential append per
/// change (the transaction's SSZ on add, 33 bytes on removal), survives a crash of the process
/// (records are written with `write(2)` at once; a torn last record is detected by its CRC and
/// cut off), and adds nothing to the build, where GRDB would add a C library and a large Swift
/// module. Compaction (write the live pool to a temporary file, `fsync`, `rename`) runs at open
/// and whenever the file exceeds twice the live bytes plus 1 MiB, so the file stays bounded.
///
/// Format: the 8-byte magic `AZTXPJ01`, then records `[len: u32 LE][kind: u8][body][crc32c(kind ‖ body): u32 LE]`
/// where `len` counts kind and body. Kinds: 1 = added (`receivedAt` seconds i64 LE,
/// attoseconds i64 LE, SSZ of the transaction); 2 = removed (32-byte hash); 3 = block (u64 LE number).
public final class TxPoolJournal {
    public enum JournalError: Error, Hashable, Sendable {
        case cannotOpen(path: String, errno: Int32)
        case writeFailed(errno: Int32)
    }

    static let magic: [UInt8] = Array("AZTXPJ01".utf8)
    static let maxRecordLength = 16 * 1024 * 1024 + 64

    public let path: String
    private var fd: Int32
    /// Bytes in the file now.
    public private(set) var fileSize: Int

    private init(path: String, fd: Int32, fileSize: Int) {
        self.path = path
        self.fd = fd
        self.fileSize = fileSize
    }

    deinit { if fd >= 0 { sysClose(fd) } }

    /// Opens (or creates) the journal at `path`, rebuilds the pool it describes under `config` and
    /// `limits` (records that no longer fit are dropped), then compacts the file.
    /// - Returns: the journal and the restored pool.
    public static func open(path: String, pool config: TxPoolConfig, limits: TxLimits) throws(JournalError) -> (TxPoolJournal, TxPool) {
        var pool = TxPool(config: config)
        if let bytes = readFile(path) { replay(bytes, into: &pool, limits: limits) }
        let journal = try writeSnapshot(of: pool, to: path)
        return (journal, pool)
    }

    /// Applies the records of a journal file to `pool`; stops at the first torn or corrupt record.
    /// - Returns: the number of records applied.
    @discardableResult
    static func replay(_ bytes: [UInt8], into pool: inout TxPool, limits: TxLimits) -> Int {
        guard bytes.count >= magic.count, bytes.prefix(magic.count).elementsEqual(magic) else { return 0 }
        var offset = magic.count
        var applied = 0
        while bytes.count - offset >= 9 {
            let length = Int(readUInt32(bytes, offset))
            guard length >= 1, length <= maxRecordLength, bytes.count - offset - 4 - 4 >= length else { break }
            let start = offset + 4
            let crc = readUInt32(bytes, start + length)
            guard CRC32C.checksum(bytes[start..<(start + length)]) == crc else { break }
            let kind = bytes[start]
            let body = Array(bytes[(start + 1)..<(start + length)])
            switch kind {
            case 1 where body.count >= 16:
                let seconds = Int64(bitPattern: readUInt64(body, 0))
                let attos = Int64(bitPattern: readUInt64(body, 8))
                let ssz = Array(body[16...])
                if let tx = try? TxWireCodec.decode(ssz: ssz, limits: limits) {
                    _ = pool.insert(tx, size: ssz.count, now: Duration(secondsComponent: seconds, attosecondsComponent: attos))
                }
            case 2 where body.count == 32:
                if let hash = TxHash(bytes: body) { pool.remove(hash) }
            case 3 where body.count == 8:
                pool.setLatestBlock(readUInt64(body, 0))
            default:
                break
            }
            applied += 1
            offset = start + length + 4
        }
        return applied
    }

    /// Appends an "added" record.
    public func recordAdded(_ entry: TxPool.Entry) throws(JournalError) {
        let ssz = entry.transaction.sszEncoded()
        var body = [UInt8]()
        body.reserveCapacity(16 + ssz.count)
        let (seconds, attos) = entry.receivedAt.components
        appendUInt64(&body, UInt64(bitPattern: seconds))
        appendUInt64(&body, UInt64(bitPattern: attos))
        body += ssz
        try append(kind: 1, body: body)
    }

    /// Appends "removed" records.
    public func recordRemoved(_ removals: [TxPool.Removal]) throws(JournalError) {
        for removal in removals { try append(kind: 2, body: removal.hash.bytes) }
    }

    /// Appends a "block" record (the newest published block, for expiry after restart).
    public func recordBlock(_ number: UInt64) throws(JournalError) {
        var body = [UInt8]()
        appendUInt64(&body, number)
        try append(kind: 3, body: body)
    }

    /// Rewrites the file as a snapshot of `pool` when it has grown past twice the live bytes plus 1 MiB.
    public func compactIfNeeded(_ pool: TxPool) throws(JournalError) {
        guard fileSize > 2 * pool.byteCount + 1024 * 1024 else { return }
        try compact(pool)
    }

    /// Rewrites the file as a snapshot of `pool`.
    public func compact(_ pool: TxPool) throws(JournalError) {
        let fresh = try Self.writeSnapshot(of: pool, to: path)
        sysClose(fd)
        fd = fresh.fd
        fileSize = fresh.fileSize
        fresh.fd = -1
    }

    /// Flushes to stable storage.
    public func sync() { _ = fsync(fd) }

    private static func writeSnapshot(of pool: TxPool, to path: String) throws(JournalError) -> TxPoolJournal {
        let temporary = path + ".tmp"
        let tfd = sysOpen(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard tfd >= 0 else { throw .cannotOpen(path: temporary, errno: errno) }
        let journal = TxPoolJournal(path: path, fd: tfd, fileSize: 0)
        try journal.write(magic)
        if let latest = pool.latestBlock { try journal.recordBlock(latest) }
        for entry in pool.entriesInInsertionOrder { try journal.recordAdded(entry) }
        _ = fsync(tfd)
        guard rename(temporary, path) == 0 else { throw .cannotOpen(path: path, errno: errno) }
        return journal
    }

    private func append(kind: UInt8, body: [UInt8]) throws(JournalError) {
        var record = [UInt8]()
        record.reserveCapacity(body.count + 9)
        appendUInt32(&record, UInt32(body.count + 1))
        record.append(kind)
        record += body
        let crc = CRC32C.checksum(record[4...])
        appendUInt32(&record, crc)
        try write(record)
    }

    private func write(_ bytes: [UInt8]) throws(JournalError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { sysWrite(fd, $0, written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(errno: errno)
            }
            written += n
        }
        fileSize += bytes.count
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let rfd = sysOpen(path, O_RDONLY | O_CLOEXEC, 0)
        guard rfd >= 0 else { return nil }
        defer { sysClose(rfd) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { sysRead(rfd, $0) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }
}

@inline(__always) private func readUInt32(_ b: [UInt8], _ o: Int) -> UInt32 {
    UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
}

@inline(__always) private func readUInt64(_ b: [UInt8], _ o: Int) -> UInt64 {
    UInt64(readUInt32(b, o)) | UInt64(readUInt32(b, o + 4)) << 32
}

@inline(__always) private func appendUInt32(_ b: inout [UInt8], _ v: UInt32) {
    b.append(UInt8(truncatingIfNeeded: v)); b.append(UInt8(truncatingIfNeeded: v >> 8))
    b.append(UInt8(truncatingIfNeeded: v >> 16)); b.append(UInt8(truncatingIfNeeded: v >> 24))
}

@inline(__always) private func appendUInt64(_ b: inout [UInt8], _ v: UInt64) {
    appendUInt32(&b, UInt32(truncatingIfNeeded: v)); appendUInt32(&b, UInt32(truncatingIfNeeded: v >> 32))
}

private func sysOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func sysClose(_ fd: Int32) { _ = close(fd) }
private func sysWrite(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, _ from: Int) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    return write(fd, base + from, buffer.count - from)
}
private func sysRead(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    return read(fd, base, buffer.count)
}
