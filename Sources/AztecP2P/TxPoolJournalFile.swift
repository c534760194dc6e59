#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The journal file appended to, and its rewriting. Used by one thread at a time (the journal's
/// writer, or ``TxPoolJournal/open(path:pool:limits:events:)`` before it starts).
struct JournalFile: Sendable {
    typealias JournalError = TxPoolJournal.JournalError
    typealias Format = TxPoolJournalFormat

    let path: String
    let fileSystem: any JournalFileSystem
    /// Appended to; -1 while there is no file to append to (until a rewrite succeeds).
    private(set) var fd: Int32 = -1
    private(set) var size = 0
    private(set) var marker: [UInt8] = []
    /// A write failed, or the file is damaged or in the old format: rewrite at the next chance.
    private(set) var needsRewrite = true
    /// The file at `path` is damaged: a rewrite keeps it at this path first.
    private(set) var damagedCopyPath: String?
    /// What appends report while there is no file to append to.
    private(set) var unavailable = JournalError.writeFailed(errno: EIO)
    private(set) var isClosed = false

    init(path: String, fileSystem: any JournalFileSystem, damagedCopyPath: String?) {
        self.path = path
        self.fileSystem = fileSystem
        self.damagedCopyPath = damagedCopyPath
    }

    /// Whether records can be appended now.
    var isWritable: Bool { fd >= 0 && !isClosed }

    /// A rewrite is due: the file grew past twice the live bytes plus 1 MiB, or needs one anyway.
    func shouldRewrite(liveBytes: Int) -> Bool {
        !isClosed && (needsRewrite || size > 2 * liveBytes + 1024 * 1024)
    }

    /// Appends to `existing` (opened for appending, `size` bytes long, records framed by `marker`).
    mutating func adopt(_ existing: Int32, size: Int, marker: [UInt8]) {
        fd = existing
        self.size = size
        self.marker = marker
    }

    /// Writes `bytes` at the end, then flushes them to stable storage if `synchronize`. On failure
    /// the file is cut back to its previous end, so no partial record stays.
    mutating func append(_ bytes: [UInt8], synchronize: Bool) -> Result<Void, JournalError> {
        guard !isClosed else { return .failure(.closed) }
        guard fd >= 0 else { return .failure(unavailable) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { fileSystem.write(fd, UnsafeRawBufferPointer(rebasing: $0[written...])) }
            switch result {
            case .success(let n) where n > 0: written += n
            case .success: return .failure(failedAppend(SystemErrno(code: EIO)))
            case .failure(let error): return .failure(failedAppend(error))
            }
        }
        if synchronize, case .failure(let error) = fileSystem.synchronize(fd) { return .failure(failedAppend(error)) }
        size += bytes.count
        return .success(())
    }

    private mutating func failedAppend(_ error: SystemErrno) -> JournalError {
        _ = fileSystem.truncate(fd, to: size)
        needsRewrite = true
        return .writeFailed(errno: error.code)
    }

    /// Replaces the file by a snapshot of `pool`: written to `<path>.tmp`, flushed, renamed over
    /// the journal, and the directory flushed. A damaged file is kept aside first.
    /// On failure (a full disk) the temporary file is removed and the journal stays as it was.
    /// - Returns: where a damaged file was kept, if this rewrite kept one.
    mutating func rewrite(as pool: TxPool) -> Result<String?, JournalError> {
        guard !isClosed else { return .failure(.closed) }
        let temporary = path + ".tmp"
        let newFD: Int32
        switch fileSystem.openForAppending(temporary, create: true) {
        case .success(let fd): newFD = fd
        case .failure(let error): return .failure(.cannotWrite(path: temporary, errno: error.code))
        }
        let newMarker = Format.randomMarker()
        let written: Int
        switch writeSnapshot(of: pool, to: newFD, marker: newMarker) {
        case .success(let count): written = count
        case .failure(let error): return .failure(abandon(newFD, temporary, .writeFailed(errno: error.code)))
        }
        var keptAt: String?
        if damagedCopyPath != nil {
            switch keepDamagedCopy(allowCopy: true) {
            case .success(let path): keptAt = path
            case .failure(let error): return .failure(abandon(newFD, temporary, .cannotWrite(path: path, errno: error.code)))
            }
        }
        if case .failure(let error) = fileSystem.rename(temporary, to: path) {
            return .failure(abandon(newFD, temporary, .cannotWrite(path: path, errno: error.code)))
        }
        // The rename is done: a crash now leaves the new file or the old one, both complete.
        _ = fileSystem.synchronizeDirectory(of: path)
        if fd >= 0 { fileSystem.close(fd) }
        fd = newFD
        size = written
        marker = newMarker
        needsRewrite = false
        return .success(keptAt)
    }

