/// A registrar's parameters (discv5 theory, "Topic-based Service Discovery"); the defaults
/// are the spec's.
public struct TopicRegistrarConfig: Sendable, Equatable {
    /// `E`: how long an admitted advertisement stays in the cache.
    public var adLifetime: Duration = .seconds(15 * 60)
    /// `C`: the most advertisements the cache holds, all topics together.
    public var capacity = 1_000
    /// `δ`: how long after its waiting time a ticket may still be presented. The spec leaves
    /// it open; 10 s covers a retry's round trip and timer slack several times over.
    public var retryWindow: Duration = .seconds(10)
    /// `Pocc`: how steeply waiting times grow as the cache fills.
    public var occupancyExponent = 10.0
    /// `G`: keeps the waiting time above zero when the cache is sparse.
    public var safetyConstant = 1e-7
    /// `F_return`: the most advertisers one TOPICQUERY answer carries.
    public var maximumReturned = 10
    /// Waiting times as the spec's admission control computes them; `false` admits every
    /// registration at once while the cache has room (one advertisement per advertiser and
    /// topic still), for measuring what admission control protects against.
    public var admissionControl = true

    /// The spec's defaults, as given on each property.
    public init() {}

    /// Problems with the values, none when they are usable.
    public var problems: [String] {
        var problems: [String] = []
        if adLifetime <= .zero { problems.append("adLifetime must be positive") }
        if capacity < 1 { problems.append("capacity must be at least 1") }
        if retryWindow <= .zero { problems.append("retryWindow must be positive") }
        if !(occupancyExponent >= 0) || !occupancyExponent.isFinite { problems.append("occupancyExponent must be finite and not negative") }
        if !(safetyConstant > 0) || !safetyConstant.isFinite { problems.append("safetyConstant must be finite and positive") }
        if maximumReturned < 1 { problems.append("maximumReturned must be at least 1") }
        return problems
    }
}
