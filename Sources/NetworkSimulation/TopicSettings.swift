import DiscV5

/// Discv5 topic discovery in `discovery` mode (issue 16): every discovery node (Aztec, bootnode
/// and other networks') speaks TopDisc (`ng` in its record) and is a registrar, as if all of
/// Ethereum's discovery network had adopted it; Aztec nodes advertise the topic of their
/// GossipSub topic's name and search it alongside their random lookups, and dial what either finds.
///
/// Sybils: ``sybils`` of the other networks' discovery nodes claim the Aztec chain in their
/// records and advertise the Aztec topic with ``sybilRateMultiple`` times the registrations per
/// bucket of an honest advertiser; they accept no connections. The report counts their share
/// among the advertisers honest searches find, with the registrars' admission control on or off.
public struct TopicSettings: Hashable, Sendable, Codable {
    /// Aztec nodes advertise the topic from their start.
    public var advertise = true
    /// Aztec nodes search the topic whenever their dial policy starts a random lookup.
    public var search = true
    /// `E`: how long registrars keep an advertisement (the spec's 15 minutes by default).
    public var adLifetimeSeconds = 900.0
    /// Whether registrars compute the spec's waiting times (`false`: every registration is
    /// admitted at once while the cache has room).
    public var admissionControl = true
    /// Sybil advertisers, taken from ``JoinSettings/otherDiscoveryNodes``.
    public var sybils = 0
    /// Registrations per bucket of a sybil, as a multiple of an honest advertiser's `K_register`.
    public var sybilRateMultiple = 10.0
    /// The sybils' addresses lie in this many /24s; `nil`: each its own, like any node.
    public var sybilSubnets: Int?

    /// The defaults: Aztec nodes advertise and search, registrars keep advertisements 15 minutes
    /// with admission control, and there are no sybils.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case advertise, search, adLifetimeSeconds, admissionControl, sybils, sybilRateMultiple, sybilSubnets
    }

    /// Decodes the scenario file's `topics` object: missing keys keep their defaults, unknown keys are
    /// an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        advertise = try c.decodeIfPresent(Bool.self, forKey: .advertise) ?? advertise
        search = try c.decodeIfPresent(Bool.self, forKey: .search) ?? search
        adLifetimeSeconds = try c.decodeIfPresent(Double.self, forKey: .adLifetimeSeconds) ?? adLifetimeSeconds
        admissionControl = try c.decodeIfPresent(Bool.self, forKey: .admissionControl) ?? admissionControl
        sybils = try c.decodeIfPresent(Int.self, forKey: .sybils) ?? sybils
        sybilRateMultiple = try c.decodeIfPresent(Double.self, forKey: .sybilRateMultiple) ?? sybilRateMultiple
        sybilSubnets = try c.decodeIfPresent(Int.self, forKey: .sybilSubnets)
    }

    func problem(otherDiscoveryNodes: Int) -> String? {
        guard adLifetimeSeconds.isFinite, (1...86_400).contains(adLifetimeSeconds) else { return "adLifetimeSeconds must be in 1...86400" }
        guard (0...otherDiscoveryNodes).contains(sybils) else { return "sybils must be in 0...otherDiscoveryNodes" }
        guard sybilRateMultiple.isFinite, (0.2...100).contains(sybilRateMultiple) else { return "sybilRateMultiple must be in 0.2...100" }
        if let subnets = sybilSubnets, !(1...1_000).contains(subnets) || subnets * 254 < sybils {
            return "sybilSubnets must be in 1...1000 and hold the sybils (254 each)"
        }
        return nil
    }

    /// A sybil's advertiser settings: `K_register` times the multiple, and room for it in `B(s)`.
    var sybilAdvertiser: TopicAdvertiser.Settings {
        var settings = TopicAdvertiser.Settings()
        settings.registrationsPerBucket = max(1, Int((Double(settings.registrationsPerBucket) * sybilRateMultiple).rounded()))
        settings.bucketCapacity = max(settings.bucketCapacity, settings.registrationsPerBucket)
        return settings
    }
}
