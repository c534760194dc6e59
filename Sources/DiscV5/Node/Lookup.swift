import ENR

/// Identifies a lookup of a ``DiscoveryNode``.
public struct LookupID: Hashable, Sendable, CustomStringConvertible {
    /// The lookup's number: counts from 1, shared by a node's lookups and topic searches.
    public let value: UInt64
    /// The id numbered `value`.
    public init(_ value: UInt64) { self.value = value }
    /// `lookup-<value>`.
    public var description: String { "lookup-\(value)" }
}

/// An iterative Kademlia lookup: candidates ordered by XOR distance to the target, at most α
/// queries in flight, finished when the k closest non-failed candidates have all answered and
/// none of them has a useful distance left unasked.
///
/// A responder stops at ``DiscoveryConfig/maximumNodesPerResponse`` records, so one FINDNODE may
/// not cover every distance it asked. Each candidate keeps a plan of distances; a truncated
/// answer leaves the distances it did not cover in the plan, and the candidate is asked again
/// (at most ``maximumQueriesPerPeer`` times) while a planned distance can still hold nodes at
/// least as close to the target as the current k-th closest candidate.
struct Lookup: Sendable {
    enum State: Sendable, Equatable {
        case fresh
        case waiting(RequestID)
        case responded
        case failed
    }

    struct Candidate: Sendable {
        var record: NodeRecord
        var nodeID: NodeID
        var endpoint: Endpoint
        var state: State
        /// Distances not yet covered by an answer, most useful first.
        var plan: [UInt16]
        /// Whether the candidate has answered at least once (it counts in the result).
        var answered = false
        var queriesSent = 0
    }

    /// FINDNODE requests one lookup sends to one peer (the first and follow-ups).
    static let maximumQueriesPerPeer = 3

    let id: LookupID
    let target: NodeID
    let deadline: Duration
    private(set) var candidates: [Candidate] = []
    /// FINDNODE requests sent.
    private(set) var queries = 0
    private let resultCount: Int
    private let parallelism: Int
    private let capacity: Int
    private let distanceCount: Int
    private let responseLimit: Int

    init(
        id: LookupID, target: NodeID, deadline: Duration, resultCount: Int, parallelism: Int, distanceCount: Int = 6,
        responseLimit: Int = 16
    ) {
        self.id = id
        self.distanceCount = distanceCount
        self.responseLimit = responseLimit
        self.target = target
        self.deadline = deadline
        self.resultCount = resultCount
        self.parallelism = parallelism
        self.capacity = resultCount * 4
    }

    var inFlight: Int { candidates.reduce(0) { $0 + ($1.state.isWaiting ? 1 : 0) } }

    /// Adds `record` as a candidate (ignored when known, without endpoint, or too far).
    mutating func add(_ record: NodeRecord, nodeID: NodeID, localID: NodeID) {
        guard nodeID != localID else { return }
        if let index = candidates.firstIndex(where: { $0.nodeID == nodeID }) {
            if candidates[index].record.sequenceNumber < record.sequenceNumber, candidates[index].state == .fresh,
               let endpoint = record.udpEndpoint {
                candidates[index].record = record
                candidates[index].endpoint = endpoint
            }
            return
        }
        let position = candidates.firstIndex { XORDistance.isCloser(nodeID, than: $0.nodeID, to: target) }
            ?? candidates.endIndex
        guard position < capacity, let endpoint = record.udpEndpoint else { return }
        let plan = Self.plan(from: nodeID, to: target, firstCount: distanceCount)
        candidates.insert(
            Candidate(record: record, nodeID: nodeID, endpoint: endpoint, state: .fresh, plan: plan), at: position)
        // Drop the farthest candidates beyond capacity (never one awaiting an answer).
        while candidates.count > capacity, let last = candidates.lastIndex(where: { !$0.state.isWaiting }) {
            candidates.remove(at: last)
        }
    }

