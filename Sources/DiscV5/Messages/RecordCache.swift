import ENR

/// Records already decoded and verified, keyed by their RLP encoding, with their node ids:
/// NODES answers repeat the same neighbours, and a record seen again skips the signature check
/// and the Keccak-256 of its id. Bounded: cleared when full. A ``SharedRecordCache`` behind it
/// serves records other nodes of the process have verified.
public struct RecordCache: Sendable {
    struct Entry: Sendable {
        var record: NodeRecord
        var nodeID: NodeID
    }

    /// Most records held.
    public let capacity: Int
    private var entries: [[UInt8]: Entry] = [:]
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
        let key = Array(rlp)
        if let entry = entries[key] { return entry.record }
        if let entry = shared?.entry(rlp: key) {
            insert(entry)
            return entry.record
        }
        let record = try NodeRecord(rlp: key)
        remember(record)
        return record
    }

    /// Adds `record` (already verified).
    public mutating func remember(_ record: NodeRecord) {
        guard capacity > 0, entries[record.rlpEncoding] == nil else { return }
        let entry = Entry(record: record, nodeID: NodeID(publicKey: record.publicKey))
        insert(entry)
        shared?.remember(entry)
    }

    private mutating func insert(_ entry: Entry) {
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[entry.record.rlpEncoding] = entry
    }

    /// The node id of `record` when cached.
    public func nodeID(of record: NodeRecord) -> NodeID? { entries[record.rlpEncoding]?.nodeID }
}
