import GossipSub

/// The GossipSub settings an Aztec node runs with, in one place for the node and the simulator.
public enum AztecGossipParameters {
    /// Sets what the transaction topic requires on `parameters`, keeping everything else:
    /// `StrictNoSign`, content message ids (``AztecTopic/messageIDFunction``) and size limits that
    /// admit a message of `maxMessageBytes` on `topic`.
    public static func apply(to parameters: inout GossipSubConfig.Parameters, topic: AztecTopic, maxMessageBytes: Int) {
        parameters.signaturePolicy = .strictNoSign
        parameters.messageIDFunction = AztecTopic.messageIDFunction
        parameters.topicMaxMessageSize[topic.description] = maxMessageBytes
        parameters.maxMessageSize = max(parameters.maxMessageSize, maxMessageBytes)
        parameters.rpcLimits.maxRPCSize = max(parameters.rpcLimits.maxRPCSize, maxMessageBytes + 4096)
    }

    /// The library's defaults with what an Aztec node changes among them: a transaction it
    /// submitted is announced for a minute to peers that arrive later
    /// (``GossipSubConfig/Parameters/announcePublishedFor``), so one acknowledged just after a
    /// restart, while its only peers were themselves starting, still reaches the network.
    public static var defaults: GossipSubConfig.Parameters {
        var parameters = GossipSubConfig.Parameters()
        parameters.announcePublishedFor = .seconds(60)
        return parameters
    }

    /// The router parameters of a node with default settings: ``defaults`` with ``apply(to:topic:maxMessageBytes:)``.
    public static func router(topic: AztecTopic, maxMessageBytes: Int = TxLimits.default.maxMessageBytes) -> GossipSubConfig.Parameters {
        var parameters = defaults
        apply(to: &parameters, topic: topic, maxMessageBytes: maxMessageBytes)
        return parameters
    }

    /// The transaction topic's score parameters: invalid messages cost `-10 · count²` (P4) with the
    /// count decaying 1% a second (a half-life of about 70 s), so a peer sending three invalid
    /// transactions within a minute falls below the graylist threshold (-80); first deliveries
    /// earn up to +100 (P2). Everything else: the library's defaults.
    public static var topicScore: TopicScoreParameters {
        var p = TopicScoreParameters()
        p.invalidMessageDeliveriesWeight = -10
        p.invalidMessageDeliveriesDecay = 0.99
        p.firstMessageDeliveriesCap = 100
        return p
    }
}
