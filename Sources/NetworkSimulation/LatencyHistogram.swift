/// Latencies in 0.1 ms buckets up to 60 s (one overflow bucket beyond): exact percentiles at that
/// resolution in constant memory, whatever the number of samples.
public struct LatencyHistogram: Sendable {
    static let bucketNanoseconds: Int64 = 100_000
    static let bucketCount = 600_000

    private var buckets = [UInt32](repeating: 0, count: bucketCount + 1)
    /// Latencies recorded.
    public private(set) var count = 0
    /// The largest latency recorded, exact rather than bucketed; zero when none was.
    public private(set) var maximum = SimulatedInstant.zero

    /// An empty histogram.
    public init() {}

    /// Adds one latency; a negative one counts as zero, one beyond 60 s goes to the overflow bucket.
    public mutating func record(_ latency: SimulatedInstant) {
        let index = min(Int(max(0, latency.nanoseconds) / Self.bucketNanoseconds), Self.bucketCount)
        buckets[index] &+= 1
        count += 1
        maximum = max(maximum, latency)
    }

    /// The smallest latency at or below which a `fraction` of the samples lie (bucket upper bound).
    public func percentile(_ fraction: Double) -> SimulatedInstant {
        guard count > 0 else { return .zero }
        let rank = max(1, Int((fraction * Double(count)).rounded(.up)))
        var seen = 0
        for (index, n) in buckets.enumerated() {
            seen += Int(n)
            if seen >= rank {
                return index == Self.bucketCount ? maximum : SimulatedInstant(nanoseconds: Int64(index + 1) * Self.bucketNanoseconds)
            }
        }
        return maximum
    }

    /// The cumulative distribution: (latency, share of samples at or below it), one point per
    /// non-empty bucket.
    public func cumulative() -> [(latency: SimulatedInstant, fraction: Double)] {
        guard count > 0 else { return [] }
        var points: [(SimulatedInstant, Double)] = []
        var seen = 0
        for (index, n) in buckets.enumerated() where n > 0 {
            seen += Int(n)
            let upper = index == Self.bucketCount ? maximum : SimulatedInstant(nanoseconds: Int64(index + 1) * Self.bucketNanoseconds)
            points.append((upper, Double(seen) / Double(count)))
        }
        return points
    }
}
