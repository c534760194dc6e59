import AztecP2P
import DiscV5

/// Discovery floods at the bootnodes (``FloodSettings``) and what they cost the bootnodes.
extension AztecNetworkSimulation {
    /// The flood's ticks: its packets leave in batches every 10 ms.
    static let floodTick = SimulatedInstant.milliseconds(10)

    /// The most a bootnode held at once during the run (noted after every packet a bootnode
    /// handled while a flood scenario runs).
    public struct BootnodePeaks: Hashable, Sendable, Codable {
        /// Established sessions (bound: `SessionConfig.sessionCapacity`).
        public var sessions = 0
        /// WHOAREYOU challenges awaiting a handshake (bound: `SessionConfig.maximumPendingChallenges`).
        public var pendingChallenges = 0
        /// Addresses and node ids under rate limits (bound: `DiscoveryConfig.trackedAddressCapacity`).
        public var trackedAddresses = 0
        /// The bootnode's own requests awaiting answers.
        public var pendingRequests = 0
    }

    /// The flood's counters.
    struct FloodLedger {
        var requestsSent = 0
        /// FINDNODE answers the identities received, and requests of theirs that failed.
        var answers = 0
        var failures = 0
        var spoofedPacketsSent = 0
        /// Packets bootnodes addressed to forged sources (their WHOAREYOU challenges), lost.
        var packetsToForgedSources = 0
        var peaks = BootnodePeaks()
        var requestBudget = 0.0
        var spoofedBudget = 0.0
        var nextIdentity = 0
    }

    /// The flood's identities are the last nodes; they start when the flood does.
    func prepareFlood(_ settings: FloodSettings) {
        for index in floodIdentities { queue.push(.start(Int32(index)), at: .seconds(settings.startSeconds)) }
        queue.push(.floodTick, at: .seconds(settings.startSeconds))
    }

    var floodIdentities: Range<Int> {
        let count = scenario.flood?.identities ?? 0
        return nodes.count - count..<nodes.count
    }

    /// A flood identity runs a discovery core that knows nobody and starts nothing: it only
    /// answers the handshakes and responses of its own requests.
    func startFlooder(_ index: Int) {
        do {
            nodes[index].discovery = try DiscoveryNode(key: keys[index], record: records[index], config: discoveryConfig)
        } catch {
            trace.mix(0xBAD)
        }
    }

    func floodTick() {
        guard let settings = scenario.flood else { return }
        if let stop = settings.stopSeconds, now >= .seconds(stop) { return }
        queue.push(.floodTick, at: now + Self.floodTick)
        let tick = Self.floodTick.seconds
        let identities = floodIdentities
        guard !bootRecords.isEmpty, !identities.isEmpty else { return }
        flood.requestBudget += settings.requestsPerSecond * tick
        while flood.requestBudget >= 1 {
            flood.requestBudget -= 1
            let index = identities.lowerBound + flood.nextIdentity
            flood.nextIdentity = (flood.nextIdentity + 1) % identities.count
            guard nodes[index].alive, nodes[index].discovery != nil else { continue }
            let boot = bootRecords[Int(rng.next() % UInt64(bootRecords.count))]
            let distance = UInt16(240 + rng.next() % 17)
            let (_, actions) = nodes[index].discovery!.findNode(boot, distances: [distance], now: now.sinceStart, using: &rng)
            flood.requestsSent += 1
            applyDiscovery(index, actions)
        }
        flood.spoofedBudget += settings.spoofedPacketsPerSecond * tick
        while flood.spoofedBudget >= 1 {
            flood.spoofedBudget -= 1
            sendSpoofedPacket(from: identities.lowerBound + Int(rng.next() % UInt64(identities.count)))
        }
    }

    /// A message packet from a random node id and a forged source address (in 100.64.0.0/10,
    /// where no simulated node lives) to a random bootnode, sent over `sender`'s uplink.
    func sendSpoofedPacket(from sender: Int) {
        let bootnode = scenario.nodes + Int(rng.next() % UInt64(bootRecords.count))
        let bytes = SyntheticTransactions.randomBytes(32 + 12 + 16 + 48, &rng)
        guard let source = NodeID(bytes: bytes[0..<32]),
              let packet = try? PacketCodec.encode(header: PacketHeader(nonce: Array(bytes[32..<44]), authData: .message(source: source)),
                                                   maskingIV: bytes[44..<60], destination: records[bootnode].discoveryNodeID,
                                                   messageBytes: bytes[60...])
        else { return }
        let word = rng.next()
        let ip = UInt32(100) << 24 | UInt32(64 + word % 64) << 16 | UInt32((word >> 8) & 0xFF) << 8 | UInt32(1 + (word >> 16) % 250)
        flood.spoofedPacketsSent += 1
        let arrives = links.send(bytes: packet.count, from: sender, to: bootnode, latency: latency(sender, bootnode), ordered: false, now: now)
        guard uniform() >= scenario.network.datagramLoss else { return }
        queue.push(.spoofedArrives(to: Int32(bootnode), ip: ip, packet: packet), at: arrives)
    }

