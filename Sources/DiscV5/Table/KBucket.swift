import DequeModule

/// One log-distance bucket: live entries ordered from least to most recently seen, and a
/// replacement cache of candidates (most recent last) for entries that fail a liveness check.
struct KBucket: Sendable {
    var entries: [TableEntry] = []
    var replacements = Deque<TableEntry>()
    /// The entry whose liveness is being checked because a candidate wants its place.
    var checking: NodeID?

    func index(of id: NodeID) -> Int? { entries.firstIndex { $0.nodeID == id } }
    func replacementIndex(of id: NodeID) -> Int? { replacements.firstIndex { $0.nodeID == id } }

    func count(in subnet: Subnet) -> Int { entries.reduce(0) { $0 + ($1.subnet == subnet ? 1 : 0) } }
}
