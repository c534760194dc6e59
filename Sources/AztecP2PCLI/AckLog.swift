import AztecP2P
import Foundation
import Synchronization

/// The acknowledgement log of `tx soak-load`: one line per transaction a node acknowledged,
/// `UNIX_SECONDS.MMM 0xHASH URL`, each written with one `write(2)` so a line is on disk as soon as
/// the call that produced it returns, even if this process is killed afterwards.
final class AckLog: Sendable {
    private let fd: Mutex<Int32>

    /// The file could not be created.
    struct OpenError: Error, CustomStringConvertible {
        let path: String
        let errno: Int32
        var description: String { "cannot open \(path): \(String(cString: strerror(errno)))" }
    }

    /// Creates (or truncates) the file at `path`.
    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OpenError(path: path, errno: errno) }
        self.fd = Mutex(fd)
    }

    deinit { fd.withLock { _ = close($0) } }

    /// Appends the line of `hash` acknowledged by `url` at `time`.
    func append(time: Date, hash: TxHash, url: String) {
        let line = String(format: "%.3f", time.timeIntervalSince1970) + " \(hash) \(url)\n"
        let bytes = Array(line.utf8)
        fd.withLock { fd in
            bytes.withUnsafeBytes { buffer in _ = write(fd, buffer.baseAddress, buffer.count) }
        }
    }
}