    /// The next candidates to query (state becomes waiting once the caller has a request id).
    func nextToQuery() -> [Int] {
        var available = parallelism - inFlight
        guard available > 0 else { return [] }
        var picked: [Int] = []
        var considered = 0
        let horizon = kthDistance
        for index in candidates.indices where candidates[index].state != .failed {
            guard considered < resultCount, available > 0 else { break }
            considered += 1
            if candidates[index].state == .fresh, hasUsefulDistance(index, horizon: horizon) {
                picked.append(index)
                available -= 1
            }
        }
        return picked
    }

    /// The distances to ask the candidate at `index` next (at most the configured count).
    func distancesToAsk(_ index: Int) -> [UInt16] {
        Array(usefulDistances(index, horizon: kthDistance).prefix(distanceCount))
    }

    mutating func markWaiting(_ index: Int, request: RequestID) {
        candidates[index].state = .waiting(request)
        candidates[index].queriesSent += 1
        queries += 1
    }

    /// Records the end of a query of `nodeID` for `distances`: `records` are the node ids of the
    /// whole answer, `nil` when the query failed without any answer.
    mutating func complete(_ nodeID: NodeID, asked distances: [UInt16], records: [NodeID]?) {
        guard let index = candidates.firstIndex(where: { $0.nodeID == nodeID }) else { return }
        guard let records else {
            if !candidates[index].answered { candidates[index].state = .failed } else { candidates[index].state = .responded }
            return
        }
        candidates[index].answered = true
        var covered = distances
        if records.count >= responseLimit {
            // Truncated: the responder filled distances in order; the last one present may be cut.
            let present = Set(records.map { UInt16(nodeID.logDistance(to: $0)) })
            let last = distances.lastIndex(where: present.contains) ?? 0
            covered = Array(distances.prefix(max(last, 1)))
        }
        candidates[index].plan.removeAll { covered.contains($0) }
        let more = candidates[index].queriesSent < Self.maximumQueriesPerPeer && !candidates[index].plan.isEmpty
        candidates[index].state = more ? .fresh : .responded
    }

    /// Whether nothing more can improve the result.
    var isFinished: Bool { inFlight == 0 && nextToQuery().isEmpty }

    /// The k closest candidates that answered.
    var result: [NodeRecord] {
        Array(candidates.lazy.filter(\.answered).prefix(resultCount).map(\.record))
    }

    /// The log distance to the target of the k-th closest candidate not failed (257 while fewer).
    private var kthDistance: Int {
        var seen = 0
        for candidate in candidates where candidate.state != .failed {
            seen += 1
            if seen == resultCount { return candidate.nodeID.logDistance(to: target) }
        }
        return 257
    }

    /// The planned distances of the candidate at `index` that can hold nodes whose log distance
    /// to the target is at most `horizon`.
    private func usefulDistances(_ index: Int, horizon: Int) -> [UInt16] {
        let center = candidates[index].nodeID.logDistance(to: target)
        return candidates[index].plan.filter { Self.reaches($0, center: center, horizon: horizon) }
    }

    private func hasUsefulDistance(_ index: Int, horizon: Int) -> Bool {
        let center = candidates[index].nodeID.logDistance(to: target)
        return candidates[index].plan.contains { Self.reaches($0, center: center, horizon: horizon) }
    }

    /// Whether a peer at log distance `center` from the target can hold, at `distance` from
    /// itself, nodes within `horizon` of the target: at `e > center` it holds nodes at `e` from
    /// the target; at `e < center`, nodes at `center`; at `center`, closer ones.
    private static func reaches(_ distance: UInt16, center: Int, horizon: Int) -> Bool {
        let e = Int(distance)
        let reach = e > center ? e : (e < center ? center : center - 1)
        return reach <= horizon
    }

    /// The first query's distances, then more of the shells around the target for follow-ups.
    static func plan(from peer: NodeID, to target: NodeID, firstCount: Int) -> [UInt16] {
        let first = DiscoveryNode.lookupDistances(from: peer, to: target, count: firstCount)
        let more = DiscoveryNode.lookupDistances(from: peer, to: target, count: 16).filter { !first.contains($0) }
        return first + more
    }
}

extension Lookup.State {
    var isWaiting: Bool {
        if case .waiting = self { return true }
        return false
    }
}
