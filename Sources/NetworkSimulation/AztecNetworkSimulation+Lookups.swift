import DiscV5
import ENR

/// Lookups asked for from outside the simulated nodes (tests and measurements), beside the ones
/// the nodes' dial policy starts.
extension AztecNetworkSimulation {
    /// A lookup started by ``startLookup(at:of:)``: at which node, and the core's id for it.
    struct LookupKey: Hashable {
        var node: Int32
        var id: LookupID
    }

    /// Starts a lookup of `target` at running node `index`, as a caller of its discovery would;
    /// `nil` when the node runs no discovery or has as many lookups running as it allows.
    func startLookup(at index: Int, of target: NodeID) -> LookupKey? {
        guard nodes[index].alive, nodes[index].discovery != nil else { return nil }
        let (id, actions) = nodes[index].discovery!.lookup(target, now: now.sinceStart, using: &rng)
        guard let id else { return nil }
        let key = LookupKey(node: Int32(index), id: id)
        pendingLookups.insert(key)
        applyDiscovery(index, actions)
        return key
    }

    /// Starts a search of the Aztec topic at running node `index` (``TopicSettings``), as a caller
    /// of its discovery would; `nil` when the node runs no discovery or too many lookups.
    func startTopicSearch(at index: Int) -> LookupKey? {
        guard nodes[index].alive, nodes[index].discovery != nil else { return nil }
        let (id, actions) = nodes[index].discovery!.searchTopic(Self.discoveryTopic, now: now.sinceStart, using: &rng)
        guard let id else { return nil }
        let key = LookupKey(node: Int32(index), id: id)
        pendingLookups.insert(key)
        applyDiscovery(index, actions)
        return key
    }

    /// The records a finished lookup or topic search found (closest first for a lookup); `nil` while it runs.
    func lookupResult(_ key: LookupKey) -> [NodeRecord]? { finishedLookups[key] }

    /// Node `index`'s discovery node id (discovery mode).
    func discoveryNodeID(of index: Int) -> NodeID { records[index].discoveryNodeID }
}
