import ENR
import Foundation

/// A topic-discovery registrar as a sans-IO core: the bounded ad cache, admission by waiting
/// times, and tickets it verifies without keeping state per ticket (discv5 theory, "Registrar
/// Behaviour").
///
/// A registration is admitted once the time its advertiser has waited since its first attempt,
/// proven by the latest ticket, reaches the waiting time the cache's state asks for now:
///
///     w = E · 1 / (1 − c/C)^Pocc · (c(topic)/c + ipScore + G)
///
/// where `c` counts the cached advertisements, `c(topic)` those for the same topic and
/// `ipScore` how over-represented the advertiser's address prefixes are. So a full cache admits
/// nothing, a popular topic and a crowded subnet wait longer, and a registration flood costs
/// the registrar no memory: pending advertisers carry their state in their tickets. A waiting
/// time never improves on one issued before by more than the time since (a lower bound kept
/// per cached topic and per address-tree vertex, both bounded by the cache), so asking again
/// and again does not help.
public struct TopicRegistrar: Sendable {
    /// One cached advertisement.
    public struct Advertisement: Sendable, Equatable {
        /// The topic advertised.
        public var topic: TopicID
        /// The advertiser's record, returned to searchers.
        public var record: NodeRecord
        /// The advertiser's node id.
        public var nodeID: NodeID
        /// The address its waiting time was scored with.
        public var ip: [UInt8]
        /// When the advertisement leaves the cache: admission plus ``TopicRegistrarConfig/adLifetime``.
        public var expiry: Duration
    }

    /// The answer to one registration.
    public enum Outcome: Sendable, Equatable {
        /// Admitted: cached for `lifetime`.
        case admitted(lifetime: Duration)
        /// Not yet: try again after `wait`, presenting `ticket`.
        case wait(ticket: [UInt8], wait: Duration)
    }

    /// Why a presented ticket did not count (the attempt is treated as a first one).
    public enum TicketProblem: Sendable, Equatable {
        /// Not a ticket this registrar sealed (wrong length or MAC).
        case notIssuedHere
        /// Sealed here, but for another topic or record.
        case otherAdvertisement
        /// Presented before its waiting time was over.
        case early
        /// Presented after the retry window.
        case late
    }

    /// Counters since creation.
    public struct Statistics: Sendable, Equatable {
        /// Registrations admitted to the cache (renewals included).
        public var admitted = 0
        /// Tickets handed out with a wait.
        public var ticketsIssued = 0
        /// Presented tickets that did not count (see ``TopicRegistrar/TicketProblem``).
        public var ticketsRefused = 0
        /// Advertisements dropped at the end of their lifetime.
        public var expired = 0
    }

    /// The registrar's parameters.
    public let config: TopicRegistrarConfig
    /// Counters since creation.
    public private(set) var statistics = Statistics()
    private let sealer: TicketSealer
    private struct AdKey: Hashable { var topic: TopicID; var node: NodeID }
    private var ads: [AdKey: Advertisement] = [:]
    private var topicCounts: [TopicID: Int] = [:]
    private var addresses = IPSimilarityTree()
    /// Admission order, which is expiry order (every advertisement lives `adLifetime`); entries
    /// of renewed advertisements are skipped when their expiry no longer matches.
    private var expiries: [(expiry: Duration, key: AdKey)] = []
    private var expiriesHead = 0
    private struct LowerBound { var wait: Duration; var at: Duration }
    private var topicBounds: [TopicID: LowerBound] = [:]
    private var addressBounds: [IPSimilarityTree.Vertex: LowerBound] = [:]

