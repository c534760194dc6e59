/// Caps on a transport's connections. A connection counts as pending from the TCP accept
/// or connect until its upgrade ends, then as inbound or outbound until it closes.
public struct ConnectionLimits: Sendable, Equatable {
    /// Established inbound connections at most; more are closed right after accept.
    public var maxInbound: Int
    /// Established outbound connections at most; further dials fail at once.
    public var maxOutbound: Int
    /// Connections being upgraded at most (both directions).
    public var maxPending: Int

    /// Creates limits.
    public init(maxInbound: Int = 512, maxOutbound: Int = 512, maxPending: Int = 128) {
        self.maxInbound = maxInbound
        self.maxOutbound = maxOutbound
        self.maxPending = maxPending
    }

    /// Checks the limits once: every limit positive.
    public func validated() throws(ConnectionUpgradeError) -> Self {
        guard maxInbound > 0, maxOutbound > 0, maxPending > 0 else {
            throw .invalidConfiguration("connection limits must be positive")
        }
        return self
    }
}

/// The connections a transport counts against its ``ConnectionLimits`` (a value, so the
/// accounting rules are testable apart from sockets).
struct ConnectionCounts: Sendable, Equatable {
    var inbound = 0
    var outbound = 0
    var pending = 0

    /// Takes a pending slot for a new connection, or says which limit refuses it.
    mutating func admit(dialer: Bool, limits: ConnectionLimits) -> ConnectionLimitKind? {
        guard pending < limits.maxPending else { return .pending }
        if dialer {
            guard outbound < limits.maxOutbound else { return .outbound }
        } else {
            guard inbound < limits.maxInbound else { return .inbound }
        }
        pending += 1
        return nil
    }

    /// The upgrade ended; an established connection moves to its direction's count unless that
    /// is full (a limit reached meanwhile), in which case it must be closed.
    mutating func upgraded(dialer: Bool, established: Bool, limits: ConnectionLimits) -> Bool {
        pending -= 1
        guard established else { return false }
        if dialer {
            guard outbound < limits.maxOutbound else { return false }
            outbound += 1
        } else {
            guard inbound < limits.maxInbound else { return false }
            inbound += 1
        }
        return true
    }

    /// An established connection closed.
    mutating func closed(dialer: Bool) {
        if dialer { outbound -= 1 } else { inbound -= 1 }
    }
}
