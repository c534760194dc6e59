/// Sybils that go for one honest node (issue 13's `eclipse-gossip`): a number of nodes, chosen by
/// the seed, dial one victim, also chosen by the seed, as soon as it runs (or from
/// ``attackAtSeconds``), GRAFT it at once and forward nothing, as censors do (``CensorSettings``).
/// Peer exchange is no vector against the node: it never dials the peers a PRUNE names.
///
/// With ``throughDiscovery`` (issue 13's `eclipse-discovery`) they do not dial it: they go for
/// its discovery instead. Each has a /24 of its own and, with ``closeIDBits``, a node id that
/// shares that many leading bits with the victim's (ground from fresh keys), so it belongs in the
/// victim's nearest buckets; they know only each other and the victim, talk to no other node, and
/// so answer every FINDNODE with sybils. What the victim dials it picks from what discovery gave it.
public struct EclipseSettings: Hashable, Sendable, Codable {
    /// Attacker nodes, taken from the scenario's nodes.
    public var sybils = 50
    /// When they dial the victim: `nil` (the default) the moment it starts, before it has dialed
    /// anyone; later, a victim already connected.
    public var attackAtSeconds: Double?
    /// Sybils reach the victim through its discovery instead of dialing it (`discovery` join only).
    public var throughDiscovery = false
    /// With ``throughDiscovery``: leading bits each sybil's node id shares with the victim's
    /// (each costs twice the key generations; at most 16).
    public var closeIDBits = 0

    /// The defaults: 50 sybils dial the victim the moment it starts.
    public init() {}

    enum CodingKeys: String, CodingKey { case sybils, attackAtSeconds, throughDiscovery, closeIDBits }

    /// Decodes the scenario file's `eclipse` object: missing keys keep their defaults, unknown keys are
    /// an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sybils = try c.decodeIfPresent(Int.self, forKey: .sybils) ?? sybils
        attackAtSeconds = try c.decodeIfPresent(Double.self, forKey: .attackAtSeconds)
        throughDiscovery = try c.decodeIfPresent(Bool.self, forKey: .throughDiscovery) ?? throughDiscovery
        closeIDBits = try c.decodeIfPresent(Int.self, forKey: .closeIDBits) ?? closeIDBits
    }

    func problem(nodes: Int, duration: Double) -> String? {
        guard sybils >= 1, sybils < nodes - 1 else { return "sybils must leave the victim an honest peer" }
        if let at = attackAtSeconds, !(at.isFinite && (0...duration).contains(at)) { return "attackAtSeconds must be within the run" }
        guard (0...16).contains(closeIDBits) else { return "closeIDBits must be in 0...16" }
        if closeIDBits > 0, !throughDiscovery { return "closeIDBits needs throughDiscovery" }
        return nil
    }
}
