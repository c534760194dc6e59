/// Per-topic score parameters (gossipsub v1.1, P₁–P₄). Weights of penalties are ≤ 0.
public struct TopicScoreParameters: Sendable, Hashable {
    /// Factor (≥ 0) of the topic's P₁–P₄ sum in the peer's score.
    public var topicWeight = 1.0
    // P₁ time in mesh
    /// P₁ weight (≥ 0) of the time the peer has been in the mesh.
    public var timeInMeshWeight = 0.01
    /// P₁ unit (> 0): the mesh time is divided by it before the cap and the weight apply.
    public var timeInMeshQuantum: Duration = .seconds(1)
    /// P₁ cap on the mesh time, in quanta.
    public var timeInMeshCap = 3600.0
    // P₂ first message deliveries
    /// P₂ weight (≥ 0) of messages the peer delivered first (and that were accepted).
    public var firstMessageDeliveriesWeight = 1.0
    /// P₂ counter decay factor per decay interval, in (0, 1).
    public var firstMessageDeliveriesDecay = 0.5
    /// P₂ counter cap (> 0).
    public var firstMessageDeliveriesCap = 2000.0
    // P₃ mesh message delivery rate. Off (weight 0) by default: the threshold must be tuned to
    // the topic's message rate, or honest mesh peers on a quiet topic get pruned.
    /// P₃ weight (≤ 0) of the squared deficit below ``meshMessageDeliveriesThreshold``; 0 turns P₃ off.
    public var meshMessageDeliveriesWeight = 0.0
    /// P₃ counter decay factor per decay interval, in (0, 1).
    public var meshMessageDeliveriesDecay = 0.5
    /// P₃ deliveries (decayed counter) a mesh peer must keep up to avoid a deficit (> 0).
    public var meshMessageDeliveriesThreshold = 20.0
    /// P₃ counter cap (≥ the threshold).
    public var meshMessageDeliveriesCap = 100.0
    /// P₃ grace period after a GRAFT before a deficit counts (≥ 1 s).
    public var meshMessageDeliveriesActivation: Duration = .seconds(5)
    /// P₃: how long after validation a mesh peer's duplicate still counts as a delivery.
    public var meshMessageDeliveriesWindow: Duration = .milliseconds(10)
    // P₃b mesh failure penalty (off by default, like P₃).
    /// P₃b weight (≤ 0) of the squared deficits a peer had when it left the mesh; 0 by default.
    public var meshFailurePenaltyWeight = 0.0
    /// P₃b counter decay factor per decay interval, in (0, 1).
    public var meshFailurePenaltyDecay = 0.5
    // P₄ invalid messages
    /// P₄ weight (≤ 0) of the squared count of rejected messages the peer sent.
    public var invalidMessageDeliveriesWeight = -1.0
    /// P₄ counter decay factor per decay interval, in (0, 1).
    public var invalidMessageDeliveriesDecay = 0.3

    /// The defaults shown on each property.
    public init() {}

    func validate(_ topic: String) throws(GossipSubConfigError) {
        func fail(_ what: String) -> GossipSubConfigError { .invalid("topic \(topic): \(what)") }
        func isDecay(_ x: Double) -> Bool { x > 0 && x < 1 }
        guard topicWeight >= 0 else { throw fail("topicWeight must not be negative") }
        guard timeInMeshWeight >= 0, timeInMeshQuantum > .zero, timeInMeshCap >= 0 else { throw fail("P1 out of range") }
        guard firstMessageDeliveriesWeight >= 0, isDecay(firstMessageDeliveriesDecay), firstMessageDeliveriesCap > 0 else {
            throw fail("P2 out of range")
        }
        guard meshMessageDeliveriesWeight <= 0, isDecay(meshMessageDeliveriesDecay), meshMessageDeliveriesThreshold > 0,
              meshMessageDeliveriesCap >= meshMessageDeliveriesThreshold, meshMessageDeliveriesActivation >= .seconds(1),
              meshMessageDeliveriesWindow >= .zero else { throw fail("P3 out of range") }
        guard meshFailurePenaltyWeight <= 0, isDecay(meshFailurePenaltyDecay) else { throw fail("P3b out of range") }
        guard invalidMessageDeliveriesWeight <= 0, isDecay(invalidMessageDeliveriesDecay) else { throw fail("P4 out of range") }
    }
}

/// Score parameters (gossipsub v1.1), validated once like ``GossipSubConfig``.
public struct PeerScoreParameters: Sendable {
    /// Per-topic parameters by topic; topics absent here add nothing to scores (P₁–P₄ off).
    public var topics: [String: TopicScoreParameters] = [:]
    /// Cap on the summed topic contribution; 0 means no cap.
    public var topicScoreCap = 0.0
    /// P₅ weight (the application sets the value per peer).
    public var appSpecificWeight = 1.0
    /// P₆: weight (≤ 0) and number of peers per IP tolerated.
    public var ipColocationFactorWeight = -1.0
    /// P₆: peers sharing one address beyond this many (≥ 1) add the surplus, squared, times the weight.
    public var ipColocationFactorThreshold = 10
    /// Addresses P₆ never counts (as written in the peers' addresses, e.g. `"127.0.0.1"`): a
    /// known NAT gateway, a data-centre range of one's own, a loopback test network.
    public var ipColocationFactorWhitelist: Set<String> = []
    /// P₇: weight (≤ 0), tolerated counter, decay.
    public var behaviourPenaltyWeight = -1.0
    /// P₇: penalty count (≥ 0) tolerated; the excess above it counts, squared.
    public var behaviourPenaltyThreshold = 0.0
    /// P₇: counter decay factor per decay interval, in (0, 1).
    public var behaviourPenaltyDecay = 0.9
    /// How often counters decay (> 0); decay happens in `refresh(now:)`, once per elapsed interval.
    public var decayInterval: Duration = .seconds(1)
    /// A decayed counter below this (in (0, 1)) becomes 0.
    public var decayToZero = 0.01
    /// How long a disconnected peer's counters are kept (so reconnecting does not reset them).
    public var retainScore: Duration = .seconds(3600)
    /// How long delivery records (for near-first deliveries) are kept.
    public var deliveryRecordTTL: Duration = .seconds(120)

    /// The defaults shown on each property (no topic scored).
    public init() {}

    /// Checks every range; throws on the first violation.
    public func validated() throws(GossipSubConfigError) -> PeerScoreParameters {
        for topic in topics.keys.sorted() { try topics[topic]?.validate(topic) }
        guard topicScoreCap >= 0 else { throw .invalid("topicScoreCap must not be negative") }
        guard appSpecificWeight >= 0 else { throw .invalid("appSpecificWeight must not be negative") }
        guard ipColocationFactorWeight <= 0, ipColocationFactorThreshold >= 1 else { throw .invalid("P6 out of range") }
        guard behaviourPenaltyWeight <= 0, behaviourPenaltyThreshold >= 0,
              behaviourPenaltyDecay > 0, behaviourPenaltyDecay < 1 else { throw .invalid("P7 out of range") }
        guard decayInterval > .zero, decayToZero > 0, decayToZero < 1 else { throw .invalid("decay parameters out of range") }
        guard retainScore >= .zero, deliveryRecordTTL > .zero else { throw .invalid("retention out of range") }
        return self
    }
}
