/// The Kademlia routing table of discovery v5: 256 buckets by log distance from the local
/// node, each of ``TableConfig/bucketSize`` entries with a replacement cache, and IP diversity
/// limits per bucket and per table.
///
/// Only nodes that completed a handshake belong here; the caller enforces that by inserting
/// on ``SessionAction/sessionEstablished(_:record:)``. When a bucket is full, the newcomer waits
/// in the replacement cache and the table asks for a liveness check of the bucket's least
/// recently seen entry (``InsertResult/checkLiveness(of:)``): ``markAlive(_:now:)`` keeps it,
/// ``remove(_:)`` drops it and promotes the newest eligible replacement.
public struct RoutingTable: Sendable {
    /// Number of buckets (log distances 1...256).
    public static let bucketCount = 256

    /// The outcome of ``insert(_:)``.
    public enum InsertResult: Sendable, Equatable {
        /// The node entered its bucket.
        case inserted
        /// The node was already there: its record and endpoint were refreshed and it is now the
        /// most recently seen.
        case updated
        /// The bucket is full: the node waits in the replacement cache, and `entry` (the least
        /// recently seen) must be checked (PING); report the result with ``markAlive(_:now:)`` or
        /// ``remove(_:)``.
        case checkLiveness(of: TableEntry)
        /// The bucket is full and a check is already under way; the node waits as a replacement.
        case cachedAsReplacement
        /// The node may not enter.
        case rejected(Rejection)
    }

    /// Why a node may not enter the table.
    public enum Rejection: Sendable, Equatable {
        /// The node is the local node.
        case localNode
        /// Its subnet already has the maximum number of entries in the bucket.
        case subnetLimitInBucket
        /// Its subnet already has the maximum number of entries in the table.
        case subnetLimitInTable
    }

    /// The local node's id.
    public let localID: NodeID
    /// The configuration the table runs with, validated.
    public let config: TableConfig
    private var buckets: [KBucket]
    private var subnetCounts: [Subnet: Int] = [:]
    /// Number of entries (replacements not counted).
    public private(set) var count = 0

    /// An empty table around `localID`.
    public init(localID: NodeID, config: TableConfig = TableConfig()) throws(TableConfig.Invalid) {
        self.localID = localID
        self.config = try config.validated()
        self.buckets = Array(repeating: KBucket(), count: Self.bucketCount)
    }

    // MARK: Queries

    /// The entry of `id`, if present.
    public func entry(for id: NodeID) -> TableEntry? {
        guard let bucket = bucketIndex(id), let index = buckets[bucket].index(of: id) else { return nil }
        return buckets[bucket].entries[index]
    }

    /// The entries at log distance `distance` (1...256), least recently seen first.
    public func entries(atDistance distance: Int) -> [TableEntry] {
        guard (1...Self.bucketCount).contains(distance) else { return [] }
        return buckets[distance - 1].entries
    }

    /// The replacement candidates at log distance `distance`.
    public func replacements(atDistance distance: Int) -> [TableEntry] {
        guard (1...Self.bucketCount).contains(distance) else { return [] }
        return Array(buckets[distance - 1].replacements)
    }

    /// Every entry, by increasing distance from the local node.
    public var allEntries: [TableEntry] { buckets.flatMap(\.entries) }

    /// The log distances whose buckets hold at least one entry.
    public var nonEmptyDistances: [Int] { buckets.indices.filter { !buckets[$0].entries.isEmpty }.map { $0 + 1 } }

    /// Number of entries of `subnet` in the table.
    public func count(in subnet: Subnet) -> Int { subnetCounts[subnet] ?? 0 }

    /// Up to `count` entries closest to `target` by XOR distance, closest first.
    public func closest(to target: NodeID, count: Int) -> [TableEntry] {
        var result = allEntries
        result.sort { XORDistance.isCloser($0.nodeID, than: $1.nodeID, to: target) }
        return Array(result.prefix(count))
    }

    // MARK: Changes

