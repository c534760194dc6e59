import AztecP2P
import DiscV5
import ENR
import Foundation
import P2PCrypto

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

    public var keyPath: String { path + "/node.key" }
    public var knownNodesPath: String { path + "/known-enrs.txt" }
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
    public static func readKey(path: String) throws(AztecNodeError) -> Secp256k1.PrivateKey {
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
