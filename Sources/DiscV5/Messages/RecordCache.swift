import ENR

/// Records already decoded and verified, keyed by their RLP encoding, with their node ids:
/// NODES answers repeat the same neighbours, and a record seen again skips the signature check
/// and the Keccak-256 of its id. Bounded: cleared when full.
public struct RecordCache: Sendable {
    struct Entry: Sendable {
        var record: NodeRecord
        var nodeID: NodeID
    }

    /// Most records held.
    public let capacity: Int
    private var entries: [[UInt8]: Entry] = [:]

    /// A cache of at most `capacity` records (0 disables it).
    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// Number of records held.
    public var count: Int { entries.count }

    /// The verified record encoded as `rlp`, from the cache or decoded (and then cached).
    public mutating func record(rlp: ArraySlice<UInt8>) throws(ENRError) -> NodeRecord {
        let key = Array(rlp)
        if let entry = entries[key] { return entry.record }
        let record = try NodeRecord(rlp: key)
        remember(record)
        return record
    }

    /// Adds `record` (already verified).
    public mutating func remember(_ record: NodeRecord) {
        guard capacity > 0, entries[record.rlpEncoding] == nil else { return }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[record.rlpEncoding] = Entry(record: record, nodeID: NodeID(publicKey: record.publicKey))
    }

    /// The node id of `record` when cached.
    public func nodeID(of record: NodeRecord) -> NodeID? { entries[record.rlpEncoding]?.nodeID }
}
