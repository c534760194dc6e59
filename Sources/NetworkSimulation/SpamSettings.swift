/// Attackers among the Aztec nodes that publish invalid transactions (issue 13's `spam`): a
/// share of the nodes, chosen by the seed, join and forward as honest nodes do, accept each
/// other's spam, and together publish ``transactionsPerSecond`` invalid transactions of every
/// kind in `SimulatedSpam` in turn.
public struct SpamSettings: Hashable, Sendable, Codable {
    /// Share of the Aztec nodes that spam.
    public var share = 0.05
    /// Invalid transactions a second, all attackers together. `nil`: ten times the honest rate.
    public var transactionsPerSecond: Double?
    /// When the spam starts. `nil`: with the honest transactions, after the warm-up.
    public var startSeconds: Double?

    /// The defaults: 5% of the nodes spam, at ten times the honest rate, from the end of the
    /// warm-up to the end of the publishing window.
    public init() {}

    enum CodingKeys: String, CodingKey { case share, transactionsPerSecond, startSeconds }

    /// Decodes the scenario file's `spam` object: missing keys keep their defaults, unknown keys are
    /// an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        share = try c.decodeIfPresent(Double.self, forKey: .share) ?? share
        transactionsPerSecond = try c.decodeIfPresent(Double.self, forKey: .transactionsPerSecond)
        startSeconds = try c.decodeIfPresent(Double.self, forKey: .startSeconds)
    }

    func problem(duration: Double) -> String? {
        guard share.isFinite, share > 0, share < 1 else { return "share must be in (0, 1)" }
        if let rate = transactionsPerSecond, !rate.isFinite || rate <= 0 || rate > 100_000 {
            return "transactionsPerSecond must be in (0, 100000]"
        }
        if let start = startSeconds, !start.isFinite || !(0...duration).contains(start) { return "startSeconds must be within the run" }
        return nil
    }
}