    private func writeSnapshot(of pool: TxPool, to target: Int32, marker: [UInt8]) -> Result<Int, SystemErrno> {
        var buffer = Format.header(marker: marker)
        var total = 0
        func flush() -> SystemErrno? {
            var done = 0
            while done < buffer.count {
                let result = buffer.withUnsafeBytes { fileSystem.write(target, UnsafeRawBufferPointer(rebasing: $0[done...])) }
                switch result {
                case .success(let n) where n > 0: done += n
                case .success: return SystemErrno(code: EIO)
                case .failure(let error): return error
                }
            }
            total += buffer.count
            buffer.removeAll(keepingCapacity: true)
            return nil
        }
        if let latest = pool.latestBlock { Format.append(.block(latest), marker: marker, to: &buffer) }
        for entry in pool.entriesInInsertionOrder {
            Format.append(.added(entry), marker: marker, to: &buffer)
            if buffer.count >= 1 << 20, let error = flush() { return .failure(error) }
        }
        if let error = flush() { return .failure(error) }
        if case .failure(let error) = fileSystem.synchronize(target) { return .failure(error) }
        return .success(total)
    }

    private mutating func abandon(_ temporaryFD: Int32, _ temporary: String, _ error: JournalError) -> JournalError {
        fileSystem.close(temporaryFD)
        fileSystem.unlink(temporary)
        needsRewrite = true
        unavailable = error
        return error
    }

    /// Keeps the damaged file at ``damagedCopyPath`` (or that name with `-2`, `-3`… if taken) as a
    /// hard link, which needs no space; where links are not supported and `allowCopy`, as a copy.
    /// Either way the journal stays under its name until a rewrite replaces it.
    /// - Returns: the path kept at.
    mutating func keepDamagedCopy(allowCopy: Bool) -> Result<String, SystemErrno> {
        guard let base = damagedCopyPath else { return .failure(SystemErrno(code: EINVAL)) }
        for attempt in 1...100 {
            let name = attempt == 1 ? base : "\(base)-\(attempt)"
            switch fileSystem.link(path, to: name) {
            case .success:
                damagedCopyPath = nil
                return .success(name)
            case .failure(let error) where error.code == EEXIST:
                continue
            case .failure(let error):
                guard allowCopy else { return .failure(error) }
                guard case .success(nil) = fileSystem.type(atPath: name) else { continue }
                if let error = copy(to: name) {
                    fileSystem.unlink(name)
                    return .failure(error)
                }
                damagedCopyPath = nil
                return .success(name)
            }
        }
        return .failure(SystemErrno(code: EEXIST))
    }

    /// Copies the file at `path` to `target` and flushes the copy.
    private func copy(to target: String) -> SystemErrno? {
        let source: Int32
        switch fileSystem.openForReading(path) {
        case .success(let fd): source = fd
        case .failure(let error): return error
        }
        defer { fileSystem.close(source) }
        let destination: Int32
        switch fileSystem.openForAppending(target, create: true) {
        case .success(let fd): destination = fd
        case .failure(let error): return error
        }
        defer { fileSystem.close(destination) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        while true {
            let n: Int
            switch chunk.withUnsafeMutableBytes({ fileSystem.read(source, into: $0, at: offset) }) {
            case .success(let count): n = count
            case .failure(let error): return error
            }
            if n == 0 { break }
            var done = 0
            while done < n {
                switch chunk.withUnsafeBytes({ fileSystem.write(destination, UnsafeRawBufferPointer(rebasing: $0[done..<n])) }) {
                case .success(let written) where written > 0: done += written
                case .success: return SystemErrno(code: EIO)
                case .failure(let error): return error
                }
            }
            offset += n
        }
        if case .failure(let error) = fileSystem.synchronize(destination) { return error }
        return nil
    }

    /// Flushes and closes; later appends fail with ``TxPoolJournal/JournalError/closed``.
    mutating func close() {
        guard !isClosed else { return }
        if fd >= 0 {
            _ = fileSystem.synchronize(fd)
            fileSystem.close(fd)
            fd = -1
        }
        isClosed = true
    }
}
