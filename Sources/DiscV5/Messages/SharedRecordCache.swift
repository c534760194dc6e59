import ENR
import Synchronization

/// Records decoded and verified by any of the discovery nodes that share it, for many nodes in one
/// process (the network simulator), where each would otherwise check the same record's signature
/// and hash its id again. A record is held only once its bytes have decoded and verified, so a node
/// that finds it here acts exactly as if it had checked them itself.
///
/// Set it in ``SessionConfig/sharedRecords``; each node's own ``RecordCache`` consults it. Bounded:
/// cleared when full. Equal only to itself.
public final class SharedRecordCache: Sendable, Equatable {
    /// Most records held.
    public let capacity: Int
    private let entries: Mutex<[RecordCache.Key: RecordCache.Entry]>

    /// A cache of at most `capacity` records.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        entries = Mutex([:])
    }

    /// Number of records held.
    public var count: Int { entries.withLock { $0.count } }

    func entry(_ key: RecordCache.Key) -> RecordCache.Entry? { entries.withLock { $0[key] } }

    func remember(_ entry: RecordCache.Entry) {
        entries.withLock { entries in
            let key = RecordCache.Key(rlp: entry.record.rlpEncoding)
            guard entries[key] == nil else { return }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
    }

    /// Identity: two references are equal only when they are the same cache.
    public static func == (a: SharedRecordCache, b: SharedRecordCache) -> Bool { a === b }
}
