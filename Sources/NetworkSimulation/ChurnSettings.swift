/// Nodes that fail during a run: a share killed at once, and a steady replacement of nodes by new
/// ones (new identities that join through the bootnodes, as a fresh node would).
public struct ChurnSettings: Hashable, Sendable, Codable {
    /// Share of the Aztec nodes alive at ``killAtSeconds`` killed at that instant (0 for none).
    public var killShare = 0.0
    /// When the ``killShare`` kill happens, in simulated seconds from the start (within the run).
    public var killAtSeconds = 0.0
    /// Share of the initial node count replaced per minute, spread evenly over the run after
    /// ``replaceFromSeconds``: each replacement kills a random node and starts a new one.
    public var replacedPerMinute = 0.0
    /// When replacements begin, in simulated seconds from the start: the first comes one interval
    /// (`60 / (replacedPerMinute × nodes)` seconds) after it.
    public var replaceFromSeconds = 0.0

    /// No churn: nothing killed, nothing replaced.
    public init() {}

    enum CodingKeys: String, CodingKey { case killShare, killAtSeconds, replacedPerMinute, replaceFromSeconds }

    /// Decodes the scenario file's `churn` object: missing keys keep their defaults, unknown keys are
    /// an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        killShare = try c.decodeIfPresent(Double.self, forKey: .killShare) ?? killShare
        killAtSeconds = try c.decodeIfPresent(Double.self, forKey: .killAtSeconds) ?? killAtSeconds
        replacedPerMinute = try c.decodeIfPresent(Double.self, forKey: .replacedPerMinute) ?? replacedPerMinute
        replaceFromSeconds = try c.decodeIfPresent(Double.self, forKey: .replaceFromSeconds) ?? replaceFromSeconds
    }

    func problem(duration: Double) -> String? {
        guard killShare.isFinite, (0..<1).contains(killShare) else { return "killShare must be in [0, 1)" }
        guard replacedPerMinute.isFinite, (0...1).contains(replacedPerMinute) else { return "replacedPerMinute must be in 0...1" }
        for (name, value) in [("killAtSeconds", killAtSeconds), ("replaceFromSeconds", replaceFromSeconds)] {
            guard value.isFinite, (0...duration).contains(value) else { return "\(name) must be within the run" }
        }
        return nil
    }
}
