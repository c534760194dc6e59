/// A generalized Merkle tree index: `2^depth + index`; the root is 1, the children of `k` are `2k` and `2k + 1`.
///
/// Stored in 64 bits: trees up to depth 63 (enough for every SSZ type with limits below 2^62).
public struct GeneralizedIndex: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The index value (at least 1).
    public let rawValue: UInt64

    /// The root.
    public static let root = GeneralizedIndex(unchecked: 1)

    init(unchecked rawValue: UInt64) { self.rawValue = rawValue }

    /// An index from its value; `nil` for 0.
    public init?(_ rawValue: UInt64) {
        guard rawValue >= 1 else { return nil }
        self.rawValue = rawValue
    }

    /// The node at position `index` of the layer at `depth`; `nil` when out of range or deeper than 63.
    public init?(depth: Int, index: UInt64) {
        guard depth >= 0, depth < 64, index < (UInt64(1) << UInt64(depth)) else { return nil }
        rawValue = (UInt64(1) << UInt64(depth)) | index
    }

    /// `get_generalized_index_length`: the depth of the node (the length of its path from the root).
    public var depth: Int { 63 - rawValue.leadingZeroBitCount }

    /// The position of the node within its layer.
    public var indexInLayer: UInt64 { rawValue ^ (UInt64(1) << UInt64(depth)) }

    /// `get_generalized_index_bit`.
    public func bit(_ position: Int) -> Bool { position < 64 && rawValue & (UInt64(1) << UInt64(position)) != 0 }

    /// `generalized_index_sibling`.
    public var sibling: GeneralizedIndex { GeneralizedIndex(unchecked: rawValue ^ 1) }

    /// `generalized_index_parent` (the root is its own parent).
    public var parent: GeneralizedIndex { GeneralizedIndex(unchecked: Swift.max(rawValue / 2, 1)) }

    /// `generalized_index_child`; `nil` when it would not fit in 64 bits.
    public func child(rightSide: Bool) -> GeneralizedIndex? {
        guard rawValue.leadingZeroBitCount > 0 else { return nil }
        return GeneralizedIndex(unchecked: rawValue << 1 | (rightSide ? 1 : 0))
    }

    /// `concat_generalized_indices`: the index of node `other` of the subtree rooted at `self`; `nil` on overflow.
    public func appending(_ other: GeneralizedIndex) -> GeneralizedIndex? {
        let otherDepth = other.depth
        guard depth + otherDepth < 64 else { return nil }
        return GeneralizedIndex(unchecked: rawValue << UInt64(otherDepth) | other.indexInLayer)
    }

    /// Concatenates indices along a path.
    public static func concatenating(_ indices: [GeneralizedIndex]) -> GeneralizedIndex? {
        var result = GeneralizedIndex.root
        for index in indices {
            guard let next = result.appending(index) else { return nil }
            result = next
        }
        return result
    }

    /// The index of field `position` of a container with `fieldCount` fields.
    public static func containerField(_ position: Int, fieldCount: Int) -> GeneralizedIndex? {
        guard position >= 0, position < fieldCount else { return nil }
        return GeneralizedIndex(depth: Merkleizer.depth(forLeaves: fieldCount), index: UInt64(position))
    }

    /// The index of the field named `name` of container `T`.
    public static func field<T: SSZContainer>(_ name: String, of type: T.Type) -> GeneralizedIndex? {
        guard let position = T.sszFieldNames.firstIndex(of: name) else { return nil }
        return containerField(position, fieldCount: T.sszFieldNames.count)
    }

    /// `get_branch_indices`: the siblings along the path to the root.
    public var branchIndices: [GeneralizedIndex] {
        var result: [GeneralizedIndex] = []
        var node = self
        while node.rawValue > 1 {
            result.append(node.sibling)
            node = node.parent
        }
        return result
    }

    /// `get_path_indices`: the nodes along the path to the root, excluding the root.
    public var pathIndices: [GeneralizedIndex] {
        var result: [GeneralizedIndex] = []
        var node = self
        while node.rawValue > 1 {
            result.append(node)
            node = node.parent
        }
        return result
    }

    /// Numeric order of the indices: a parent precedes its children, and nodes of one depth go left to right.
    public static func < (lhs: GeneralizedIndex, rhs: GeneralizedIndex) -> Bool { lhs.rawValue < rhs.rawValue }
    /// The index in decimal.
    public var description: String { String(rawValue) }
}