    /// A registrar whose ticket key comes from `random` (the node's injected source).
    public init(config: TopicRegistrarConfig = TopicRegistrarConfig(), using random: inout some RandomNumberGenerator) {
        self.init(config: config, ticketKey: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) })
    }

    /// A registrar sealing its tickets with `ticketKey` (secret, at least 32 bytes).
    public init(config: TopicRegistrarConfig = TopicRegistrarConfig(), ticketKey: [UInt8]) {
        self.config = config
        sealer = TicketSealer(key: ticketKey)
    }

    /// Advertisements cached now, all topics.
    public var count: Int { ads.count }

    /// Advertisements cached now for `topic`.
    public func count(of topic: TopicID) -> Int { topicCounts[topic, default: 0] }

    /// When the oldest advertisement expires; `nil` when the cache is empty.
    public var nextExpiry: Duration? { ads.isEmpty ? nil : expiries[expiriesHead...].first { isCurrent($0) }?.expiry }

    /// Handles REGTOPIC from `nodeID` (the record's own node, checked by the caller) seen at
    /// `ip`: admits the advertisement or answers with a ticket and a wait. A registration of an
    /// advertisement already cached is a renewal: it waits like a new one, scored without itself,
    /// and its time in the cache counts as time waited (an advertiser that waited once does not
    /// lose its place for a second wait).
    public mutating func register(
        topic: TopicID, record: NodeRecord, nodeID: NodeID, ip: [UInt8], ticket sealed: [UInt8], now: Duration
    ) -> (outcome: Outcome, ticketProblem: TicketProblem?) {
        removeExpired(now: now)
        let digest = TicketSealer.adDigest(topic: topic, recordRLP: record.rlpEncoding)
        var firstAttempt = now
        var problem: TicketProblem?
        if !sealed.isEmpty {
            switch sealer.open(sealed) {
            case nil:
                problem = .notIssuedHere
            case let ticket? where ticket.adDigest != digest:
                problem = .otherAdvertisement
            case let ticket? where now < ticket.lastIssued + ticket.wait:
                problem = .early
            case let ticket? where now > ticket.lastIssued + ticket.wait + config.retryWindow:
                problem = .late
            case let ticket?:
                firstAttempt = ticket.firstIssued
            }
        }
        if problem != nil { statistics.ticketsRefused += 1 }
        let key = AdKey(topic: topic, node: nodeID)
        let renewed = ads[key]
        if let renewed {
            firstAttempt = min(firstAttempt, renewed.expiry - config.adLifetime)
            remove(key, renewed)
        }
        let parts = waitingParts(topic: topic, ip: ip, now: now)
        let remaining = config.admissionControl ? parts.topic + parts.address + parts.safety - (now - firstAttempt)
            : ads.count < config.capacity ? .zero : config.adLifetime
        if remaining <= .zero, ads.count < config.capacity {
            admit(Advertisement(topic: topic, record: record, nodeID: nodeID, ip: ip, expiry: now + config.adLifetime), key)
            return (.admitted(lifetime: config.adLifetime), problem)
        }
        if let renewed { admit(renewed, key, counted: false) }
        // A full cache's wait stands for "never", not for a term worth remembering. The bounds
        // are kept for the topic while it is cached and for the deepest address-tree vertex on
        // the advertiser's path (both bounded by the cache).
        if ads.count < config.capacity {
            if topicCounts[topic] != nil { topicBounds[topic] = LowerBound(wait: parts.topic, at: now) }
            if let vertex = parts.vertex { addressBounds[vertex] = LowerBound(wait: parts.address, at: now) }
        }
        // A single wait never exceeds E (the advertiser would not wait longer anyway); whole
        // milliseconds, as the wire carries it.
        let wait = min(max(remaining, .milliseconds(1)), config.adLifetime).roundedUpToMilliseconds
        statistics.ticketsIssued += 1
        let ticket = TopicTicket(adDigest: digest, firstIssued: firstAttempt, lastIssued: now, wait: wait)
        return (.wait(ticket: sealer.seal(ticket), wait: wait), problem)
    }

    /// Up to ``TopicRegistrarConfig/maximumReturned`` advertisers of `topic`, a random subset
    /// when there are more.
    public mutating func advertisers(of topic: TopicID, now: Duration, using random: inout some RandomNumberGenerator) -> [NodeRecord] {
        removeExpired(now: now)
        guard topicCounts[topic] != nil else { return [] }
        var found = ads.values.filter { $0.topic == topic }.map(\.record)
        found.shuffle(using: &random)
        return Array(found.prefix(config.maximumReturned))
    }

    /// Drops advertisements whose lifetime is over.
    public mutating func removeExpired(now: Duration) {
        while expiriesHead < expiries.count, expiries[expiriesHead].expiry <= now {
            let entry = expiries[expiriesHead]
            expiriesHead += 1
            if isCurrent(entry), let ad = ads[entry.key] {
                remove(entry.key, ad)
                statistics.expired += 1
            }
        }
        if expiriesHead > config.capacity, expiriesHead * 2 > expiries.count {
            expiries.removeFirst(expiriesHead)
            expiriesHead = 0
        }
    }

    /// The waiting time an advertisement of `topic` from `ip` is asked for now, lower bounds
    /// applied (a ticket issued for it raises them).
    public func waitingTime(topic: TopicID, ip: [UInt8], now: Duration) -> Duration {
        let parts = waitingParts(topic: topic, ip: ip, now: now)
        return parts.topic + parts.address + parts.safety
    }

    /// Entries held in all of the registrar's tables: advertisements, the expiry queue, the
    /// address tree and the lower bounds. None of them grows with pending registrations.
    var retainedEntries: Int {
        ads.count + (expiries.count - expiriesHead) + topicCounts.count + addresses.counts.count + topicBounds.count
            + addressBounds.count
    }

    /// Records cached now, for tests and inspection.
    public var advertisements: [Advertisement] { Array(ads.values) }

    // MARK: Internals

    private func isCurrent(_ entry: (expiry: Duration, key: AdKey)) -> Bool { ads[entry.key]?.expiry == entry.expiry }

    /// The three terms of `w` (topic share, address score, safety constant), each at most
    /// ``maximumWait`` (a full cache's, standing for "never"), and the deepest address-tree
    /// vertex on the advertiser's path (where its address bound lives).
    private func waitingParts(
        topic: TopicID, ip: [UInt8], now: Duration
    ) -> (topic: Duration, address: Duration, safety: Duration, vertex: IPSimilarityTree.Vertex?) {
        let cached = Double(ads.count)
        let capacity = Double(config.capacity)
        let lifetime = config.adLifetime.secondsValue
        let scale = cached >= capacity ? .infinity : lifetime / pow(1 - cached / capacity, config.occupancyExponent)
        let topicShare = cached == 0 ? 0 : Double(topicCounts[topic, default: 0]) / cached
        let address = IPSimilarityTree.Address(ip)
        let addressScore = address.map { addresses.score($0) } ?? 1
        func bounded(_ seconds: Double) -> Duration {
            seconds >= maximumWait.secondsValue || seconds.isNaN ? maximumWait : .seconds(seconds)
        }
        var topicWait = bounded(scale * topicShare)
        var addressWait = bounded(scale * addressScore)
        if let bound = topicBounds[topic] { topicWait = max(topicWait, bound.wait - (now - bound.at)) }
        let vertex = address.flatMap { addresses.deepestVertex(of: $0) }
        if let vertex, let bound = addressBounds[vertex] { addressWait = max(addressWait, bound.wait - (now - bound.at)) }
        return (topicWait, addressWait, bounded(scale * config.safetyConstant), vertex)
    }

    /// Stands for an unbounded wait (a full cache): a thousand lifetimes.
    private var maximumWait: Duration { config.adLifetime * 1_000 }

    private mutating func admit(_ ad: Advertisement, _ key: AdKey, counted: Bool = true) {
        ads[key] = ad
        topicCounts[ad.topic, default: 0] += 1
        if let address = IPSimilarityTree.Address(ad.ip) { addresses.insert(address) }
        if counted {
            expiries.append((ad.expiry, key))
            statistics.admitted += 1
        }
    }

    private mutating func remove(_ key: AdKey, _ ad: Advertisement) {
        ads[key] = nil
        if let left = topicCounts[ad.topic], left > 1 {
            topicCounts[ad.topic] = left - 1
        } else {
            topicCounts[ad.topic] = nil
            topicBounds[ad.topic] = nil
        }
        if let address = IPSimilarityTree.Address(ad.ip) {
            for vertex in addresses.remove(address) { addressBounds[vertex] = nil }
        }
    }
}

