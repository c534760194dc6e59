/// The connections a transport counts against its ``ConnectionLimits``, and the inbound
/// refusals it has to report (a value, so the accounting rules are testable apart from sockets).
struct ConnectionCounts: Sendable, Equatable {
    /// Failed inbound upgrades logged as warnings per ``ConnectionLimits/refusalLogInterval``.
    static let warningsPerInterval = 5

    var inbound = 0
    var outbound = 0
    var pendingInbound = 0
    var pendingOutbound = 0
    /// Pending inbound connections per source; an entry exists only while its count is positive,
    /// so the table holds at most ``ConnectionLimits/maxPendingInbound`` entries.
    private(set) var pendingBySource: [ConnectionSource: Int] = [:]
    /// Refusals and failed inbound handshakes since the last summary.
    var unreported = InboundRefusals()
    /// Refusals and failed inbound handshakes since the transport started.
    var total = InboundRefusals()
    /// Whether a summary of ``unreported`` is due (scheduled and not yet taken).
    private(set) var summaryScheduled = false
    /// Warnings of failed inbound upgrades given in the interval that began at `warningsSince`.
    private var warningsGiven = 0
    private var warningsSince: Duration?

    /// Connections being upgraded, both directions.
    var pending: Int { pendingInbound + pendingOutbound }

    /// Takes a pending slot for an accepted connection from `source`, or says which limit
    /// refuses it (the refusal is counted).
    mutating func admitInbound(from source: ConnectionSource, limits: ConnectionLimits) -> ConnectionLimitKind? {
        let refusal: ConnectionLimitKind? =
            if inbound >= limits.maxInbound { .inbound }
            else if pendingInbound >= limits.maxPendingInbound { .pending }
            else if pendingBySource[source, default: 0] >= limits.maxPendingInboundPerSource { .pendingFromSource }
            else { nil }
        if let refusal {
            unreported.count(refusal)
            total.count(refusal)
            return refusal
        }
        pendingInbound += 1
        pendingBySource[source, default: 0] += 1
        return nil
    }

    /// Takes a pending slot for a dial, or says which limit refuses it.
    mutating func admitOutbound(limits: ConnectionLimits) -> ConnectionLimitKind? {
        guard outbound < limits.maxOutbound else { return .outbound }
        guard pendingOutbound < limits.maxPendingOutbound else { return .pending }
        pendingOutbound += 1
        return nil
    }

    /// The upgrade of an inbound connection from `source` ended; an established one moves to the
    /// inbound count unless that is full (a limit reached meanwhile), in which case it must be
    /// closed.
    mutating func upgradedInbound(from source: ConnectionSource, established: Bool, limits: ConnectionLimits) -> Bool {
        pendingInbound -= 1
        if let left = pendingBySource[source] { pendingBySource[source] = left > 1 ? left - 1 : nil }
        guard established else {
            total.handshakesFailed += 1
            return false
        }
        guard inbound < limits.maxInbound else {
            unreported.count(.inbound)
            total.count(.inbound)
            return false
        }
        inbound += 1
        return true
    }

    /// The upgrade of a dial ended (or the dial failed before it began); as for inbound.
    mutating func upgradedOutbound(established: Bool, limits: ConnectionLimits) -> Bool {
        pendingOutbound -= 1
        guard established, outbound < limits.maxOutbound else { return false }
        outbound += 1
        return true
    }

    /// An established connection closed.
    mutating func closed(dialer: Bool) {
        if dialer { outbound -= 1 } else { inbound -= 1 }
    }

    /// Whether a failed inbound upgrade may be logged as a warning at `now`: yes for the first
    /// ``warningsPerInterval`` of each `interval`; otherwise it is counted for the summary.
    mutating func mayWarnOfFailure(now: Duration, interval: Duration) -> Bool {
        if warningsSince.map({ now - $0 >= interval }) ?? true {
            warningsSince = now
            warningsGiven = 0
        }
        guard warningsGiven < Self.warningsPerInterval else {
            unreported.handshakesFailed += 1
            return false
        }
        warningsGiven += 1
        return true
    }

    /// Whether the caller is to schedule a summary: something is unreported and no summary is
    /// scheduled yet (then one is, until ``takeUnreported()``).
    mutating func claimSummary() -> Bool {
        guard !unreported.isEmpty, !summaryScheduled else { return false }
        summaryScheduled = true
        return true
    }

    /// The refusals to report now, and a fresh count for the next interval.
    mutating func takeUnreported() -> InboundRefusals {
        defer {
            unreported = InboundRefusals()
            summaryScheduled = false
        }
        return unreported
    }
}

/// Inbound connections refused by each limit, and inbound handshakes that failed or timed out.
public struct InboundRefusals: Sendable, Equatable {
    /// Refused: ``ConnectionLimits/maxPendingInboundPerSource`` reached for the source.
    public var pendingFromSource = 0
    /// Refused: ``ConnectionLimits/maxPendingInbound`` reached.
    public var pendingFull = 0
    /// Refused: ``ConnectionLimits/maxInbound`` reached.
    public var inboundFull = 0
    /// Accepted, but the upgrade failed or timed out (in a summary: those not logged one by one).
    public var handshakesFailed = 0

    /// Creates counts.
    public init(pendingFromSource: Int = 0, pendingFull: Int = 0, inboundFull: Int = 0, handshakesFailed: Int = 0) {
        self.pendingFromSource = pendingFromSource
        self.pendingFull = pendingFull
        self.inboundFull = inboundFull
        self.handshakesFailed = handshakesFailed
    }

    /// Connections refused by any limit.
    public var refused: Int { pendingFromSource + pendingFull + inboundFull }

    /// Whether nothing happened.
    public var isEmpty: Bool { refused == 0 && handshakesFailed == 0 }

    mutating func count(_ kind: ConnectionLimitKind) {
        switch kind {
        case .pendingFromSource: pendingFromSource += 1
        case .pending: pendingFull += 1
        case .inbound: inboundFull += 1
        case .outbound: break
        }
    }

    /// The summary line for `interval`: "refused 12 inbound connections in the last 10 s
    /// (per-source pending cap: 9, pending full: 3, inbound full: 0); 4 more inbound handshakes failed".
    func summary(interval: Duration) -> String {
        let (seconds, attoseconds) = interval.components
        let span = attoseconds == 0 ? "\(seconds) s" : "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
        return "refused \(refused) inbound connections in the last \(span) "
            + "(per-source pending cap: \(pendingFromSource), pending full: \(pendingFull), inbound full: \(inboundFull)); "
            + "\(handshakesFailed) more inbound handshakes failed"
    }
}

/// What an inbound connection counts against for ``ConnectionLimits/maxPendingInboundPerSource``:
/// an IPv4 address, or the /64 prefix of an IPv6 address (an IPv4-mapped IPv6 address is the
/// IPv4 address it stands for).
struct ConnectionSource: Hashable, Sendable {
    let prefix: [UInt8]

    /// The source of an IP address given as 4 or 16 bytes (anything else: one shared source).
    init(ip: [UInt8]) {
        if ip.count == 16, ip[0..<10].allSatisfy({ $0 == 0 }), ip[10] == 0xFF, ip[11] == 0xFF {
            prefix = Array(ip[12...])
        } else if ip.count == 16 {
            prefix = Array(ip[0..<8])
        } else {
            prefix = ip
        }
    }
}
