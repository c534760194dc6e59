import ENR

/// Which registrars a topic search asks, and what it has found (discv5 theory, "Discoverer
/// Behaviour"), as a plan without I/O: the search table `B(s)` groups the candidates by their
/// log distance to the topic; registrars are asked bucket by bucket from the furthest to the
/// closest, at most `K_lookup` per bucket and `parallelism` at a time, each once; the search ends
/// when it holds `F_lookup` distinct advertisers or no candidate is left.
public struct TopicSearch: Sendable {
    /// The search's parameters; the defaults are the spec's (`K_lookup` = 5, `F_lookup` = 30)
    /// and discv5's lookup parallelism (3).
    public struct Settings: Sendable, Equatable {
        /// `K_lookup`: registrars asked per bucket.
        public var registrarsPerBucket = 5
        /// `F_lookup`: distinct advertisers that end the search.
        public var advertiserTarget = 30
        /// Queries in flight at once.
        public var parallelism = 3
        /// The defaults, as given on each property.
        public init() {}
    }

    /// The topic searched.
    public let topic: TopicID
    /// The search's parameters.
    public let settings: Settings
    /// Candidates not yet asked, by bucket (log distance to the topic).
    private var buckets: [Int: [IdentifiedRecord]] = [:]
    /// Registrars asked per bucket so far.
    private var askedPerBucket: [Int: Int] = [:]
    private var known: Set<NodeID> = []
    private var inFlight: Set<NodeID> = []
    private var found: [NodeID: NodeRecord] = [:]
    private var order: [NodeID] = []
    /// Registrars that answered.
    public private(set) var answered = 0
    /// Registrars that failed or timed out; they are not asked again.
    public private(set) var failed = 0

    /// A search for `topic` among `candidates` (the local node excluded by the caller).
    public init(topic: TopicID, candidates: [NodeRecord], settings: Settings = Settings()) {
        self.init(topic: topic, identified: candidates.map { IdentifiedRecord(record: $0, nodeID: $0.discoveryNodeID) },
                  settings: settings)
    }

    /// A search among candidates whose node ids are known (table entries).
    init(topic: TopicID, identified candidates: [IdentifiedRecord], settings: Settings) {
        self.topic = topic
        self.settings = settings
        learn(identified: candidates)
    }

    /// Adds candidates learned during the search (auxiliary records); known ones, and those of
    /// buckets already asked `K_lookup` times, are ignored.
    public mutating func learn(_ records: [NodeRecord]) {
        learn(identified: records.map { IdentifiedRecord(record: $0, nodeID: $0.discoveryNodeID) })
    }

    private mutating func learn(identified candidates: [IdentifiedRecord]) {
        for candidate in candidates {
            let distance = topic.logDistance(to: candidate.nodeID)
            guard askedPerBucket[distance, default: 0] < settings.registrarsPerBucket, known.insert(candidate.nodeID).inserted
            else { continue }
            buckets[distance, default: []].append(candidate)
        }
    }

    /// The topic-distance hints for a query: up to ``TopicDiscovery/maximumHints`` distances,
    /// furthest first, whose bucket has fewer candidates, asked or not, than `K_lookup`.
    public func wantedDistances() -> [UInt16] {
        TopicDiscovery.distancesWithRoom(limit: TopicDiscovery.maximumHints) {
            askedPerBucket[$0, default: 0] + buckets[$0, default: []].count < settings.registrarsPerBucket
        }
    }

    /// The registrars to ask now (marked as in flight): from the furthest bucket that still has
    /// both candidates and room under `K_lookup`.
    public mutating func nextRegistrars() -> [NodeRecord] {
        guard !isFinished else { return [] }
        var chosen: [NodeRecord] = []
        for distance in buckets.keys.sorted(by: >) where inFlight.count < settings.parallelism {
            while inFlight.count < settings.parallelism, askedPerBucket[distance, default: 0] < settings.registrarsPerBucket,
                  let candidate = buckets[distance]?.popLast() {
                askedPerBucket[distance, default: 0] += 1
                inFlight.insert(candidate.nodeID)
                chosen.append(candidate.record)
            }
            if buckets[distance]?.isEmpty == true || askedPerBucket[distance, default: 0] >= settings.registrarsPerBucket {
                buckets[distance] = nil
            }
        }
        return chosen
    }

    /// `registrar` answered with `advertisers` (verified records).
    public mutating func registrar(_ registrar: NodeID, answered advertisers: [NodeRecord]) {
        guard inFlight.remove(registrar) != nil else { return }
        answered += 1
        for record in advertisers {
            let nodeID = record.discoveryNodeID
            if found[nodeID] == nil { order.append(nodeID) }
            // The newest record of an advertiser wins.
            if let known = found[nodeID], known.sequenceNumber >= record.sequenceNumber { continue }
            found[nodeID] = record
        }
    }

    /// `registrar` failed (timeout, no answer); it is not asked again.
    public mutating func registrarFailed(_ registrar: NodeID) {
        guard inFlight.remove(registrar) != nil else { return }
        failed += 1
    }

    /// The distinct advertisers found, in the order they were first seen.
    public var advertisers: [NodeRecord] { order.compactMap { found[$0] } }

    /// Whether the search is over: enough advertisers, or nothing left to ask and nothing in flight.
    public var isFinished: Bool {
        found.count >= settings.advertiserTarget || (inFlight.isEmpty && buckets.values.allSatisfy(\.isEmpty))
    }
}
