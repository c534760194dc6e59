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
    /// content ids (``AztecTopic/messageIDFunction``); a transaction it
    /// submitted is announced for a minute to peers that arrive later
    /// (`GossipSubConfig.Parameters.announcePublishedFor`), so one acknowledged just after a
    /// restart, while its only peers were themselves starting, still reaches the network; a mesh
    /// of 5 (``meshDegree``, with `D_out` 1) pruned back above 6 peers (``meshDegreeHigh``) rather
    /// than the spec's 6 within 4 to 12, keeping the peers that just grafted when it prunes
    /// (``meshDegree``); lazy mesh push,
    /// where a node turns it on, by the message's spread (``lazyPushSpreadSlope``), counting a
    /// peer's claims only as far as it delivers (``lazyPushClaimsPerCopy``).
    public static var defaults: GossipSubConfig.Parameters {
        var parameters = GossipSubConfig.Parameters(signaturePolicy: .strictNoSign)
        parameters.messageIDFunction = AztecTopic.messageIDFunction
        parameters.announcePublishedFor = .seconds(60)
        parameters.d = meshDegree
        parameters.dOut = outboundDegree(meshDegree: meshDegree)
        parameters.dHigh = meshDegreeHigh
        parameters.keepsFreshGrafts = true
        parameters.inboundGraftLimit = inboundGraftLimit
        parameters.announce.spreadSlope = lazyPushSpreadSlope(meshDegree: meshDegree)
        parameters.announce.choice = .earliest
        parameters.announce.claimsPerCopy = lazyPushClaimsPerCopy
        return parameters
    }

    /// Lazy mesh push (off unless the node turns it on) sends ids in proportion to how far a
    /// message has spread around the forwarding node, with this slope
    /// (`AnnounceParameters.spreadSlope`), to the mesh peers that most often had messages first
    /// (`AnnouncedPeers.earliest`), instead of the gossipsub v2.0 draft's fixed share to random
    /// peers. In the network simulator's `compare-every-feature` at 10,000 nodes (20 s of 10 tx/s
    /// of 40 KB, every large-message feature on): latency p50 / p99 472 / 749 ms against the
    /// draft's 577 / 869 ms (4 of D 6) and push's 460 / 643 ms; mean upload 1.92×, 1.87× and
    /// 3.73× the unique payload rate.
    public static let lazyPushSpreadSlope = 5.0

    /// The spread slope for a mesh of `meshDegree`: the mesh degree, at least
    /// ``lazyPushSpreadSlope`` (which is the default mesh's 5). The odds of an id are
    /// `slope × had / others`, so a slope about the number of other mesh peers sends ids to nearly
    /// every peer still without the message once one other had it, whatever the mesh's size. In
    /// the network simulator with D 10 / D_low 9 / D_high 14 under discovery join: at 2,000 nodes
    /// (with 6 dials beyond the target for a short mesh) slope 8, 9 and 10 gave p99 610, 634 and
    /// 649 ms at 2.05×, 1.96× and 1.91× the unique payload rate; at 10,000 nodes slope 10 gave
    /// 711 ms at 1.94× (slope 9, with 6 dials beyond the target for a short mesh: 689 ms at
    /// 2.01×), against push's 719 ms at 2.92×.
    public static func lazyPushSpreadSlope(meshDegree: Int) -> Double {
        max(lazyPushSpreadSlope, Double(meshDegree))
    }

    /// Lazy mesh push counts a peer's claims of having a message (IDONTWANT, IMRECEIVING) toward
    /// the spread only as far as the peer delivers: this many claims per copy it sent
    /// (`AnnounceParameters.claimsPerCopy`). In the network simulator's `censor` at 2,000 nodes
    /// with censors that claim every message (`claimsEveryMessage`), counting every claim let
    /// the lie turn honest copies into ids (latency p99 1.10 s against 956 ms without the lie);
    /// with this credit 850 ms, while `compare-every-feature` without attackers moved by 3 ms.
    public static let lazyPushClaimsPerCopy = 8

    /// `D`, the mesh degree a node aims for: 5 where the GossipSub spec has 6 (`D_low` stays 4).
    /// Every mesh peer pushes each 40 KB transaction, so the mesh sets most of a node's upload.
    /// In the network simulator's `baseline` at 2,000 nodes (discovery join, 60 s of 10 tx/s,
    /// release, seed 1), these defaults against the former 6 within 4 to 8: mean upload 2.97×
    /// against 3.43× the unique payload rate (p99 node 4.38× against 5.82×; the simulator issue's
    /// goals are 3× and 5×), the last node's p99 764 against 992 ms, latency p50 / p99 424 / 623
    /// against 396 / 589 ms (D_high 7 instead: 3.14×, 601 ms). With a mesh of 5 the spec's `D_out` 2 kept meshes
    /// grafting and pruning for the outbound quota (``outboundDegree(meshDegree:)``), so `D_out`
    /// is 1. A ceiling one above `D` leaves little room for a peer whose mesh is short: its GRAFT
    /// overfills a mesh, which the next heartbeat prunes back to 5, so a node keeps the peers that
    /// grafted since the last heartbeat before the random rest
    /// (`GossipSubConfig.Parameters.keepsFreshGrafts`). In a cold boot of 150 nodes (5 seeds) 99%
    /// had `D_low` mesh peers 66 to 80 s after the start with it, 74 s, 74 s, 90 s or never
    /// without it, and 64 to 67 s with the former 6 within 4 to 8.
    public static let meshDegree = 5

    /// `D_high`: above this many mesh peers the heartbeat prunes back to `D` (``meshDegree``).
    /// Every mesh peer pushes each 40 KB transaction, so with the library's 12 a 25 Mbit/s node that many peers
    /// graft (as the well-connected ones are) receives up to twelve copies. In the network
    /// simulator's `baseline` at 2,000 nodes (discovery join, 30 s of 10 tx/s, then with D 6),
    /// with 12 one in ten such nodes downloaded at its link's capacity, and the backlog made IWANT
    /// answers late and IHAVE'd ids leave the answerers' caches before they were asked for (37% of
    /// ids asked for). With 8 (and ``inboundGraftLimit``): delivery 99.941% to 100% (every
    /// transaction to every node), latency p99 3.30 s to 615 ms (the 25 Mbit/s class 5.64 s to
    /// 635 ms), to the last node p99 16.9 s to 1.09 s, upload p99 9.05 to 5.65 times the unique
    /// payload rate, broken IWANT promises between honest nodes 4,140 to none, for 31 ms more at
    /// the median. With ``meshDegree`` 5 the ceiling is 6, one above it.
    public static let meshDegreeHigh = 6

    /// Inbound GRAFTs are taken until the mesh holds 12 peers (the library's `D_high`), so a
    /// full mesh still admits a joining node and the heartbeat prunes back to `D`. Refusing them
    /// at ``meshDegreeHigh`` instead left joining nodes short of mesh peers: in the simulator's
    /// cold boot of 150 nodes (5 seeds) 99% had D_low mesh peers 76 to 89 s after the start, or
    /// never, against 62 to 78 s with 12 and with this limit.
    public static let inboundGraftLimit = 12

    /// `D_out` for a mesh of `meshDegree` (`D`): a third of it, at least one (1 for the default 5,
    /// 2 for the spec's 6). Each mesh link counts towards the quota of the node that
    /// dialed it only, so a network whose nodes all keep `D` mesh peers needs `2·D_out / D` of its
    /// links to serve a quota: two thirds with 6 and 2, as the GossipSub spec's defaults have it,
    /// but four fifths with 5 and 2, which the meshes could only approach by constant grafting for
    /// the quota and pruning what that overfills. In the network simulator's `cold-boot` at 10,000
    /// nodes with D 5 / D_high 6, `D_out` 1 took the share of nodes with D_low mesh peers at 90 s
    /// from 94.7% to 97.3%, and 99% was reached at 113 s where 2 never reached it.
    public static func outboundDegree(meshDegree: Int) -> Int { max(1, meshDegree / 3) }

    /// Sets the mesh degrees an operator (or a simulated scenario) gives on `parameters`, keeping
    /// the rest valid: `d` alone sets `D_out` to ``outboundDegree(meshDegree:)`` and lazy push's
    /// spread slope to ``lazyPushSpreadSlope(meshDegree:)``, lowers `D_low` to it and lifts
    /// `D_high` above it where they would not hold it; a `D_high` past the inbound GRAFT limit
    /// lifts the limit with it. Explicit `dLow`, `dHigh` and `dOut` win.
    public static func setMeshDegrees(d: Int?, dLow: Int? = nil, dHigh: Int? = nil, dOut: Int? = nil,
                                      in parameters: inout GossipSubConfig.Parameters) {
        if let d {
            parameters.d = d
            parameters.dOut = outboundDegree(meshDegree: d)
            parameters.announce.spreadSlope = lazyPushSpreadSlope(meshDegree: d)
            parameters.dLow = min(parameters.dLow, d)
            parameters.dHigh = max(parameters.dHigh, d + 1)
        }
        if let dLow { parameters.dLow = dLow }
        if let dHigh { parameters.dHigh = dHigh }
        if let limit = parameters.inboundGraftLimit, limit < parameters.dHigh { parameters.inboundGraftLimit = parameters.dHigh }
        if let dOut { parameters.dOut = dOut }
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
