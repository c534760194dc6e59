/// A running 64-bit digest of a simulation's events: the same scenario and seed give the same
/// value on any machine (no per-process hash seeding, unlike Swift's `Hasher`).
public struct TraceHash: Hashable, Sendable, CustomStringConvertible {
    /// The digest of the words mixed in so far.
    public private(set) var value: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The digest of no events.
    public init() {}

    /// Folds `word` into the digest; the same words in another order give another value.
    public mutating func mix(_ word: UInt64) {
        // SplitMix64's finaliser over the running value and the word.
        var z = value &+ word &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        value = z ^ (z >> 31)
    }

    /// ``value`` as 16 lowercase hex digits (as ``SimulationReport/traceHash`` shows it).
    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
