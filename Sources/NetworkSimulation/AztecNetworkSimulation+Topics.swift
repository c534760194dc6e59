import DiscV5
import ENR

/// Topic discovery (``TopicSettings``): Aztec nodes search the Aztec topic beside their random
/// lookups and dial the advertisers found.
extension AztecNetworkSimulation {
    func startTopicSearch(_ index: Int) {
        guard nodes[index].discovery != nil else { return }
        let (id, actions) = nodes[index].discovery!.searchTopic(Self.discoveryTopic, now: now.sinceStart, using: &rng)
        guard let id else { return }
        nodes[index].topicSearch = id
        topicSearchesStarted += 1
        nodes[index].topicSearchesStarted += 1
        applyDiscovery(index, actions)
    }

    /// The node's search ended: the Aztec advertisers it found become dial candidates (beside
    /// the table's), replacing those of its previous search.
    func topicSearchFinished(_ index: Int, _ records: [NodeRecord]) {
        nodes[index].topicSearch = nil
        let found = records.compactMap { record -> TableEntry? in
            guard discoveryConfig.filter.admits(record), let endpoint = record.udpEndpoint,
                  indexByNodeID[record.discoveryNodeID].map({ Int($0) != index }) == true
            else { return nil }
            return TableEntry(record: record, endpoint: endpoint, lastSeen: now.sinceStart)
        }
        topicSearchResults.append(found.count)
        topicSybilsFound += found.count { indexByNodeID[$0.nodeID].map { nodes[Int($0)].isTopicSybil } == true }
        nodes[index].topicPeers = found
        if found.count >= scenario.join.targetPeers, nodes[index].topicSearchReachedTargetAt == nil {
            nodes[index].topicSearchReachedTargetAt = now
        }
    }
}

/// What topic discovery did in a run (``TopicSettings``).
public struct TopicReport: Hashable, Sendable, Codable {
    /// Searches the Aztec nodes started and finished, and the Aztec advertisers each finished
    /// one found.
    public var searchesStarted: Int
    /// Of those, the searches that finished before the run ended.
    public var searchesFinished: Int
    /// Advertisers claiming the Aztec chain one finished search found (sybils included).
    public var advertisersFoundPerSearch: SimulationReport.Spread
    /// The share of sybils among the advertisers those searches found (``TopicSettings/sybils``).
    public var sybilShareOfFound: Double
    /// Honest Aztec nodes that searched, those of them whose search found their target peer
    /// count (``JoinSettings/targetPeers``) of advertisers, and the seconds from their start
    /// until the first such search ended.
    public var searchers: Int
    /// Of those, the nodes one of whose searches found at least the target.
    public var searchersReachingTarget: Int
    /// Seconds from such a node's start until its first search that found the target ended.
    public var secondsToTargetAdvertisers: SimulationReport.Spread
    /// Per running honest Aztec node at the end: registrars holding its advertisement.
    public var placedPerAdvertiser: SimulationReport.Spread
    /// Of those, the ones no registrar held an advertisement of.
    public var advertisersWithoutPlacement: Int
    /// Advertisements admitted by all registrars during the run (renewals included).
    public var admissions: Int
    /// Advertisements registrars held at the end: the most at one registrar, the mean over
    /// registrars holding any, and the cache capacity `C` that bounds them.
    public var adsHeldMaximum: Int
    /// Advertisements held at the end, mean over the registrars holding any.
    public var adsHeldMean: Double
    /// The registrars' cache capacity `C`.
    public var registrarCapacity: Int
    /// REGTOPIC and TOPICQUERY requests a second at the busiest registrar (over the run), and
    /// that registrar's role (`aztec`, `bootnode`, `other`).
    public var busiestRegistrarRequestsPerSecond: Double
    /// The role of that registrar: `aztec`, `bootnode` or `other` (empty if no registrar had a
    /// request).
    public var busiestRegistrarRole: String

    init(simulation s: AztecNetworkSimulation) {
        let now = s.now.sinceStart
        searchesStarted = s.topicSearchesStarted
        searchesFinished = s.topicSearchResults.count
        advertisersFoundPerSearch = SimulationReport.spread(s.topicSearchResults.map(Double.init))
        let foundTotal = s.topicSearchResults.reduce(0, +)
        sybilShareOfFound = foundTotal > 0 ? Double(s.topicSybilsFound) / Double(foundTotal) : 0
        let honest = s.nodes.filter { $0.role == .aztec && !$0.isAttacker && $0.startedAt != nil }
        let reached = honest.filter { $0.topicSearchReachedTargetAt != nil }
        searchers = honest.filter { $0.topicSearchesStarted > 0 }.count
        searchersReachingTarget = reached.count
        secondsToTargetAdvertisers = SimulationReport.spread(reached.map { ($0.topicSearchReachedTargetAt! - $0.startedAt!).seconds })
        let advertisers = s.nodes.filter { $0.role == .aztec && !$0.isAttacker && $0.alive }
        let placed = advertisers.map {
            $0.discovery?.advertisementStatus(of: AztecNetworkSimulation.discoveryTopic, now: now)?.placed ?? 0
        }
        placedPerAdvertiser = SimulationReport.spread(placed.map(Double.init))
        advertisersWithoutPlacement = s.scenario.topics?.advertise == true ? placed.filter { $0 == 0 }.count : 0
        var held: [Int] = []
        var admissions = 0
        var busiest = (requests: 0, role: "")
        for node in s.nodes {
            guard var registrar = node.discovery?.topicRegistrar else { continue }
            admissions += registrar.statistics.admitted
            registrar.removeExpired(now: now)
            if registrar.count > 0 { held.append(registrar.count) }
            let requests = node.discovery?.statistics.topicRequestsHandled ?? 0
            if requests > busiest.requests { busiest = (requests, "\(node.role)") }
        }
        self.admissions = admissions
        adsHeldMaximum = held.max() ?? 0
        adsHeldMean = held.isEmpty ? 0 : Double(held.reduce(0, +)) / Double(held.count)
        registrarCapacity = s.discoveryConfig.topicRegistrar?.capacity ?? 0
        busiestRegistrarRequestsPerSecond = s.now.seconds > 0 ? Double(busiest.requests) / s.now.seconds : 0
        busiestRegistrarRole = busiest.role
    }
}
