/// Sybils that go for one honest node (issue 13's `eclipse-gossip`): a number of nodes, chosen by
/// the seed, dial one victim, also chosen by the seed, as soon as it runs (or from
/// ``attackAtSeconds``), GRAFT it at once and forward nothing, as censors do (``CensorSettings``).
/// Peer exchange is no vector against the node: it never dials the peers a PRUNE names.
public struct EclipseSettings: Hashable, Sendable, Codable {
    /// Attacker nodes, taken from the scenario's nodes.
    public var sybils = 50
    /// When they dial the victim: `nil` (the default) the moment it starts, before it has dialed
    /// anyone; later, a victim already connected.
    public var attackAtSeconds: Double?

    public init() {}

    enum CodingKeys: String, CodingKey { case sybils, attackAtSeconds }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sybils = try c.decodeIfPresent(Int.self, forKey: .sybils) ?? sybils
        attackAtSeconds = try c.decodeIfPresent(Double.self, forKey: .attackAtSeconds)
    }

    func problem(nodes: Int, duration: Double) -> String? {
        guard sybils >= 1, sybils < nodes - 1 else { return "sybils must leave the victim an honest peer" }
        if let at = attackAtSeconds, !(at.isFinite && (0...duration).contains(at)) { return "attackAtSeconds must be within the run" }
        return nil
    }
}
