/// Discovery floods at the bootnodes (issue 13's `flood-discovery`), from ``identities`` node ids
/// the attacker runs on as many addresses (a few machines with IPv6 ranges, or rented hosts):
///
/// - **requests**: FINDNODE from each identity in turn to a random bootnode, over sessions it
///   establishes with real handshakes; with more identities than a bootnode keeps sessions, every
///   request may cost the bootnode a handshake, and every answer is up to 16 records.
/// - **spoofed packets**: well-formed message packets from random node ids and forged source
///   addresses (which no rate limit per address can catch); each asks the bootnode for a
///   WHOAREYOU challenge, which it must remember until the handshake times out.
///
/// With ``claimAztec`` the identities' records carry the Aztec chain id, so the bootnodes hand
/// them to honest nodes as Aztec peers, and those waste dials on them.
public struct FloodSettings: Hashable, Sendable, Codable {
    /// Node ids the attacker runs, each on an address of its own (nodes added to the scenario's).
    public var identities = 1_000
    /// FINDNODE requests a second, from all identities together.
    public var requestsPerSecond = 5_000.0
    /// Forged message packets a second, at all bootnodes together.
    public var spoofedPacketsPerSecond = 20_000.0
    /// Whether the identities' records claim the Aztec chain id.
    public var claimAztec = true
    /// When the flood, and the identities, start.
    public var startSeconds = 0.0
    /// When the flood ends; `nil`: it lasts the run.
    public var stopSeconds: Double?

    /// The defaults: 1,000 identities claiming the Aztec chain send 5,000 FINDNODE requests and
    /// 20,000 forged packets a second, from the start to the end of the run.
    public init() {}

    enum CodingKeys: String, CodingKey { case identities, requestsPerSecond, spoofedPacketsPerSecond, claimAztec, startSeconds, stopSeconds }

    /// Decodes the scenario file's `flood` object: missing keys keep their defaults, unknown keys are
    /// an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        identities = try c.decodeIfPresent(Int.self, forKey: .identities) ?? identities
        requestsPerSecond = try c.decodeIfPresent(Double.self, forKey: .requestsPerSecond) ?? requestsPerSecond
        spoofedPacketsPerSecond = try c.decodeIfPresent(Double.self, forKey: .spoofedPacketsPerSecond) ?? spoofedPacketsPerSecond
        claimAztec = try c.decodeIfPresent(Bool.self, forKey: .claimAztec) ?? claimAztec
        startSeconds = try c.decodeIfPresent(Double.self, forKey: .startSeconds) ?? startSeconds
        stopSeconds = try c.decodeIfPresent(Double.self, forKey: .stopSeconds)
    }

    func problem(duration: Double) -> String? {
        guard (1...100_000).contains(identities) else { return "identities must be in 1...100000" }
        guard requestsPerSecond.isFinite, (0...1_000_000).contains(requestsPerSecond),
              spoofedPacketsPerSecond.isFinite, (0...1_000_000).contains(spoofedPacketsPerSecond)
        else { return "rates must be in 0...1000000" }
        guard startSeconds.isFinite, (0...duration).contains(startSeconds) else { return "startSeconds must be within the run" }
        if let stop = stopSeconds, !(stop.isFinite && stop > startSeconds) { return "stopSeconds must come after startSeconds" }
        return nil
    }
}
