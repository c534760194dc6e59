/// Merkle proof verification and helpers from the SSZ Merkle proof formats.
public enum MerkleProofs {
    /// `get_helper_indices`: the extra nodes needed to prove `indices`, in decreasing order.
    public static func helperIndices(_ indices: [GeneralizedIndex]) -> [GeneralizedIndex] {
        var helpers = Set<GeneralizedIndex>()
        var paths = Set<GeneralizedIndex>()
        for index in indices {
            helpers.formUnion(index.branchIndices)
            paths.formUnion(index.pathIndices)
        }
        return helpers.subtracting(paths).sorted(by: >)
    }

    /// `calculate_merkle_root`; `nil` when the proof length does not match the index depth.
    public static func calculateRoot(leaf: SSZRoot, proof: [SSZRoot], index: GeneralizedIndex) -> SSZRoot? {
        guard proof.count == index.depth else { return nil }
        var node = leaf
        for (position, sibling) in proof.enumerated() {
            node = index.bit(position) ? Merkleizer.hash(sibling, node) : Merkleizer.hash(node, sibling)
        }
        return node
    }

    /// `verify_merkle_proof`.
    public static func verify(leaf: SSZRoot, proof: [SSZRoot], index: GeneralizedIndex, root: SSZRoot) -> Bool {
        calculateRoot(leaf: leaf, proof: proof, index: index) == root
    }

    /// `calculate_multi_merkle_root`; `nil` when the counts do not match or the nodes do not reach the root.
    public static func calculateMultiRoot(leaves: [SSZRoot], proof: [SSZRoot], indices: [GeneralizedIndex]) -> SSZRoot? {
        guard leaves.count == indices.count else { return nil }
        let helpers = helperIndices(indices)
        guard proof.count == helpers.count else { return nil }
        var objects: [GeneralizedIndex: SSZRoot] = [:]
        for (index, leaf) in zip(indices, leaves) { objects[index] = leaf }
        for (index, node) in zip(helpers, proof) { objects[index] = node }
        var keys = objects.keys.sorted(by: >)
        var position = 0
        while position < keys.count {
            let key = keys[position]
            let parent = key.parent
            if key.rawValue > 1, objects[parent] == nil,
               let left = objects[GeneralizedIndex(unchecked: key.rawValue & ~1)],
               let right = objects[GeneralizedIndex(unchecked: key.rawValue | 1)] {
                objects[parent] = Merkleizer.hash(left, right)
                keys.append(parent)
            }
            position += 1
        }
        return objects[.root]
    }

    /// `verify_merkle_multiproof`.
    public static func verifyMulti(leaves: [SSZRoot], proof: [SSZRoot], indices: [GeneralizedIndex], root: SSZRoot) -> Bool {
        calculateMultiRoot(leaves: leaves, proof: proof, indices: indices) == root
    }
}
