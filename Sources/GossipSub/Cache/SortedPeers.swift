/// A set of peers held as a sorted array, so that visiting it in the defined order the router
/// needs costs no sort. Membership changes (subscriptions) are rare next to visits (every
/// publish, forward and heartbeat).
struct SortedPeers<Peer: Comparable & Sendable>: Sequence, Sendable, ExpressibleByArrayLiteral {
    private(set) var elements: [Peer] = []

    init(arrayLiteral peers: Peer...) {
        for peer in peers { insert(peer) }
    }

    var count: Int { elements.count }
    var isEmpty: Bool { elements.isEmpty }

    func makeIterator() -> IndexingIterator<[Peer]> { elements.makeIterator() }

    func contains(_ peer: Peer) -> Bool {
        let i = insertionIndex(peer)
        return i < elements.count && elements[i] == peer
    }

    /// Adds `peer`; false if it was already present.
    @discardableResult
    mutating func insert(_ peer: Peer) -> Bool {
        let i = insertionIndex(peer)
        guard i == elements.count || elements[i] != peer else { return false }
        elements.insert(peer, at: i)
        return true
    }

    /// Removes `peer`; false if it was absent.
    @discardableResult
    mutating func remove(_ peer: Peer) -> Bool {
        let i = insertionIndex(peer)
        guard i < elements.count, elements[i] == peer else { return false }
        elements.remove(at: i)
        return true
    }

    private func insertionIndex(_ peer: Peer) -> Int { elements.lowerBound(of: peer) { $0 } }
}
