import AztecP2P
import DiscV5
import GossipSub

/// One simulated process: an Aztec node (discovery, dial policy, GossipSub router, validation
/// queue) or a bootnode (discovery only). Its cores exist only while it runs.
///
/// A class: the event loop reads a node's fields for every event, and reading a struct's field
/// through an array element copied the whole node (a retain of each of its tables), 7% of a run.
///
/// Its properties are `@exclusivity(unchecked)`, as are the simulation's and ``PeerLink``'s: a
/// simulation and everything in it is used by one thread, and the runtime's exclusivity check
/// on every access to a class's property was 11% of a simulation's instructions (the compiler's
/// static checks still apply).
final class SimulatedNode {
    enum Role: UInt8 {
        case aztec, bootnode
        /// A discovery-only node of another network (``JoinSettings/otherDiscoveryNodes``).
        case other
        /// One of a discovery flood's identities (``FloodSettings``).
        case flooder
    }

    let role: Role
    let region: Int
    let bandwidthClass: Int
    @exclusivity(unchecked) var alive = false
    /// The newest GossipSub version the node speaks (``SimulationScenario/GossipOverrides/v11Share``,
    /// ``SimulationScenario/GossipOverrides/v13Share``).
    @exclusivity(unchecked) var gossipProtocol = GossipProtocol.meshsub12
    /// What an attacker does (``SpamSettings``, ``CensorSettings``); `nil` for an honest node.
    @exclusivity(unchecked) var attack: Attack?
    /// Peers this node banned for their score, as the node does (``PeerBanList``).
    @exclusivity(unchecked) var bans = PeerBanList<Int32>(duration: PeerBanList<Int32>.defaultDuration, capacity: PeerBanList<Int32>.defaultCapacity)
    @exclusivity(unchecked) var startedAt: SimulatedInstant?
    /// Discovery packets the node sent, and how many of them it had sent when it first had its
    /// target peer count (``JoinSettings/targetPeers``), and when that was.
    @exclusivity(unchecked) var discoveryPacketsSent = 0
    @exclusivity(unchecked) var packetsWhenJoined = 0
    @exclusivity(unchecked) var joinedAt: SimulatedInstant?
    @exclusivity(unchecked) var diedAt: SimulatedInstant?
    @exclusivity(unchecked) var router: AztecNetworkSimulation.Router?
    /// The router's mesh changes at the last sample (zero again when a router starts).
    @exclusivity(unchecked) var sampledMeshChanges = MeshChangeCounts()
    @exclusivity(unchecked) var discovery: DiscoveryNode?
    /// The node's transaction pool (the real ``TxPool``; its entries share the decoded transactions).
    @exclusivity(unchecked) var pool: TxPool?
    @exclusivity(unchecked) var planner: PeerDialPlanner<Int32>
    /// Established connections, each with whether this node dialed it.
    @exclusivity(unchecked) var connections: [Int32: Bool] = [:]
    @exclusivity(unchecked) var inboundCount = 0
    /// When the discovery core's next timer is scheduled.
    @exclusivity(unchecked) var discoveryDeadline: SimulatedInstant?
    /// When the GossipSub router's next timer (``GossipSubRouter/nextDeadline``) is scheduled.
    @exclusivity(unchecked) var routerDeadline: SimulatedInstant?
    @exclusivity(unchecked) var lookup: LookupID?
    /// The topic search running (``TopicSettings``), and the Aztec advertisers the last one found.
    @exclusivity(unchecked) var topicSearch: LookupID?
    @exclusivity(unchecked) var topicPeers: [TableEntry] = []
    /// When a search of the node first found its target peer count of advertisers.
    @exclusivity(unchecked) var topicSearchReachedTargetAt: SimulatedInstant?
    @exclusivity(unchecked) var topicSearchesStarted = 0
    /// A sybil advertiser (``TopicSettings/sybils``).
    @exclusivity(unchecked) var isTopicSybil = false
    @exclusivity(unchecked) var validating = 0
    @exclusivity(unchecked) var waiting: [MessageID] = []
    @exclusivity(unchecked) var waitingHead = 0
    /// When a heartbeat first left the node with a mesh peer on the topic.
    @exclusivity(unchecked) var readyAt: SimulatedInstant?
    /// Transactions that reached the node more than a second after they were published, and the
    /// longest any took (for ``AztecNetworkSimulation/NodeRow``).
    @exclusivity(unchecked) var lateDeliveries = 0
    @exclusivity(unchecked) var slowestDelivery = SimulatedInstant.zero
    /// Connections with waiting frames, served in turn one frame at a time (TCP flows sharing
    /// the access link); `sendTurnHead` is the next.
    @exclusivity(unchecked) var sendTurns: [Int32] = []
    @exclusivity(unchecked) var sendTurnHead = 0
    /// With ``NetworkModel/controlFirst``: connections with small frames waiting, served before
    /// the turns (a handful at most, so a plain array).
    @exclusivity(unchecked) var controlTurns: [Int32] = []
    /// When the frame on the uplink has left it.
    @exclusivity(unchecked) var uplinkFreeAt = SimulatedInstant.zero
    /// When the uplink is to serve the next frame (at most one wake is current).
    @exclusivity(unchecked) var uplinkWakeAt: SimulatedInstant?
    /// The send side of each connection: its frames waiting for the uplink (the GossipSub host's
    /// queue per stream) and its bytes in flight (TCP's window), made at its first frame.
    @exclusivity(unchecked) var links: [Int32: PeerLink] = [:]
    /// Peers whose send queue holds expired forwards not yet announced (at the next heartbeat, as
    /// the host does, or a later one while the queue has not drained).
    @exclusivity(unchecked) var peersWithExpiredForwards: [Int32] = []

