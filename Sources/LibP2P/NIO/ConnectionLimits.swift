/// Caps on a transport's connections. A connection counts as pending from the TCP accept
/// or connect until its upgrade ends (at the latest after the handshake timeout), then as
/// inbound or outbound until it closes.
///
/// Pending slots are split by direction, so inbound handshakes (which anyone may open) never
/// take the slots the node's own dials need, and pending inbound connections are capped per
/// source address, so one address cannot take them all.
public struct ConnectionLimits: Sendable, Equatable {
    /// Established inbound connections at most; more are closed right after accept.
    public var maxInbound: Int
    /// Established outbound connections at most; further dials fail at once.
    public var maxOutbound: Int
    /// Inbound connections being upgraded at most; more are closed right after accept.
    public var maxPendingInbound: Int
    /// Outbound connections being upgraded at most (reserved for dials: inbound ones never use
    /// them); further dials fail at once.
    public var maxPendingOutbound: Int
    /// Inbound connections being upgraded from one source at most: one IPv4 address, or one
    /// IPv6 /64 (what a single host is usually given). The default, 8, lets a few nodes behind
    /// one NAT connect at once while it takes 16 sources to fill the default 128 inbound slots.
    public var maxPendingInboundPerSource: Int
    /// Inbound connections refused by these limits (and inbound handshakes that failed) are
    /// logged as one summary line with counts at most this often, not one line each.
    public var refusalLogInterval: Duration

    /// Creates limits.
    public init(
        maxInbound: Int = 512, maxOutbound: Int = 512, maxPendingInbound: Int = 128, maxPendingOutbound: Int = 64,
        maxPendingInboundPerSource: Int = 8, refusalLogInterval: Duration = .seconds(10)
    ) {
        self.maxInbound = maxInbound
        self.maxOutbound = maxOutbound
        self.maxPendingInbound = maxPendingInbound
        self.maxPendingOutbound = maxPendingOutbound
        self.maxPendingInboundPerSource = maxPendingInboundPerSource
        self.refusalLogInterval = refusalLogInterval
    }

    /// Checks the limits once: every limit and the log interval positive.
    public func validated() throws(ConnectionUpgradeError) -> Self {
        guard maxInbound > 0, maxOutbound > 0, maxPendingInbound > 0, maxPendingOutbound > 0,
              maxPendingInboundPerSource > 0
        else {
            throw .invalidConfiguration("connection limits must be positive")
        }
        guard refusalLogInterval > .zero else { throw .invalidConfiguration("non-positive refusal log interval") }
        return self
    }
}
