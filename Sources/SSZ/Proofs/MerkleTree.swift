/// A fully materialized binary Merkle tree over chunks, for creating proofs.
///
/// `nodes[k]` is the node with generalized index `k` (`merkle_tree` of the proof formats).
/// Memory is two chunks per padded leaf: meant for containers and modest lists.
public struct MerkleTree: Sendable {
    /// Nodes by generalized index; index 0 is unused.
    public let nodes: [SSZRoot]

    /// A tree over `leaves`, padded with zero chunks to `limit` leaves (or the next power of two).
    public init(leaves: [SSZRoot], limit: Int? = nil) {
        let width = 1 << Merkleizer.depth(forLeaves: Swift.max(limit ?? leaves.count, leaves.count))
        var nodes = [SSZRoot](repeating: .zero, count: 2 * width)
        for (index, leaf) in leaves.enumerated() { nodes[width + index] = leaf }
        var index = width - 1
        while index >= 1 {
            nodes[index] = Merkleizer.hash(nodes[2 * index], nodes[2 * index + 1])
            index -= 1
        }
        self.nodes = nodes
    }

    /// The tree of a container's field roots.
    public init<T: SSZContainer>(container: T) {
        self.init(leaves: container.sszFieldRoots)
    }

    /// The root.
    public var root: SSZRoot { nodes[1] }

    /// The node at `index`, or `nil` outside the tree.
    public func node(_ index: GeneralizedIndex) -> SSZRoot? {
        index.rawValue < UInt64(nodes.count) ? nodes[Int(index.rawValue)] : nil
    }

    /// A single-item proof (the branch, leaf to root); `nil` outside the tree.
    public func proof(for index: GeneralizedIndex) -> [SSZRoot]? {
        guard node(index) != nil else { return nil }
        return index.branchIndices.map { nodes[Int($0.rawValue)] }
    }

    /// A multiproof: the helper nodes of `indices` in `get_helper_indices` order; `nil` if any is outside the tree.
    public func multiproof(for indices: [GeneralizedIndex]) -> [SSZRoot]? {
        var proof: [SSZRoot] = []
        for helper in MerkleProofs.helperIndices(indices) {
            guard let value = node(helper) else { return nil }
            proof.append(value)
        }
        return proof
    }
}
