import AztecP2P

/// The part of a scenario that describes the network: where nodes are, what links they have,
/// how much latency varies and how many datagrams are lost. Decoded from a scenario file; every
/// field has a default, so a file names only what it changes.
public struct NetworkModel: Hashable, Sendable, Codable {
    /// A kind of access link and the share of nodes that have it.
    public struct BandwidthClass: Hashable, Sendable, Codable {
        /// The class's name, as reports and `nodes.csv` show it (e.g. `home-25`).
        public var name: String
        /// Upload capacity in Mbit/s (10⁶ bits per second); positive.
        public var uploadMegabits: Double
        /// Download capacity in Mbit/s; positive.
        public var downloadMegabits: Double
        /// The class's weight in the node mix: shares are normalised over the classes, so they need
        /// not sum to 1.
        public var share: Double

        /// A class of links with these capacities in Mbit/s, given this share of the nodes.
        public init(name: String, uploadMegabits: Double, downloadMegabits: Double, share: Double) {
            self.name = name
            self.uploadMegabits = uploadMegabits
            self.downloadMegabits = downloadMegabits
            self.share = share
        }

        /// The class's capacities in bits per second.
        public var bandwidth: Bandwidth {
            Bandwidth(uploadBitsPerSecond: uploadMegabits * 1e6, downloadBitsPerSecond: downloadMegabits * 1e6)
        }
    }

    /// The regions and the round-trip times between them; ``RegionTable/awsInterRegion`` by default.
    public var regions: RegionTable
    /// Share of nodes in each region, in the table's order.
    public var regionShares: [Double]
    /// Where the region shares come from.
    public var regionSharesSource: String
    /// The kinds of access links and their shares of the nodes; ``defaultBandwidthClasses`` by
    /// default.
    public var bandwidthClasses: [BandwidthClass]
    /// Extra one-way delay drawn uniformly from `0...jitterMilliseconds` for each message.
    public var jitterMilliseconds: Double
    /// Probability that a discovery datagram is lost.
    public var datagramLoss: Double
    /// Bytes a connection may have on the way (sent, not yet through the receiver's downlink):
    /// TCP's window. A sender whose window to a peer is full keeps that peer's frames in its
    /// queue, where an IDONTWANT can still cancel them, and serves its other peers meanwhile.
    public var connectionWindowBytes: Int
    /// `true` lets a node's small frames (subscriptions, GRAFT/PRUNE/IDONTWANT/IMRECEIVING,
    /// IHAVE/IWANT) onto its uplink ahead of other connections' message frames, as a kernel's
    /// fair queueing lets a sparse flow's packets past bulk flows; `false` (the default) serves
    /// connections strictly in turn, a frame each, whatever the frame.
    public var controlFirst: Bool = false

    /// A model from these parts; the defaults are the AWS round-trip times with Ethereum's region
    /// shares, ``defaultBandwidthClasses``, 10 ms of jitter, 1% datagram loss and a 256 KiB window.
    public init(regions: RegionTable = .awsInterRegion, regionShares: [Double] = NetworkModel.ethereumRegionShares,
                regionSharesSource: String = NetworkModel.ethereumRegionSharesSource,
                bandwidthClasses: [BandwidthClass] = NetworkModel.defaultBandwidthClasses,
                jitterMilliseconds: Double = 10, datagramLoss: Double = 0.01, connectionWindowBytes: Int = 256 * 1024) {
        self.regions = regions
        self.regionShares = regionShares
        self.regionSharesSource = regionSharesSource
        self.bandwidthClasses = bandwidthClasses
        self.jitterMilliseconds = jitterMilliseconds
        self.datagramLoss = datagramLoss
        self.connectionWindowBytes = connectionWindowBytes
    }

    /// Nodes per region of ``RegionTable/awsInterRegion``, close to Ethereum's node distribution.
    public static let ethereumRegionShares = [0.26, 0.11, 0.38, 0.12, 0.07, 0.03, 0.03]
    /// Where ``ethereumRegionShares`` come from (the default ``regionSharesSource``).
    public static let ethereumRegionSharesSource =
        "ethernodes.org counts of March 2021 as reported by Finbold (US 36.9%, Germany 21.2%, France 5.6%, "
        + "Singapore 4.8% of 6,806 nodes); the split of the US into east and west and of the rest of the world is assumed"

