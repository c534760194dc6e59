#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `errno` value from a failed system call.
struct SystemErrno: Error, Hashable, Sendable {
    let code: Int32
}

/// What is at a path, from `lstat` (symbolic links are not followed).
enum JournalFileType: String, Hashable, Sendable {
    case regular = "a regular file"
    case directory = "a directory"
    case fifo = "a FIFO"
    case socket = "a socket"
    case symbolicLink = "a symbolic link"
    case characterDevice = "a character device"
    case blockDevice = "a block device"
    case other = "an unknown kind of file"

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFLNK: self = .symbolicLink
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        default: self = .other
        }
    }
}

/// The system calls of the pool journal. ``PosixJournalFileSystem`` makes them; tests wrap it to
/// inject failures (a full disk, an I/O error) where no real file system would fail on demand.
protocol JournalFileSystem: Sendable {
    /// What is at `path` (`nil` when nothing is).
    func type(atPath path: String) -> Result<JournalFileType?, SystemErrno>
    /// Opens `path` for reading without blocking (a FIFO would block a plain open) and without
    /// following a symbolic link; fails unless it is a regular file once opened.
    func openForReading(_ path: String) -> Result<Int32, SystemErrno>
    /// Opens `path` for appending; `create` creates or truncates it (mode 0644).
    func openForAppending(_ path: String, create: Bool) -> Result<Int32, SystemErrno>
    /// `pread`: up to `buffer.count` bytes at `offset`; 0 at the end of the file.
    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<Int, SystemErrno>
    /// `write`: some of `bytes` (a short count is not an error).
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, SystemErrno>
    /// Flushes the file's data to stable storage (`fdatasync`; `F_FULLFSYNC` on Darwin).
    func synchronize(_ fd: Int32) -> Result<Void, SystemErrno>
    func truncate(_ fd: Int32, to size: Int) -> Result<Void, SystemErrno>
    func rename(_ from: String, to: String) -> Result<Void, SystemErrno>
    /// A hard link (fails with `EEXIST` if `to` exists).
    func link(_ from: String, to: String) -> Result<Void, SystemErrno>
    func unlink(_ path: String)
    /// Flushes the directory holding `path`, so a rename in it is durable.
    func synchronizeDirectory(of path: String) -> Result<Void, SystemErrno>
    func close(_ fd: Int32)
}

/// The journal's file layer: plain POSIX calls, `EINTR` retried.
struct PosixJournalFileSystem: JournalFileSystem {
    func type(atPath path: String) -> Result<JournalFileType?, SystemErrno> {
        var info = stat()
        if lstat(path, &info) == 0 { return .success(JournalFileType(mode: info.st_mode)) }
        let code = errno
        return code == ENOENT ? .success(nil) : .failure(SystemErrno(code: code))
    }

    func openForReading(_ path: String) -> Result<Int32, SystemErrno> {
        let fd = retrying { open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else { return .failure(SystemErrno(code: errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            _ = systemClose(fd)
            return .failure(SystemErrno(code: code))
        }
        guard JournalFileType(mode: info.st_mode) == .regular else {
            _ = systemClose(fd)
            return .failure(SystemErrno(code: EINVAL))
        }
        return .success(fd)
    }

    func openForAppending(_ path: String, create: Bool) -> Result<Int32, SystemErrno> {
        let flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT | O_TRUNC : 0)
        let fd = retrying { open(path, flags, 0o644) }
        return fd >= 0 ? .success(fd) : .failure(SystemErrno(code: errno))
    }

    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<Int, SystemErrno> {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .success(0) }
        let n = retrying { pread(fd, base, buffer.count, off_t(offset)) }
        return n >= 0 ? .success(n) : .failure(SystemErrno(code: errno))
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, SystemErrno> {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .success(0) }
        #if canImport(Glibc)
        let n = retrying { Glibc.write(fd, base, bytes.count) }
        #else
        let n = retrying { Darwin.write(fd, base, bytes.count) }
        #endif
        return n >= 0 ? .success(n) : .failure(SystemErrno(code: errno))
    }

    func synchronize(_ fd: Int32) -> Result<Void, SystemErrno> {
        #if canImport(Darwin)
        // fsync on Darwin does not flush the drive's cache; F_FULLFSYNC does.
        let result = retrying { fcntl(fd, F_FULLFSYNC) }
        #else
        let result = retrying { fdatasync(fd) }
        #endif
        return result == 0 ? .success(()) : .failure(SystemErrno(code: errno))
    }

    func truncate(_ fd: Int32, to size: Int) -> Result<Void, SystemErrno> {
        retrying { ftruncate(fd, off_t(size)) } == 0 ? .success(()) : .failure(SystemErrno(code: errno))
    }

    func rename(_ from: String, to: String) -> Result<Void, SystemErrno> {
        #if canImport(Glibc)
        let result = Glibc.rename(from, to)
        #else
        let result = Darwin.rename(from, to)
        #endif
        return result == 0 ? .success(()) : .failure(SystemErrno(code: errno))
    }

    func link(_ from: String, to: String) -> Result<Void, SystemErrno> {
        #if canImport(Glibc)
        let result = Glibc.link(from, to)
        #else
        let result = Darwin.link(from, to)
        #endif
        return result == 0 ? .success(()) : .failure(SystemErrno(code: errno))
    }

    func unlink(_ path: String) {
        #if canImport(Glibc)
        _ = Glibc.unlink(path)
        #else
        _ = Darwin.unlink(path)
        #endif
    }

    func synchronizeDirectory(of path: String) -> Result<Void, SystemErrno> {
        let directory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let fd = retrying { open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { return .failure(SystemErrno(code: errno)) }
        defer { _ = systemClose(fd) }
        return retrying { fsync(fd) } == 0 ? .success(()) : .failure(SystemErrno(code: errno))
    }

    func close(_ fd: Int32) { _ = systemClose(fd) }
}

/// `close(2)` (inside the type, `close` names the protocol method).
private func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(fd)
    #else
    Darwin.close(fd)
    #endif
}

/// Repeats a system call interrupted by a signal.
private func retrying<T: SignedInteger>(_ call: () -> T) -> T {
    while true {
        let result = call()
        if result >= 0 || errno != EINTR { return result }
    }
}
