/// Counters over the bit prefixes of the addresses of a registrar's advertisements, scoring how
/// over-represented a new address's prefixes are (discv5 theory, "IP Similarity Tree").
///
/// IPv4 addresses are counted over their 32 bits, IPv6 addresses over their first 64 (a /64 is
/// what one subscriber usually holds, so more bits would only let one host look diverse), in two
/// separate trees. Only vertices with a count are stored: at most `width` per advertisement.
struct IPSimilarityTree: Sendable {
    /// One prefix: the address family, its length in bits and the bits, top-aligned.
    struct Vertex: Hashable, Sendable {
        var family: UInt8
        var depth: UInt8
        var prefix: UInt64
    }

    /// An address as the tree reads it: family, width in bits, the bits top-aligned.
    struct Address: Hashable, Sendable {
        var family: UInt8
        var width: Int
        var bits: UInt64

        /// `nil` unless `ip` has 4 or 16 bytes.
        init?(_ ip: [UInt8]) {
            switch ip.count {
            case 4:
                family = 4
                width = 32
                bits = ip.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } << 32
            case 16:
                family = 6
                width = 64
                bits = ip[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            default:
                return nil
            }
        }

        func vertex(depth: Int) -> Vertex {
            let mask: UInt64 = depth == 0 ? 0 : ~UInt64(0) << UInt64(64 - depth)
            return Vertex(family: family, depth: UInt8(depth), prefix: bits & mask)
        }
    }

    private(set) var counts: [Vertex: Int] = [:]

    /// Number of addresses counted in `address`'s family.
    func total(of address: Address) -> Int { counts[address.vertex(depth: 0), default: 0] }

    mutating func insert(_ address: Address) {
        for depth in 0...address.width { counts[address.vertex(depth: depth), default: 0] += 1 }
    }

    /// Uncounts `address`; returns the vertices no address holds any more.
    @discardableResult
    mutating func remove(_ address: Address) -> [Vertex] {
        var emptied: [Vertex] = []
        for depth in 0...address.width {
            let vertex = address.vertex(depth: depth)
            guard let count = counts[vertex] else { continue }
            if count > 1 {
                counts[vertex] = count - 1
            } else {
                counts[vertex] = nil
                emptied.append(vertex)
            }
        }
        return emptied
    }

    /// How over-represented `address`'s prefixes are, in 0...1: at each level, the share by
    /// which the prefix's count exceeds what a balanced tree would hold there (0 when it does
    /// not), averaged over the levels. An address whose whole /24 already holds every IPv4
    /// advertisement scores at least 0.75 (24 of 32 levels); one in an unrepresented prefix scores close to 0.
    func score(_ address: Address) -> Double {
        let total = Double(total(of: address))
        guard total > 0 else { return 0 }
        var sum = 0.0
        var expected = total
        for depth in 1...address.width {
            expected /= 2
            let count = Double(counts[address.vertex(depth: depth), default: 0])
            if count > expected { sum += (count - expected) / (total - expected) }
        }
        return sum / Double(address.width)
    }

    /// The deepest vertex on `address`'s path that has a count (its family's root at least,
    /// when the family has any address); `nil` when the family has none.
    func deepestVertex(of address: Address) -> Vertex? {
        var found: Vertex?
        for depth in 0...address.width {
            let vertex = address.vertex(depth: depth)
            guard counts[vertex] != nil else { break }
            found = vertex
        }
        return found
    }
}
