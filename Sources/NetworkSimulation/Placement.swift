import AztecP2P

/// Deterministic assignment of nodes to categories (regions, bandwidth classes) by share.
public enum Placement {
    /// How many of `count` nodes each share gets: largest remainders, so the counts add up to
    /// `count` and each is within one of `count × share`. Shares need not sum to 1 (they are
    /// normalised); all must be finite and non-negative with a positive sum.
    public static func counts(of count: Int, shares: [Double]) -> [Int] {
        let total = shares.reduce(0, +)
        guard count > 0, total > 0 else { return shares.map { _ in 0 } }
        let exact = shares.map { Double(count) * $0 / total }
        var counts = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { a, b in
            let ra = exact[a] - exact[a].rounded(.down), rb = exact[b] - exact[b].rounded(.down)
            return ra != rb ? ra > rb : a < b
        }
        for index in order.prefix(count - counts.reduce(0, +)) { counts[index] += 1 }
        return counts
    }

    /// A category for each of `count` nodes: ``counts(of:shares:)`` of each, in an order shuffled by `rng`.
    public static func assign(_ count: Int, shares: [Double], using rng: inout SplitMix64) -> [Int] {
        var categories: [Int] = []
        categories.reserveCapacity(count)
        for (category, n) in counts(of: count, shares: shares).enumerated() {
            categories.append(contentsOf: repeatElement(category, count: n))
        }
        // Fisher–Yates with the simulation's own generator (the standard shuffle's algorithm may change).
        if categories.count > 1 {
            for i in stride(from: categories.count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                categories.swapAt(i, j)
            }
        }
        return categories
    }

    /// One category drawn at random with probabilities proportional to `shares` (for a node that
    /// joins later, one at a time).
    public static func draw(shares: [Double], using rng: inout SplitMix64) -> Int {
        let total = shares.reduce(0, +)
        var point = Double(rng.next() >> 11) / Double(1 << 53) * total
        for (category, share) in shares.enumerated() {
            if point < share { return category }
            point -= share
        }
        return max(0, shares.lastIndex { $0 > 0 } ?? 0)
    }
}
