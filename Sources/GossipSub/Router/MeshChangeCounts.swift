/// How a router's meshes changed, counted since it started, by cause, to tell why meshes churn
/// (the network simulator writes them per second). Other removals (a peer that disconnects, this
/// router leaving a topic) are not counted.
public struct MeshChangeCounts: Hashable, Sendable, Codable {
    /// GRAFTs this router sent because a mesh was below `D_low` (or new: subscribing).
    public var graftsForShortMesh = 0
    /// GRAFTs it sent to outbound peers because a mesh held fewer than `D_out` of them.
    public var graftsForOutboundQuota = 0
    /// GRAFTs it sent because a mesh's median score was below the opportunistic threshold.
    public var graftsOpportunistic = 0
    /// Peers' GRAFTs it accepted.
    public var graftsAccepted = 0
    /// Peers' GRAFTs it answered with PRUNE (backoff, negative score, a full mesh, a direct peer).
    public var graftsRefused = 0
    /// Peers it pruned because a mesh was above `D_high`.
    public var prunedOverfull = 0
    /// Peers it pruned from a mesh for a negative score.
    public var prunedNegativeScore = 0
    /// Mesh peers that pruned this router.
    public var prunedByPeers = 0

    /// No changes yet.
    public init() {}

    /// The counts of `self` minus `earlier`'s, field by field.
    public func since(_ earlier: MeshChangeCounts) -> MeshChangeCounts { combined(with: earlier, -) }

    /// Field-by-field sum.
    public static func + (a: MeshChangeCounts, b: MeshChangeCounts) -> MeshChangeCounts { a.combined(with: b, +) }

    private static var fields: [WritableKeyPath<MeshChangeCounts, Int>] {
        [\.graftsForShortMesh, \.graftsForOutboundQuota, \.graftsOpportunistic, \.graftsAccepted, \.graftsRefused,
         \.prunedOverfull, \.prunedNegativeScore, \.prunedByPeers]
    }

    private func combined(with other: MeshChangeCounts, _ op: (Int, Int) -> Int) -> MeshChangeCounts {
        var result = self
        for field in Self.fields { result[keyPath: field] = op(self[keyPath: field], other[keyPath: field]) }
        return result
    }
}