    /// Offers a node that completed a handshake (or answered a request).
    public mutating func insert(_ entry: TableEntry) -> InsertResult {
        guard let bucketIndex = bucketIndex(entry.nodeID) else { return .rejected(.localNode) }
        var bucket = buckets[bucketIndex]
        defer { buckets[bucketIndex] = bucket }
        if let index = bucket.index(of: entry.nodeID) {
            let old = bucket.entries.remove(at: index)
            release(old.subnet)
            if let rejection = admissionProblem(entry.subnet, in: bucket) {
                // The node moved into a crowded subnet: keep it out.
                count -= 1
                promoteReplacement(into: &bucket)
                return .rejected(rejection)
            }
            var updated = entry
            if old.record.sequenceNumber > entry.record.sequenceNumber { updated.record = old.record }
            bucket.entries.append(updated)
            retain(updated.subnet)
            return .updated
        }
        if let rejection = admissionProblem(entry.subnet, in: bucket) { return .rejected(rejection) }
        if bucket.entries.count < config.bucketSize {
            bucket.entries.append(entry)
            retain(entry.subnet)
            count += 1
            if let replacement = bucket.replacementIndex(of: entry.nodeID) { bucket.replacements.remove(at: replacement) }
            return .inserted
        }
        addReplacement(entry, to: &bucket)
        if bucket.checking != nil { return .cachedAsReplacement }
        guard let oldest = bucket.entries.first else { return .cachedAsReplacement }
        bucket.checking = oldest.nodeID
        return .checkLiveness(of: oldest)
    }

    /// Records that `id` is alive (it answered): it becomes its bucket's most recently seen.
    public mutating func markAlive(_ id: NodeID, now: Duration) {
        guard let bucketIndex = bucketIndex(id), let index = buckets[bucketIndex].index(of: id) else { return }
        var entry = buckets[bucketIndex].entries.remove(at: index)
        entry.lastSeen = now
        buckets[bucketIndex].entries.append(entry)
        if buckets[bucketIndex].checking == id { buckets[bucketIndex].checking = nil }
    }

    /// Removes `id` (it failed a liveness check or misbehaved), promoting the newest replacement
    /// that the IP limits admit. Returns the removed entry.
    @discardableResult
    public mutating func remove(_ id: NodeID) -> TableEntry? {
        guard let bucketIndex = bucketIndex(id) else { return nil }
        var bucket = buckets[bucketIndex]
        defer { buckets[bucketIndex] = bucket }
        if bucket.checking == id { bucket.checking = nil }
        if let replacement = bucket.replacementIndex(of: id) { bucket.replacements.remove(at: replacement) }
        guard let index = bucket.index(of: id) else { return nil }
        let removed = bucket.entries.remove(at: index)
        release(removed.subnet)
        count -= 1
        promoteReplacement(into: &bucket)
        return removed
    }

    // MARK: Internals

    private func bucketIndex(_ id: NodeID) -> Int? {
        let distance = localID.logDistance(to: id)
        return distance == 0 ? nil : distance - 1
    }

    private func admissionProblem(_ subnet: Subnet?, in bucket: KBucket) -> Rejection? {
        guard let subnet else { return nil }
        if let limit = config.maximumPerSubnetInBucket, bucket.count(in: subnet) >= limit { return .subnetLimitInBucket }
        if let limit = config.maximumPerSubnetInTable, count(in: subnet) >= limit { return .subnetLimitInTable }
        return nil
    }

    private mutating func addReplacement(_ entry: TableEntry, to bucket: inout KBucket) {
        if let index = bucket.replacementIndex(of: entry.nodeID) { bucket.replacements.remove(at: index) }
        guard config.replacementCacheSize > 0 else { return }
        if bucket.replacements.count >= config.replacementCacheSize { bucket.replacements.removeFirst() }
        bucket.replacements.append(entry)
    }

    private mutating func promoteReplacement(into bucket: inout KBucket) {
        guard bucket.entries.count < config.bucketSize else { return }
        for index in bucket.replacements.indices.reversed()
        where admissionProblem(bucket.replacements[index].subnet, in: bucket) == nil {
            let entry = bucket.replacements.remove(at: index)
            bucket.entries.append(entry)
            retain(entry.subnet)
            count += 1
            return
        }
    }

    private mutating func retain(_ subnet: Subnet?) {
        guard let subnet else { return }
        subnetCounts[subnet, default: 0] += 1
    }

    private mutating func release(_ subnet: Subnet?) {
        guard let subnet, let current = subnetCounts[subnet] else { return }
        subnetCounts[subnet] = current > 1 ? current - 1 : nil
    }
}
