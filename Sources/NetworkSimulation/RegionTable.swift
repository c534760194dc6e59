/// Regions of the world and the round-trip times between them: where simulated nodes live and
/// how far apart they are.
public struct RegionTable: Hashable, Sendable, Codable {
    /// Region names, in matrix order.
    public var names: [String]
    /// Round-trip time in milliseconds from region `i` to region `j` (the diagonal: within a region).
    public var roundTripMilliseconds: [[Double]]
    /// Where the figures come from.
    public var source: String

    /// A table of these regions and round-trip times (not checked here: see ``problem``).
    public init(names: [String], roundTripMilliseconds: [[Double]], source: String) {
        self.names = names
        self.roundTripMilliseconds = roundTripMilliseconds
        self.source = source
    }

    /// Seven regions with the average round-trip times between AWS regions (N. Virginia,
    /// N. California, Frankfurt, Tokyo, Singapore, Sydney, São Paulo) from the published table
    /// "Latency Between AWS Global Regions" (2017); where the two directions differ by a fraction
    /// of a millisecond, the first one is taken. Within a region: 20 ms, about the table's
    /// nearest same-continent pairs (Ireland–Frankfurt 19.6 ms, N. California–Oregon 19.5 ms).
    public static let awsInterRegion = RegionTable(
        names: ["na-east", "na-west", "europe", "asia-east", "asia-southeast", "oceania", "south-america"],
        roundTripMilliseconds: [
            [20.0, 72.7, 88.7, 145.3, 216.7, 230.0, 119.5],
            [72.7, 20.0, 166.6, 102.5, 174.0, 157.5, 192.7],
            [88.7, 166.6, 20.0, 236.5, 325.9, 323.5, 194.9],
            [145.3, 102.5, 236.5, 20.0, 73.8, 103.9, 256.8],
            [216.7, 174.0, 325.9, 73.8, 20.0, 175.3, 328.1],
            [230.0, 157.5, 323.5, 103.9, 175.3, 20.0, 322.5],
            [119.5, 192.7, 194.9, 256.8, 328.1, 322.5, 20.0],
        ],
        source: "average round-trip times between AWS regions, 'Latency Between AWS Global Regions' (2017), "
            + "as tabulated at acomputerscientistlearnsaws.blogspot.com/2017/04/aws-regions.html; within a region 20 ms")

    /// Why a table is unusable, or `nil`.
    public var problem: String? {
        guard !names.isEmpty else { return "no regions" }
        guard Set(names).count == names.count else { return "region names repeat" }
        guard roundTripMilliseconds.count == names.count,
              roundTripMilliseconds.allSatisfy({ $0.count == names.count }) else {
            return "the round-trip matrix must be \(names.count) × \(names.count)"
        }
        for i in names.indices {
            for j in names.indices {
                let value = roundTripMilliseconds[i][j]
                guard value.isFinite, value >= 0, value <= 10_000 else {
                    return "round trip \(names[i]) → \(names[j]) must be in 0...10000 ms"
                }
            }
        }
        return nil
    }

    /// Half the round trip between two regions.
    public func oneWay(from: Int, to: Int) -> SimulatedInstant {
        .milliseconds(roundTripMilliseconds[from][to] / 2)
    }
}
