import AztecP2P

/// How nodes find each other: through discv5 from bootnodes, as a node does, or wired at random
/// at the start (cheaper, for parameter comparisons that are about gossip only).
public struct JoinSettings: Hashable, Sendable, Codable {
    /// How nodes find each other: the `mode` key of a scenario's `join` object, `"discovery"` or
    /// `"static"`.
    public enum Mode: String, Hashable, Sendable, Codable {
        /// Each node runs a real `DiscoveryNode` seeded with the bootnodes' records, and dials the
        /// peers it finds with the node's dial policy (`PeerDialPlanner`).
        case discovery
        /// Each node is connected at time zero to `dialsPerNode` random others.
        case `static`
    }

    /// How nodes find each other; ``Mode/discovery`` by default.
    public var mode = Mode.discovery
    /// Discovery-only nodes (as `aztec-p2p bootnode`) every node knows at start.
    public var bootnodes = 4
    /// `discovery` mode: discovery-only nodes of other networks in the same discv5 network (their
    /// records name no Aztec chain, so Aztec nodes keep them in their tables but never dial them):
    /// an Aztec network inside Ethereum's discovery network is a minority of it.
    public var otherDiscoveryNodes = 0
    /// Nodes start at uniformly random instants within this many seconds of time zero.
    public var startWithinSeconds = 10.0
    /// The node's target peer count (dials stop there; inbound connections count).
    public var targetPeers = 8
    /// Connections beyond `targetPeers` a node dials while its mesh stays short of D_low
    /// (`PeerDialSettings.meshTopUp`; 0 turns the top-up off).
    public var meshTopUp = PeerDialSettings().meshTopUp
    /// Connections a node keeps of its own dialing however many peers dial it
    /// (`PeerDialSettings.minimumOutboundPeers`; 0 turns the defence off).
    public var minimumOutboundPeers = PeerDialSettings().minimumOutboundPeers
    /// Inbound connections a node accepts (the libp2p host's default).
    public var maximumInboundPeers = 512
    /// Inbound connections the nodes of some bandwidth classes accept instead, by class name (as an
    /// operator on a slow link would set its node's).
    public var maximumInboundPeersByClass: [String: Int]?
    /// Round trips from a dial to a connection both ends use for GossipSub: TCP, multistream
    /// with Noise XX, then the muxer and the GossipSub stream.
    public var connectionSetupRoundTrips = 3.0
    /// A dial to a node that is gone fails after this (the node's dial timeout).
    public var dialTimeoutSeconds = 5.0
    /// `static` mode: connections each node dials at start.
    public var dialsPerNode = 8

    /// The defaults: discovery from 4 bootnodes, nodes starting within 10 s, each aiming for 8
    /// peers.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case mode, bootnodes, otherDiscoveryNodes, startWithinSeconds, targetPeers, meshTopUp, minimumOutboundPeers, maximumInboundPeers, connectionSetupRoundTrips,
             dialTimeoutSeconds, dialsPerNode, maximumInboundPeersByClass
    }

    /// Decodes the scenario file's `join` object: missing keys keep their defaults, unknown keys are
    /// an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? mode
        bootnodes = try c.decodeIfPresent(Int.self, forKey: .bootnodes) ?? bootnodes
        otherDiscoveryNodes = try c.decodeIfPresent(Int.self, forKey: .otherDiscoveryNodes) ?? otherDiscoveryNodes
        startWithinSeconds = try c.decodeIfPresent(Double.self, forKey: .startWithinSeconds) ?? startWithinSeconds
        targetPeers = try c.decodeIfPresent(Int.self, forKey: .targetPeers) ?? targetPeers
        meshTopUp = try c.decodeIfPresent(Int.self, forKey: .meshTopUp) ?? meshTopUp
        minimumOutboundPeers = try c.decodeIfPresent(Int.self, forKey: .minimumOutboundPeers) ?? minimumOutboundPeers
        maximumInboundPeers = try c.decodeIfPresent(Int.self, forKey: .maximumInboundPeers) ?? maximumInboundPeers
        maximumInboundPeersByClass = try c.decodeIfPresent([String: Int].self, forKey: .maximumInboundPeersByClass)
        connectionSetupRoundTrips = try c.decodeIfPresent(Double.self, forKey: .connectionSetupRoundTrips) ?? connectionSetupRoundTrips
        dialTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .dialTimeoutSeconds) ?? dialTimeoutSeconds
        dialsPerNode = try c.decodeIfPresent(Int.self, forKey: .dialsPerNode) ?? dialsPerNode
    }

    func problem(nodes: Int) -> String? {
        switch mode {
        case .static:
            guard dialsPerNode >= 1, dialsPerNode < nodes else { return "dialsPerNode must be in 1..<nodes" }
            guard otherDiscoveryNodes == 0 else { return "otherDiscoveryNodes needs join mode discovery" }
        case .discovery:
            guard (1...64).contains(bootnodes) else { return "bootnodes must be in 1...64" }
            guard targetPeers >= 1, maximumInboundPeers >= 1 else { return "targetPeers and maximumInboundPeers must be positive" }
            guard meshTopUp >= 0, minimumOutboundPeers >= 0 else { return "meshTopUp and minimumOutboundPeers must not be negative" }
            guard (0...1_000_000).contains(otherDiscoveryNodes) else { return "otherDiscoveryNodes must be in 0...1000000" }
        }
        guard (maximumInboundPeersByClass ?? [:]).values.allSatisfy({ $0 >= 1 }) else {
            return "maximumInboundPeersByClass: every cap must be positive"
        }
        for (name, value) in [("startWithinSeconds", startWithinSeconds), ("connectionSetupRoundTrips", connectionSetupRoundTrips),
                              ("dialTimeoutSeconds", dialTimeoutSeconds)] {
            guard value.isFinite, (0...3_600).contains(value) else { return "\(name) must be in 0...3600" }
        }
        return nil
    }
}