    init(role: Role, region: Int, bandwidthClass: Int, dialSettings: PeerDialSettings) {
        self.role = role
        self.region = region
        self.bandwidthClass = bandwidthClass
        planner = PeerDialPlanner(settings: dialSettings)
    }

    /// The attacks of issue 13's scenarios.
    enum Attack: UInt8 {
        /// Publishes invalid transactions and accepts its colleagues' (``SpamSettings``).
        case spam
        /// Forwards nothing once its time has come (``CensorSettings``).
        case censor
    }

    var isAttacker: Bool { attack != nil }
    var isSpammer: Bool { attack == .spam }

    /// Whether the node runs a router (a running Aztec node), checked without copying it.
    var hasRouter: Bool { alive && role == .aztec }

    /// The router's mesh degree on the topic.
    var meshDegree: Int { hasRouter ? readRouter { $0.meshDegree(AztecNetworkSimulation.topic) } : 0 }

    /// Runs `body` on the router (which must exist) through an in-place access. Reading the
    /// router, a struct in a class's property, to call a method on it copies it, a retain of
    /// each of its tables: that was 10% of a 10,000-node join.
    func readRouter<Result>(_ body: (inout AztecNetworkSimulation.Router) -> Result) -> Result {
        body(&router!)
    }

    /// The discovery core's next deadline, read in place: reading a field through the optional
    /// property copied the whole core (its tables and sessions), 2% of a join.
    var discoveryNextDeadline: Duration? {
        guard case .some = discovery else { return nil }
        return readDiscovery { $0.nextDeadline }
    }

    private func readDiscovery<Result>(_ body: (inout DiscoveryNode) -> Result) -> Result {
        body(&discovery!)
    }

    var waitingCount: Int { waiting.count - waitingHead }

    /// The send side of the connection to `peer`, made empty if it has none yet.
    func link(to peer: Int32) -> PeerLink {
        if let link = links[peer] { return link }
        let link = PeerLink()
        links[peer] = link
        return link
    }

    func nextWaiting() -> MessageID? {
        guard waitingHead < waiting.count else { return nil }
        let id = waiting[waitingHead]
        waitingHead += 1
        if waitingHead > 64, waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
        return id
    }
}

/// The send side of one connection: frames waiting for the uplink, in the GossipSub host's
/// classes and bounds, and the TCP window they go out through. A class, so that the hot paths
/// find it with one lookup and change it in place. (Unchecked exclusivity: see ``SimulatedNode``.)
final class PeerLink {
    @exclusivity(unchecked) var queue = OutboundFrameQueue<SimulatedFrame>(maxMessageBytes: AztecNetworkSimulation.queuedMessageBytes,
                                                   maxControlBytes: AztecNetworkSimulation.queuedControlBytes)
    @exclusivity(unchecked) var window = ConnectionWindow()

    /// Whether frames of the small classes wait (subscriptions, GRAFT/PRUNE/IDONTWANT/IMRECEIVING,
    /// IHAVE/IWANT).
    var hasSmallFrames: Bool {
        queue.bytes(in: .subscription) + queue.bytes(in: .control) + queue.bytes(in: .gossip) > 0
    }
}

/// An RPC waiting for the uplink, with its size on the wire. A class: the send queue, both link
/// events and the receiver share one instance instead of copying the RPC's arrays at each step.
final class SimulatedFrame: Sendable {
    let rpc: RPC
    let bytes: Int

    init(rpc: RPC, bytes: Int) {
        self.rpc = rpc
        self.bytes = bytes
    }
}