    /// Home links of 25 and 50 Mbit/s, servers of 100 Mbit/s and 1 Gbit/s (symmetric).
    public static let defaultBandwidthClasses = [
        BandwidthClass(name: "home-25", uploadMegabits: 25, downloadMegabits: 25, share: 0.25),
        BandwidthClass(name: "home-50", uploadMegabits: 50, downloadMegabits: 50, share: 0.25),
        BandwidthClass(name: "server-100", uploadMegabits: 100, downloadMegabits: 100, share: 0.3),
        BandwidthClass(name: "server-1000", uploadMegabits: 1000, downloadMegabits: 1000, share: 0.2),
    ]

    enum CodingKeys: String, CodingKey {
        case regions, regionShares, regionSharesSource, bandwidthClasses, jitterMilliseconds, datagramLoss, connectionWindowBytes
        case controlFirst
    }

    /// Decodes the scenario file's `network` object: missing keys keep their defaults, unknown keys
    /// are an error. The values are not checked here; ``problem`` says whether the model is usable.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = NetworkModel()
        regions = try c.decodeIfPresent(RegionTable.self, forKey: .regions) ?? defaults.regions
        regionShares = try c.decodeIfPresent([Double].self, forKey: .regionShares) ?? defaults.regionShares
        regionSharesSource = try c.decodeIfPresent(String.self, forKey: .regionSharesSource) ?? defaults.regionSharesSource
        bandwidthClasses = try c.decodeIfPresent([BandwidthClass].self, forKey: .bandwidthClasses) ?? defaults.bandwidthClasses
        jitterMilliseconds = try c.decodeIfPresent(Double.self, forKey: .jitterMilliseconds) ?? defaults.jitterMilliseconds
        datagramLoss = try c.decodeIfPresent(Double.self, forKey: .datagramLoss) ?? defaults.datagramLoss
        connectionWindowBytes = try c.decodeIfPresent(Int.self, forKey: .connectionWindowBytes) ?? defaults.connectionWindowBytes
        controlFirst = try c.decodeIfPresent(Bool.self, forKey: .controlFirst) ?? defaults.controlFirst
    }

    /// Why the model is unusable, or `nil`.
    public var problem: String? {
        if let problem = regions.problem { return "regions: \(problem)" }
        guard regionShares.count == regions.names.count else {
            return "regionShares needs one share per region (\(regions.names.count))"
        }
        guard Self.validShares(regionShares) else { return "regionShares must be finite, non-negative, with a positive sum" }
        guard !bandwidthClasses.isEmpty else { return "bandwidthClasses is empty" }
        guard Self.validShares(bandwidthClasses.map(\.share)) else {
            return "bandwidth class shares must be finite, non-negative, with a positive sum"
        }
        for link in bandwidthClasses {
            guard link.uploadMegabits.isFinite, link.uploadMegabits > 0, link.downloadMegabits.isFinite, link.downloadMegabits > 0 else {
                return "bandwidth class \(link.name) needs positive capacities"
            }
        }
        guard jitterMilliseconds.isFinite, (0...1_000).contains(jitterMilliseconds) else { return "jitterMilliseconds must be in 0...1000" }
        guard datagramLoss.isFinite, (0...1).contains(datagramLoss) else { return "datagramLoss must be in 0...1" }
        guard (1_024...(1 << 30)).contains(connectionWindowBytes) else { return "connectionWindowBytes must be in 1024...2^30" }
        return nil
    }

    static func validShares(_ shares: [Double]) -> Bool {
        shares.allSatisfy { $0.isFinite && $0 >= 0 } && shares.reduce(0, +) > 0
    }

    /// Each node's region and bandwidth class, drawn from the shares with `rng`.
    public func place(_ count: Int, using rng: inout SplitMix64) -> (regions: [Int], classes: [Int]) {
        let regions = Placement.assign(count, shares: regionShares, using: &rng)
        let classes = Placement.assign(count, shares: bandwidthClasses.map(\.share), using: &rng)
        return (regions, classes)
    }

    /// One-way latency between two regions with jitter drawn from `rng`.
    public func latency(from: Int, to: Int, using rng: inout SplitMix64) -> SimulatedInstant {
        regions.oneWay(from: from, to: to) + jitter(using: &rng)
    }

    /// One message's jitter, drawn from `rng` (nothing is drawn without jitter).
    public func jitter(using rng: inout SplitMix64) -> SimulatedInstant {
        guard jitterMilliseconds > 0 else { return .zero }
        let unit = Double(rng.next() >> 11) / Double(1 << 53)
        return .milliseconds(unit * jitterMilliseconds)
    }
}
