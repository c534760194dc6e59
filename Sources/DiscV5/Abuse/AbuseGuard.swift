/// The abuse limits of a ``DiscoveryNode``: a packet rate per source IP address, a request rate
/// per node id, and bans of node ids for protocol violations in sessions they authenticated.
///
/// Nothing here bans an IP address: UDP source addresses are not authenticated, so whoever can
/// forge them could otherwise make a node ban its honest peers. Every table is bounded by
/// ``DiscoveryConfig/trackedAddressCapacity``.
struct AbuseGuard: Sendable {
    private var ipLimiter: RateLimiter<[UInt8]>
    private var nodeLimiter: RateLimiter<NodeID>
    /// The banned node ids and the offences counted towards a ban.
    private(set) var bans: BanList<NodeID>
    private let offencesBeforeBan: Int
    private let banDuration: Duration

    init(config: DiscoveryConfig) {
        let capacity = config.trackedAddressCapacity
        ipLimiter = RateLimiter(rate: config.packetsPerSecondPerIP, burst: config.packetsPerSecondPerIP, capacity: capacity)
        nodeLimiter = RateLimiter(
            rate: config.requestsPerSecondPerNode, burst: config.requestsPerSecondPerNode, capacity: capacity)
        bans = BanList(capacity: capacity)
        offencesBeforeBan = config.invalidMessagesBeforeBan
        banDuration = config.banDuration
    }

    /// Number of IP addresses the packet rate limit tracks.
    var trackedAddressCount: Int { ipLimiter.trackedCount }

    /// Spends a packet token of `ip`; `false`: drop the packet.
    mutating func admitsPacket(from ip: [UInt8], now: Duration) -> Bool { ipLimiter.allow(ip, now: now) }

    /// Spends a request token of `node`; `false`: leave the request unanswered.
    mutating func admitsRequest(from node: NodeID, now: Duration) -> Bool { nodeLimiter.allow(node, now: now) }

    /// Whether `node` is banned at `now`.
    func isBanned(_ node: NodeID, now: Duration) -> Bool { bans.isBanned(node, now: now) }

    /// Counts a protocol violation `address` authenticated (the packet with `nonce` decrypted
    /// under its session); returns the ban when this one reached the threshold.
    mutating func offence(
        by address: NodeAddress, _ error: DiscV5Error, nonce: [UInt8], now: Duration
    ) -> DiscoveryBan? {
        let until = now + banDuration
        guard let count = bans.strike(
            address.nodeID, evidence: nonce, threshold: offencesBeforeBan, window: banDuration, until: until, now: now)
        else { return nil }
        return DiscoveryBan(nodeID: address.nodeID, endpoint: address.endpoint, reason: error, offences: count, until: until)
    }
}
