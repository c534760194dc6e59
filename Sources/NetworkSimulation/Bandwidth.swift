/// A node's access link: what it can upload and download, in bits per second.
public struct Bandwidth: Hashable, Sendable, Codable {
    /// Upload capacity, in bits per second.
    public var uploadBitsPerSecond: Double
    /// Download capacity, in bits per second.
    public var downloadBitsPerSecond: Double

    /// A link with these capacities, in bits per second.
    public init(uploadBitsPerSecond: Double, downloadBitsPerSecond: Double) {
        self.uploadBitsPerSecond = uploadBitsPerSecond
        self.downloadBitsPerSecond = downloadBitsPerSecond
    }

    /// Symmetric `megabits` per second both ways.
    public static func megabits(_ megabits: Double) -> Bandwidth {
        Bandwidth(uploadBitsPerSecond: megabits * 1e6, downloadBitsPerSecond: megabits * 1e6)
    }

    /// Time to push `bytes` through a link of `bitsPerSecond`, rounded up to the nanosecond.
    static func transmissionTime(bytes: Int, bitsPerSecond: Double) -> SimulatedInstant {
        SimulatedInstant(nanoseconds: Int64((Double(bytes) * 8 * 1e9 / bitsPerSecond).rounded(.up)))
    }
}
