/// Parameters of the session layer, checked once by ``validated()``.
public struct SessionConfig: Sendable, Equatable {
    /// Maximum number of sessions kept (least recently used evicted first).
    public var sessionCapacity: Int = 1_000
    /// Time to wait for a response before retrying or failing a request (spec: ~500 ms).
    public var requestTimeout: Duration = .milliseconds(500)
    /// Time a WHOAREYOU challenge stays valid (spec: ~1 s).
    public var handshakeTimeout: Duration = .seconds(1)
    /// How many times a request packet is re-sent after a timeout before it fails.
    public var requestRetries: Int = 1
    /// Maximum number of WHOAREYOU challenges outstanding at once (each about 500 bytes); when
    /// full, a new one replaces a random one. Forged packets from forged addresses must come at
    /// this many per ``handshakeTimeout`` to fill the table, and beyond that they shorten honest
    /// handshakes' odds without refusing them (see the network simulator's `flood-discovery`).
    public var maximumPendingChallenges: Int = 10_000
    /// Records verified by other nodes of this process (a simulation's), consulted before
    /// checking a record's signature; nil (the default) for a node of its own.
    public var sharedRecords: SharedRecordCache?

    /// The defaults, as given on each property.
    public init() {}

    /// A configuration violated an invariant.
    public struct Invalid: Error, Equatable, Sendable {
        /// The invariant broken, in words.
        public let reason: String
    }

    /// Returns `self` when every invariant holds.
    public func validated() throws(Invalid) -> SessionConfig {
        guard sessionCapacity > 0 else { throw Invalid(reason: "sessionCapacity must be positive") }
        guard requestTimeout > .zero else { throw Invalid(reason: "requestTimeout must be positive") }
        guard handshakeTimeout > .zero else { throw Invalid(reason: "handshakeTimeout must be positive") }
        guard requestRetries >= 0 else { throw Invalid(reason: "requestRetries must not be negative") }
        guard maximumPendingChallenges > 0 else { throw Invalid(reason: "maximumPendingChallenges must be positive") }
        return self
    }
}
