import ENR

/// Identifies a lookup of a ``DiscoveryNode``.
public struct LookupID: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public var description: String { "lookup-\(value)" }
}

/// An iterative Kademlia lookup: candidates ordered by XOR distance to the target, at most α
/// queries in flight, finished when the k closest non-failed candidates have all answered.
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
    }

    let id: LookupID
    let target: NodeID
    let deadline: Duration
    private(set) var candidates: [Candidate] = []
    /// FINDNODE requests sent.
    private(set) var queries = 0
    private let resultCount: Int
    private let parallelism: Int
    private let capacity: Int

    init(id: LookupID, target: NodeID, deadline: Duration, resultCount: Int, parallelism: Int) {
        self.id = id
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
        candidates.insert(Candidate(record: record, nodeID: nodeID, endpoint: endpoint, state: .fresh), at: position)
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
        for index in candidates.indices where candidates[index].state != .failed {
            guard considered < resultCount, available > 0 else { break }
            considered += 1
            if candidates[index].state == .fresh {
                picked.append(index)
                available -= 1
            }
        }
        return picked
    }

    mutating func markWaiting(_ index: Int, request: RequestID) {
        candidates[index].state = .waiting(request)
        queries += 1
    }

    /// Marks the candidate queried with `request` as answered (`true`) or failed.
    mutating func complete(_ nodeID: NodeID, responded: Bool) {
        guard let index = candidates.firstIndex(where: { $0.nodeID == nodeID }) else { return }
        candidates[index].state = responded ? .responded : .failed
    }

    /// Whether nothing more can improve the result.
    var isFinished: Bool { inFlight == 0 && nextToQuery().isEmpty }

    /// The k closest candidates that answered.
    var result: [NodeRecord] {
        Array(candidates.lazy.filter { $0.state == .responded }.prefix(resultCount).map(\.record))
    }
}

extension Lookup.State {
    var isWaiting: Bool {
        if case .waiting = self { return true }
        return false
    }
}
