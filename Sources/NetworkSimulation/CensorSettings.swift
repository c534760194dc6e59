/// Attackers that take places in meshes and forward nothing (issue 13's `censor`; with a later
/// ``stopForwardingAtSeconds``, its `covert-flash`): a share of the nodes, chosen by the seed,
/// dial ``targetPeers`` peers (more than an honest node) and run the honest router, but from
/// ``stopForwardingAtSeconds`` on every message and IHAVE they would send is dropped, so they
/// neither forward, nor answer IWANT, nor advertise. Control messages (GRAFT, PRUNE,
/// subscriptions) still go out: they keep their mesh places. With ``claimsEveryMessage`` they also
/// lie: each claims every message it does not forward.
public struct CensorSettings: Hashable, Sendable, Codable {
    /// Share of the Aztec nodes that censor.
    public var share = 0.2
    /// When they stop forwarding: 0 (the default) from the start; later, after behaving well.
    public var stopForwardingAtSeconds = 0.0
    /// The connections each attacker dials up to (an honest node: ``JoinSettings/targetPeers``),
    /// when nodes join through discovery; a `static` join wires attackers like everyone else.
    public var targetPeers = 16
    /// When set, the attackers' addresses are spread over this many /24 subnets (at most 254
    /// attackers in each), as sybils renting a few address blocks are; by default each has a /24
    /// of its own, as honest nodes do. Discovery mode only (a `static` join has no addresses).
    public var subnets: Int?
    /// When set, the attackers also lie about having messages: from ``stopForwardingAtSeconds`` on,
    /// as soon as one of them receives a message, every attacker tells its mesh peers IDONTWANT
    /// for it at that instant (a coordinated lie). Honest forwarders then count them among the
    /// peers that have the message, which under lazy push's spread rule
    /// (`AnnounceParameters.spreadSlope`) sends ids rather than copies to their other peers.
    public var claimsEveryMessage = false

    /// The defaults: 20% of the nodes censor from the start, each dialing up to 16 peers from a /24
    /// of its own.
    public init() {}

    enum CodingKeys: String, CodingKey { case share, stopForwardingAtSeconds, targetPeers, subnets, claimsEveryMessage }

    /// Decodes the scenario file's `censor` object: missing keys keep their defaults, unknown keys are
    /// an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        share = try c.decodeIfPresent(Double.self, forKey: .share) ?? share
        stopForwardingAtSeconds = try c.decodeIfPresent(Double.self, forKey: .stopForwardingAtSeconds) ?? stopForwardingAtSeconds
        targetPeers = try c.decodeIfPresent(Int.self, forKey: .targetPeers) ?? targetPeers
        subnets = try c.decodeIfPresent(Int.self, forKey: .subnets)
        claimsEveryMessage = try c.decodeIfPresent(Bool.self, forKey: .claimsEveryMessage) ?? claimsEveryMessage
    }

    func problem(duration: Double) -> String? {
        guard share.isFinite, share > 0, share < 1 else { return "share must be in (0, 1)" }
        guard stopForwardingAtSeconds.isFinite, (0...duration).contains(stopForwardingAtSeconds) else {
            return "stopForwardingAtSeconds must be within the run"
        }
        guard (1...1_000).contains(targetPeers) else { return "targetPeers must be in 1...1000" }
        if let subnets, !(1...SimulatedAddressing.sharedSubnetCapacity).contains(subnets) {
            return "subnets must be in 1...\(SimulatedAddressing.sharedSubnetCapacity)"
        }
        return nil
    }
}
