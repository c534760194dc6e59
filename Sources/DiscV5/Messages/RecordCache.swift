import ENR

/// Records already decoded and verified, keyed by their RLP encoding, with their node ids:
/// NODES answers repeat the same neighbours, and a record seen again skips the signature check
/// and the Keccak-256 of its id. Bounded: cleared when full. A ``SharedRecordCache`` behind it
/// serves records other nodes of the process have verified.
public struct RecordCache: Sendable {
    /// A record's RLP encoding, hashed as one block (an array hashes byte by byte).
    struct Key: Hashable, Sendable {
        let rlp: [UInt8]

        func hash(into hasher: inout Hasher) {
            rlp.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    struct Entry: Sendable {
        var record: NodeRecord
        var nodeID: NodeID
    }

    /// Most records held.
    public let capacity: Int
    private var entries: [Key: Entry] = [:]
    private let shared: SharedRecordCache?

    /// A cache of at most `capacity` records (0 disables it), in front of `shared` if given.
    public init(capacity: Int, shared: SharedRecordCache? = nil) {
        self.capacity = max(0, capacity)
        self.shared = capacity > 0 ? shared : nil
    }

    /// Number of records held.
    public var count: Int { entries.count }

    /// The verified record encoded as `rlp`, from the cache or decoded (and then cached).
    public mutating func record(rlp: ArraySlice<UInt8>) throws(ENRError) -> NodeRecord {
        let key = Key(rlp: Array(rlp))
        if let entry = entries[key] { return entry.record }
        if let entry = shared?.entry(key) {
            insert(entry)
            return entry.record
        }
        let record = try NodeRecord(rlp: key.rlp)
        remember(record)
        return record
    }

    /// Adds `record` (already verified).
    public mutating func remember(_ record: NodeRecord) {
        guard capacity > 0, entries[Key(rlp: record.rlpEncoding)] == nil else { return }
        let entry = Entry(record: record, nodeID: NodeID(publicKey: record.publicKey))
        insert(entry)
        shared?.remember(entry)
    }

    private mutating func insert(_ entry: Entry) {
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[Key(rlp: entry.record.rlpEncoding)] = entry
    }

    /// The node id of `record` when cached.
    public func nodeID(of record: NodeRecord) -> NodeID? { entries[Key(rlp: record.rlpEncoding)]?.nodeID }
}
