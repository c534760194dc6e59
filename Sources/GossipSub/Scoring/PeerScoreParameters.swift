/// Per-topic score parameters (gossipsub v1.1, P₁–P₄). Weights of penalties are ≤ 0.
public struct TopicScoreParameters: Sendable, Hashable {
    public var topicWeight = 1.0
    // P₁ time in mesh
    public var timeInMeshWeight = 0.01
    public var timeInMeshQuantum: Duration = .seconds(1)
    public var timeInMeshCap = 3600.0
    // P₂ first message deliveries
    public var firstMessageDeliveriesWeight = 1.0
    public var firstMessageDeliveriesDecay = 0.5
    public var firstMessageDeliveriesCap = 2000.0
    // P₃ mesh message delivery rate. Off (weight 0) by default: the threshold must be tuned to
    // the topic's message rate, or honest mesh peers on a quiet topic get pruned.
    public var meshMessageDeliveriesWeight = 0.0
    public var meshMessageDeliveriesDecay = 0.5
    public var meshMessageDeliveriesThreshold = 20.0
    public var meshMessageDeliveriesCap = 100.0
    public var meshMessageDeliveriesActivation: Duration = .seconds(5)
    public var meshMessageDeliveriesWindow: Duration = .milliseconds(10)
    // P₃b mesh failure penalty (off by default, like P₃).
    public var meshFailurePenaltyWeight = 0.0
    public var meshFailurePenaltyDecay = 0.5
    // P₄ invalid messages
    public var invalidMessageDeliveriesWeight = -1.0
    public var invalidMessageDeliveriesDecay = 0.3

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
    public var topics: [String: TopicScoreParameters] = [:]
    /// Cap on the summed topic contribution; 0 means no cap.
    public var topicScoreCap = 0.0
    /// P₅ weight (the application sets the value per peer).
    public var appSpecificWeight = 1.0
    /// P₆: weight (≤ 0) and number of peers per IP tolerated.
    public var ipColocationFactorWeight = -1.0
    public var ipColocationFactorThreshold = 10
    /// Addresses P₆ never counts (as written in the peers' addresses, e.g. `"127.0.0.1"`): a
    /// known NAT gateway, a data-centre range of one's own, a loopback test network.
    public var ipColocationFactorWhitelist: Set<String> = []
    /// P₇: weight (≤ 0), tolerated counter, decay.
    public var behaviourPenaltyWeight = -1.0
    public var behaviourPenaltyThreshold = 0.0
    public var behaviourPenaltyDecay = 0.9
    public var decayInterval: Duration = .seconds(1)
    public var decayToZero = 0.01
    /// How long a disconnected peer's counters are kept (so reconnecting does not reset them).
    public var retainScore: Duration = .seconds(3600)
    /// How long delivery records (for near-first deliveries) are kept.
    public var deliveryRecordTTL: Duration = .seconds(120)

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
