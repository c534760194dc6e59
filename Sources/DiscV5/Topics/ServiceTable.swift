import ENR

/// A service table `B(s)` (discv5 theory, "Service Tables"): TopDisc-capable nodes grouped by the
/// log distance of their node id to the topic, at most `bucketCapacity` per distance, so its
/// size is bounded whatever the network tells it.
public struct ServiceTable: Sendable {
    /// The topic `s`: distances are measured from it.
    public let topic: TopicID
    /// The most records kept per distance.
    public let bucketCapacity: Int
    private let localID: NodeID
    private var buckets: [Int: [IdentifiedRecord]] = [:]

    /// An empty table for `topic` of the node `localID` (never inserted).
    public init(topic: TopicID, localID: NodeID, bucketCapacity: Int = 16) {
        self.topic = topic
        self.localID = localID
        self.bucketCapacity = max(1, bucketCapacity)
    }

    /// Whether `record` announces a topic discovery version this implementation speaks (the
    /// `ng` key); only those nodes enter service tables.
    public static func isCapable(_ record: NodeRecord) -> Bool {
        (try? record.topicDiscoveryVersion) == TopicDiscovery.version
    }

    /// Inserts `record` (a newer record of a known node replaces it); `false` when it is not
    /// capable, the local node's, or its bucket is full.
    @discardableResult
    public mutating func insert(_ record: NodeRecord) -> Bool {
        insert(IdentifiedRecord(record: record, nodeID: record.discoveryNodeID))
    }

    /// Inserts a record whose node id is known (a table entry's).
    @discardableResult
    mutating func insert(_ entry: IdentifiedRecord) -> Bool {
        let (record, nodeID) = (entry.record, entry.nodeID)
        guard Self.isCapable(record), nodeID != localID else { return false }
        let distance = topic.logDistance(to: nodeID)
        var bucket = buckets[distance, default: []]
        if let index = bucket.firstIndex(where: { $0.nodeID == nodeID }) {
            if record.sequenceNumber > bucket[index].record.sequenceNumber { bucket[index].record = record }
        } else {
            guard bucket.count < bucketCapacity else { return false }
            bucket.append(IdentifiedRecord(record: record, nodeID: nodeID))
        }
        buckets[distance] = bucket
        return true
    }

    /// Removes the node `nodeID` (a registrar excluded for failing).
    public mutating func remove(_ nodeID: NodeID) {
        let distance = topic.logDistance(to: nodeID)
        buckets[distance]?.removeAll { $0.nodeID == nodeID }
        if buckets[distance]?.isEmpty == true { buckets[distance] = nil }
    }

    /// The non-empty distances, furthest from the topic first.
    public var distancesFurthestFirst: [Int] { buckets.keys.sorted(by: >) }

    /// The records at `distance` from the topic.
    public func records(atDistance distance: Int) -> [NodeRecord] { buckets[distance, default: []].map(\.record) }

    func entries(atDistance distance: Int) -> [IdentifiedRecord] { buckets[distance, default: []] }

    /// Records held, all distances together.
    public var count: Int { buckets.values.reduce(0) { $0 + $1.count } }

    /// The topic-distance hints of a request: up to `limit` distances, furthest first, whose
    /// bucket holds fewer than `wanted` records.
    public func distancesWithRoom(wanted: Int, limit: Int) -> [UInt16] {
        TopicDiscovery.distancesWithRoom(limit: limit) { buckets[$0, default: []].count < wanted }
    }
}

/// Constants and helpers shared by the advertiser, the searcher and the registrar.
public enum TopicDiscovery {
    /// The `ng` version implemented here.
    public static let version: UInt64 = 1
    /// The most topic-distance hints a request carries and a registrar answers (one auxiliary
    /// record each).
    public static let maximumHints = 16

    /// Up to `limit` distances from 256 downwards for which `hasRoom` holds.
    static func distancesWithRoom(limit: Int, _ hasRoom: (Int) -> Bool) -> [UInt16] {
        var distances: [UInt16] = []
        var distance = 256
        while distance >= 1, distances.count < limit {
            if hasRoom(distance) { distances.append(UInt16(distance)) }
            distance -= 1
        }
        return distances
    }

    /// The auxiliary records a registrar returns for `hints` (discv5 theory, "Auxiliary ENR
    /// Selection"): for each distinct distance, at most `maximumHints` of them, one capable record
    /// of `known` at that distance from `topic`, chosen at random.
    static func auxiliaryRecords(
        for hints: [UInt16], topic: TopicID, known: [IdentifiedRecord], using random: inout some RandomNumberGenerator
    ) -> [NodeRecord] {
        var wanted: Set<Int> = []
        for hint in hints.prefix(maximumHints) where (1...256).contains(hint) { wanted.insert(Int(hint)) }
        guard !wanted.isEmpty else { return [] }
        // Reservoir sampling per distance: one pass, uniform choice, no arrays per distance.
        var chosen: [Int: (record: NodeRecord, seen: UInt64)] = [:]
        for entry in known where ServiceTable.isCapable(entry.record) {
            let distance = topic.logDistance(to: entry.nodeID)
            guard wanted.contains(distance) else { continue }
            let seen = (chosen[distance]?.seen ?? 0) + 1
            if seen == 1 || random.next(upperBound: seen) == 0 {
                chosen[distance] = (entry.record, seen)
            } else {
                chosen[distance]?.seen = seen
            }
        }
        return chosen.keys.sorted(by: >).compactMap { chosen[$0]?.record }
    }

    /// Of `records` answering `hints`, the capable ones at a hinted distance from `topic`, one
    /// per distance: a registrar may not fill an answer with records the requester did not ask for.
    static func acceptedAuxiliary(_ records: [NodeRecord], hints: [UInt16], topic: TopicID) -> [NodeRecord] {
        var open = Set(hints.map(Int.init))
        var accepted: [NodeRecord] = []
        for record in records where ServiceTable.isCapable(record) {
            if open.remove(topic.logDistance(to: record.discoveryNodeID)) != nil { accepted.append(record) }
        }
        return accepted
    }
}
