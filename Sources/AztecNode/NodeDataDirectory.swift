import AztecP2P
import DiscV5
import ENR
import Foundation
import Logging
import P2PCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files a node keeps in its data directory: `node.key` (the secp256k1 key, 64 hex digits),
/// `known-enrs.txt` (one `enr:` per line, so a restart rejoins without bootnodes) and
/// `tx-pool.journal` (the transaction pool's journal, `TxPoolJournal`; a damaged one is
/// kept beside it as `tx-pool.journal.damaged-<UTC time>`, and `tx-pool.journal.tmp` is its
/// compaction in progress).
public struct NodeDataDirectory: Sendable {
    /// Largest key file read (a hex key and a newline fit many times over).
    static let maximumKeyFileBytes = 1_024
    /// Largest known-ENRs file read.
    static let maximumKnownNodesFileBytes = 4 << 20

    /// The data directory's path, as given to ``init(path:)``.
    public let path: String

    /// Creates the directory (and its parents) if missing.
    public init(path: String) throws(AztecNodeError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .dataDirectory("cannot create \(path): \(error.localizedDescription)")
        }
        self.path = path
    }

    /// `<path>/node.key`: the node's secp256k1 key as 64 hex digits.
    public var keyPath: String { path + "/node.key" }
    /// `<path>/known-enrs.txt`: the ENRs saved by ``saveKnownNodes(_:)``, one `enr:` text per line.
    public var knownNodesPath: String { path + "/known-enrs.txt" }
    /// `<path>/tx-pool.journal`: the transaction pool's journal.
    public var journalPath: String { path + "/tx-pool.journal" }

    /// The key stored in `node.key`, or a fresh one written there (mode 0600).
    public func loadOrCreateKey() throws(AztecNodeError) -> Secp256k1.PrivateKey {
        if FileManager.default.fileExists(atPath: keyPath) { return try Self.readKey(path: keyPath) }
        var rng = SystemRandomNumberGenerator()
        let key = Secp256k1.PrivateKey.generate(using: &rng)
        let text = HexCoding.encode(key.rawRepresentation) + "\n"
        guard FileManager.default.createFile(atPath: keyPath, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .dataDirectory("cannot write \(keyPath)")
        }
        return key
    }

    /// Reads a key file: 64 hex digits (optionally `0x`-prefixed), surrounding whitespace ignored.
    /// Anything but a regular file (a directory, a FIFO) is refused by name before it is opened; a
    /// key that group or others may read is used, with a warning logged.
    public static func readKey(path: String, logger: Logger = Logger(label: "aztec.node")) throws(AztecNodeError) -> Secp256k1.PrivateKey {
        let mode = try regularFileMode(path, what: "key file") { .invalidKeyFile($0) }
        if let warning = keyPermissionWarning(path: path, mode: mode) { logger.warning("\(warning)") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .invalidKeyFile("cannot open \(path)") }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumKeyFileBytes + 1)) ?? nil
        guard let data, data.count <= maximumKeyFileBytes, let text = String(data: data, encoding: .utf8) else {
            throw .invalidKeyFile("\(path) is empty, too large or not text")
        }
        guard let bytes = HexCoding.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32,
              let key = try? Secp256k1.PrivateKey(rawRepresentation: bytes) else {
            throw .invalidKeyFile("\(path) does not hold 32 hex-encoded bytes of a valid secp256k1 key")
        }
        return key
    }

    /// A warning for a key file that group or others may read, or `nil`.
    static func keyPermissionWarning(path: String, mode: mode_t) -> String? {
        guard mode & 0o077 != 0 else { return nil }
        return "\(path) can be read by other users (mode \(String(mode & 0o777, radix: 8))): run chmod 600 \(path)"
    }

    /// The permission bits of the regular file at `path`; anything else (missing, a directory, a
    /// FIFO, a device) is refused with a message naming what it is.
    static func regularFileMode(_ path: String, what: String,
                                error: (String) -> AztecNodeError) throws(AztecNodeError) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw error("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return info.st_mode & 0o7777
        case S_IFDIR: throw error("\(path) is a directory, not a \(what)")
        case S_IFIFO: throw error("\(path) is a FIFO, not a \(what)")
        default: throw error("\(path) is not a regular file, so not a \(what)")
        }
    }

    /// The records saved by ``saveKnownNodes(_:)`` (none if the file is missing or unreadable).
    public func loadKnownNodes() -> [NodeRecord] {
        guard let handle = FileHandle(forReadingAtPath: knownNodesPath) else { return [] }
        defer { try? handle.close() }
        guard let data = (try? handle.read(upToCount: Self.maximumKnownNodesFileBytes)) ?? nil,
              let text = String(data: data, encoding: .utf8) else { return [] }
        return KnownNodesFile.decode(text)
    }

    /// Replaces the known-ENRs file atomically.
    public func saveKnownNodes(_ records: [NodeRecord]) throws(AztecNodeError) {
        do {
            try KnownNodesFile.encode(records).write(toFile: knownNodesPath, atomically: true, encoding: .utf8)
        } catch {
            throw .dataDirectory("cannot write \(knownNodesPath): \(error.localizedDescription)")
        }
    }
}