    /// A forged packet reaches bootnode `index` from `ip`.
    func spoofedPacket(_ packet: [UInt8], ip: UInt32, at index: Int) {
        guard nodes[index].alive, nodes[index].discovery != nil else { return }
        let endpoint = Endpoint(ip: [UInt8(ip >> 24), UInt8((ip >> 16) & 0xFF), UInt8((ip >> 8) & 0xFF), UInt8(ip & 0xFF)],
                                port: SimulatedAddressing.udpPort)
        let actions = nodes[index].discovery!.handlePacket(packet, from: endpoint, now: now.sinceStart, using: &rng)
        applyDiscovery(index, actions)
        noteBootnodePeaks(index)
    }

    /// Counts what a flood identity's requests got.
    func noteFloodAnswers(_ actions: [DiscoveryAction]) {
        for action in actions {
            switch action {
            case .nodes: flood.answers += 1
            case .requestFailed: flood.failures += 1
            default: break
            }
        }
    }

    func noteBootnodePeaks(_ index: Int) {
        guard let discovery = nodes[index].discovery else { return }
        flood.peaks.sessions = max(flood.peaks.sessions, discovery.session.sessions.count)
        flood.peaks.pendingChallenges = max(flood.peaks.pendingChallenges, discovery.session.pendingChallengeCount)
        flood.peaks.trackedAddresses = max(flood.peaks.trackedAddresses, discovery.trackedAddressCount)
        flood.peaks.pendingRequests = max(flood.peaks.pendingRequests, discovery.session.pendingRequestCount)
    }
}

/// What a discovery flood (``FloodSettings``) did: the attacker's packets, what its requests got,
/// and the most any bootnode held at once against its bounds.
public struct FloodReport: Hashable, Sendable, Codable {
    /// The attacker's node ids (``FloodSettings/identities``), each on an address of its own.
    public var identities: Int
    /// The identities' FINDNODE requests, and how many got their NODES or failed (timed out).
    public var requestsSent: Int
    /// Of those requests, the ones answered with NODES.
    public var requestsAnswered: Int
    /// Of those requests, the ones that failed (timed out).
    public var requestsFailed: Int
    /// Forged packets sent, and the packets bootnodes sent back to forged addresses (lost).
    public var spoofedPacketsSent: Int
    /// Packets bootnodes sent to forged addresses (their WHOAREYOU challenges), lost.
    public var packetsToForgedSources: Int
    /// The most any bootnode held at once of each bounded table, over the run.
    public var bootnodePeaks: AztecNetworkSimulation.BootnodePeaks
    /// The bounds those peaks are held to: sessions, pending challenges, tracked addresses.
    public var sessionCapacity: Int
    /// The bound on pending WHOAREYOU challenges (`SessionConfig.maximumPendingChallenges`).
    public var challengeCapacity: Int
    /// The bound on addresses and node ids under rate limits
    /// (`DiscoveryConfig.trackedAddressCapacity`).
    public var trackedAddressCapacity: Int
    /// Packets the busiest bootnode dropped for its per-address rate, and requests it left
    /// unanswered for the per-node rate.
    public var packetsRateLimitedMax: Int
    /// The most requests one bootnode left unanswered for its per-node rate limit.
    public var requestsRateLimitedMax: Int

    init(simulation s: AztecNetworkSimulation) {
        let ledger = s.flood
        identities = s.floodIdentities.count
        requestsSent = ledger.requestsSent
        requestsAnswered = ledger.answers
        requestsFailed = ledger.failures
        spoofedPacketsSent = ledger.spoofedPacketsSent
        packetsToForgedSources = ledger.packetsToForgedSources
        bootnodePeaks = ledger.peaks
        sessionCapacity = s.discoveryConfig.session.sessionCapacity
        challengeCapacity = s.discoveryConfig.session.maximumPendingChallenges
        trackedAddressCapacity = s.discoveryConfig.trackedAddressCapacity
        let boots = s.nodes.filter { $0.role == .bootnode }.compactMap(\.discovery?.statistics)
        packetsRateLimitedMax = boots.map(\.packetsRateLimited).max() ?? 0
        requestsRateLimitedMax = boots.map(\.requestsRateLimited).max() ?? 0
    }
}
