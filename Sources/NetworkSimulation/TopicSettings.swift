/// Discv5 topic discovery in `discovery` mode (issue 16): every discovery node (Aztec, bootnode
/// and other networks') speaks TopDisc (`ng` in its record) and is a registrar, as if all of
/// Ethereum's discovery network had adopted it; Aztec nodes advertise the topic of their
/// GossipSub topic's name and search it alongside their random lookups, and dial what either finds.
public struct TopicSettings: Hashable, Sendable, Codable {
    /// Aztec nodes advertise the topic from their start.
    public var advertise = true
    /// Aztec nodes search the topic whenever their dial policy starts a random lookup.
    public var search = true
    /// `E`: how long registrars keep an advertisement (the spec's 15 minutes by default).
    public var adLifetimeSeconds = 900.0

    public init() {}

    enum CodingKeys: String, CodingKey { case advertise, search, adLifetimeSeconds }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        advertise = try c.decodeIfPresent(Bool.self, forKey: .advertise) ?? advertise
        search = try c.decodeIfPresent(Bool.self, forKey: .search) ?? search
        adLifetimeSeconds = try c.decodeIfPresent(Double.self, forKey: .adLifetimeSeconds) ?? adLifetimeSeconds
    }

    func problem() -> String? {
        guard adLifetimeSeconds.isFinite, (1...86_400).contains(adLifetimeSeconds) else { return "adLifetimeSeconds must be in 1...86400" }
        return nil
    }
}
