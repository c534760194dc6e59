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

    /// The library's defaults with what an Aztec node changes among them: StrictNoSign with
    /// content ids (``AztecTopic/messageIDFunction``), and a transaction it
    /// submitted is announced for a minute to peers that arrive later
    /// (`GossipSubConfig.Parameters.announcePublishedFor`), so one acknowledged just after a
    /// restart, while its only peers were themselves starting, still reaches the network.
    public static var defaults: GossipSubConfig.Parameters {
        var parameters = GossipSubConfig.Parameters(signaturePolicy: .strictNoSign)
        parameters.messageIDFunction = AztecTopic.messageIDFunction
        parameters.announcePublishedFor = .seconds(60)
        return parameters
    }

    /// The router parameters of a node with default settings: ``defaults`` with ``apply(to:topic:maxMessageBytes:)``.
    public static func router(topic: AztecTopic, maxMessageBytes: Int = TxLimits.default.maxMessageBytes) -> GossipSubConfig.Parameters {
        var parameters = defaults
        apply(to: &parameters, topic: topic, maxMessageBytes: maxMessageBytes)
        return parameters
    }

    /// The transaction topic's score parameters: one invalid message takes a peer below the
    /// graylist threshold (-80) whatever it earned before: P4 costs `-250 · count²`, more than the
    /// most a peer can earn on the topic (+36 for time in the mesh, P1, and +100 for first
    /// deliveries, P2) plus 80. The count decays 1% a second, so the router ignores such a peer
    /// for about 50 s (and the node bans it, ``PeerBanList``). An honest node forwards only what
    /// it validated, and nullifiers spent in very recent blocks are ignored rather than rejected,
    /// so honest peers do not pay this; the network simulator's `spam` scenario measured three
    /// invalid messages (the earlier `-10 · count²`) as too lenient: attackers that forwarded
    /// honest transactions well got up to 33 invalid ones processed per neighbour.
    public static var topicScore: TopicScoreParameters {
        var p = TopicScoreParameters()
        p.invalidMessageDeliveriesWeight = -250
        p.invalidMessageDeliveriesDecay = 0.99
        p.firstMessageDeliveriesCap = 100
        return p
    }

    /// Score parameters other than the topic's: the library's defaults, with behaviour penalties
    /// (P7: broken IWANT promises, GRAFT during backoff) counted only beyond 6, as Ethereum's
    /// consensus clients do. With every one counted (the library's threshold 0), the network
    /// simulator's `baseline` at 2,000 nodes had honest nodes on saturated links penalise their
    /// honest peers for 8,810 promises those links broke, and ban 71 of them.
    public static var peerScore: PeerScoreParameters {
        var p = PeerScoreParameters()
        p.behaviourPenaltyThreshold = 6
        return p
    }
}
