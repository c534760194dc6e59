/// How a node's send queues (``OutboundFrameQueue``) take an RPC: its parts by class
/// (``placements(of:lane:now:)``), the lanes message frames wait in, and when a forward is no
/// longer worth sending. The GossipSub host applies it to every peer; the network simulator runs
/// the same defaults.
public struct OutboundQueuePolicy: Hashable, Sendable {
    /// `true` queues answers to a peer's IWANT, then own publications, ahead of forwards
    /// (``OutboundLane``): the peer counts a late answer as a broken promise. With
    /// `false` every message frame waits in one FIFO.
    public var lanes: Bool
    /// Forwards still queued this long are dropped unsent: a peer that far behind most likely
    /// has the message from another by the time it would arrive, and every stale copy delays the
    /// ones it lacks (rust-libp2p drops forwards after 1 s as well). Answers to IWANT and own
    /// publications never expire. `nil` keeps forwards until sent. The router announces what
    /// expired to the peer (`GossipSubConfig.Parameters.gossipExpiredForwards`), so a peer that
    /// got it from nobody else can still ask.
    ///
    /// The network simulator at 2,000 nodes (`compare-base`: 40 KB at 10 tx/s, a quarter of the
    /// nodes on 25 Mbit/s) without and with lanes and a 1 s expiry: latency p99 7.66 s and 2.48 s,
    /// delivery 99.967% and 100%, broken IWANT promises between honest nodes 5,648 and none.
    public var forwardExpiry: Duration?

    /// The default is ``lanesWithForwardExpiry``.
    public init(lanes: Bool = true, forwardExpiry: Duration? = .seconds(1)) {
        self.lanes = lanes
        self.forwardExpiry = forwardExpiry
    }

    /// Lanes, and forwards dropped after 1 s: the default, what the simulator measured as
    /// better (figures above).
    public static let lanesWithForwardExpiry = OutboundQueuePolicy(lanes: true, forwardExpiry: .seconds(1))

    /// One FIFO for every message frame, none expiring: the host's behaviour before lanes,
    /// kept for comparison (`compare-fifo` in the simulator).
    public static let singleFIFO = OutboundQueuePolicy(lanes: false, forwardExpiry: nil)

    /// The parts of `rpc`, which a router call that sends messages in `lane` produced at `now`,
    /// each with the lane it waits in and its deadline: subscriptions and the Extensions message;
    /// GRAFT, PRUNE, IDONTWANT, IMRECEIVING, IANNOUNCE and INEED; IHAVE and IWANT; messages (in `lane` with lanes on, as forwards
    /// otherwise; only real forwards expire). An RPC of one class is one part, itself.
    public func placements(of rpc: RPC, lane: OutboundLane, now: Duration) -> [OutboundPlacement] {
        let control = rpc.control ?? ControlMessage()
        let hasSubscriptions = !rpc.subscriptions.isEmpty || control.extensions != nil || rpc.testExtension
        let hasControl = !control.graft.isEmpty || !control.prune.isEmpty || !control.idontwant.isEmpty
            || rpc.preambleExtension != nil || rpc.announceExtension != nil
        let hasGossip = !control.ihave.isEmpty || !control.iwant.isEmpty
        let hasMessages = !rpc.publish.isEmpty
        let messagePlace = OutboundPlacement(
            rpc: rpc, lane: lanes ? lane : .forward, deadline: lane == .forward ? forwardExpiry.map { now + $0 } : nil)
        switch (hasSubscriptions, hasControl, hasGossip, hasMessages) {
        case (false, false, false, true): return [messagePlace]
        case (true, false, false, false): return [OutboundPlacement(rpc: rpc, lane: .subscription)]
        case (false, true, false, false): return [OutboundPlacement(rpc: rpc, lane: .control)]
        case (false, false, true, false): return [OutboundPlacement(rpc: rpc, lane: .gossip)]
        default: break
        }
        var parts: [OutboundPlacement] = []
        if hasSubscriptions {
            let c = control.extensions.map { ControlMessage(extensions: $0) }
            parts.append(OutboundPlacement(
                rpc: RPC(subscriptions: rpc.subscriptions, control: c, testExtension: rpc.testExtension), lane: .subscription))
        }
        if hasControl {
            let c = ControlMessage(graft: control.graft, prune: control.prune, idontwant: control.idontwant)
            parts.append(OutboundPlacement(rpc: RPC(control: c.isEmpty ? nil : c, preambleExtension: rpc.preambleExtension,
                                                    announceExtension: rpc.announceExtension), lane: .control))
        }
        if hasGossip {
            let c = ControlMessage(ihave: control.ihave, iwant: control.iwant)
            parts.append(OutboundPlacement(rpc: RPC(control: c), lane: .gossip))
        }
        if hasMessages {
            var place = messagePlace
            place.rpc = RPC(publish: rpc.publish)
            parts.append(place)
        }
        return parts
    }
}

/// One part of an RPC on its way to a peer's ``OutboundFrameQueue``: the lane it waits in and,
/// for a forward, when it is no longer worth sending.
public struct OutboundPlacement: Hashable, Sendable {
    /// The part to send.
    public var rpc: RPC
    /// Where it waits.
    public var lane: OutboundLane
    /// When it is dropped unsent (forwards only).
    public var deadline: Duration?

    /// A part waiting in `lane`, until `deadline` if given.
    public init(rpc: RPC, lane: OutboundLane, deadline: Duration? = nil) {
        self.rpc = rpc
        self.lane = lane
        self.deadline = deadline
    }
}
