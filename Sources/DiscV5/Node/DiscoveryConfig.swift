import ENR

/// Parameters of a ``DiscoveryNode``, checked once by ``validated()``.
public struct DiscoveryConfig: Sendable {
    /// The session layer (timeouts, retries, cache size).
    public var session = SessionConfig()
    /// The routing table (bucket size, replacement caches, IP limits).
    public var table = TableConfig()
    /// Nodes contacted when the table is empty (their records must carry `ip` and `udp`).
    public var bootnodes: [NodeRecord] = []
    /// Queries in flight per lookup (α).
    public var lookupParallelism = 3
    /// Number of closest nodes a lookup returns (k).
    public var lookupResultCount = 16
    /// Log distances asked per FINDNODE of a lookup (the target's, then its neighbours; see
    /// ``DiscoveryNode``'s lookups). More distances cost no packets: answers stop at 16 records.
    public var lookupDistanceCount = 6
    /// A lookup that has not converged by then finishes with what it has.
    public var lookupTimeout: Duration = .seconds(30)
    /// Lookups running at once; more are refused.
    public var maximumConcurrentLookups = 16
    /// Topics advertised at once (``DiscoveryNode/advertiseTopic(_:settings:now:using:)``); more are refused.
    public var maximumAdvertisedTopics = 8
    /// Nodes passing ``filter`` that this one talked to and the table has no place for, kept as
    /// ``DiscoveryNode/peers`` beyond the table (the newest this many). Where the filter's nodes
    /// are a minority of the network, buckets fill with others and these are how they are found.
    /// 0 keeps none.
    public var lookupPeerCapacity = 256
    /// Interval of refresh lookups for random targets (or of bootstrapping while the table is empty).
    public var refreshInterval: Duration = .seconds(60)
    /// Interval of liveness checks of a table entry (the least recently seen of a random bucket).
    public var revalidationInterval: Duration = .seconds(10)
    /// Most records sent in answer to one FINDNODE.
    public var maximumNodesPerResponse = 16
    /// PONG votes needed before the external address may change.
    public var minimumAddressVotes = 10
    /// How long a PONG vote counts.
    public var addressVoteLifetime: Duration = .seconds(300)
    /// Packets per second accepted from one IP address (token bucket refill rate and burst).
    /// This is all an IP address can lose: source addresses are not authenticated, so garbage,
    /// undecryptable or replayed packets only spend their address's tokens and never ban it.
    public var packetsPerSecondPerIP: Double = 200
    /// Requests per second answered for one node id.
    public var requestsPerSecondPerNode: Double = 50
    /// Protocol violations (``DiscV5Error/isProtocolViolation``) in authenticated sessions, each
    /// in a distinct packet and within ``banDuration``, before the sending node id is banned.
    /// An honest node sends none; more than one tolerates a glitch without letting a
    /// misbehaving node go on.
    public var invalidMessagesBeforeBan = 3
    /// How long a ban of a node id lasts.
    public var banDuration: Duration = .seconds(600)
    /// Addresses and node ids tracked by rate limits, offence counts and bans (each table holds
    /// at most this many: the memory bound under floods).
    public var trackedAddressCapacity = 10_000
    /// Which discovered records are reported to the layers above (chain ids).
    public var filter = PeerFilter.all
    /// Acting as a topic-discovery registrar (answering REGTOPIC and TOPICQUERY) with these
    /// parameters; `nil`, the default, ignores both requests as nodes without topic discovery do.
    public var topicRegistrar: TopicRegistrarConfig?

    /// The defaults, as given on each property.
    public init() {}

    /// A configuration violated an invariant.
    public struct Invalid: Error, Equatable, Sendable {
        /// The invariant broken, in words.
        public let reason: String
    }

    /// Returns `self` when every invariant holds (including the session and table configs).
    public func validated() throws(Invalid) -> DiscoveryConfig {
        do throws(SessionConfig.Invalid) {
            _ = try session.validated()
        } catch {
            throw Invalid(reason: error.reason)
        }
        do throws(TableConfig.Invalid) {
            _ = try table.validated()
        } catch {
            throw Invalid(reason: error.reason)
        }
        guard lookupParallelism > 0 else { throw Invalid(reason: "lookupParallelism must be positive") }
        guard lookupPeerCapacity >= 0 else { throw Invalid(reason: "lookupPeerCapacity must not be negative") }
        guard lookupResultCount > 0 else { throw Invalid(reason: "lookupResultCount must be positive") }
        guard (1...10).contains(lookupDistanceCount) else { throw Invalid(reason: "lookupDistanceCount must be in 1...10") }
        guard lookupTimeout > .zero, refreshInterval > .zero, revalidationInterval > .zero, addressVoteLifetime > .zero,
              banDuration > .zero
        else { throw Invalid(reason: "intervals must be positive") }
        guard maximumConcurrentLookups > 0 else { throw Invalid(reason: "maximumConcurrentLookups must be positive") }
        guard maximumAdvertisedTopics >= 0 else { throw Invalid(reason: "maximumAdvertisedTopics must not be negative") }
        guard maximumNodesPerResponse > 0 else { throw Invalid(reason: "maximumNodesPerResponse must be positive") }
        if let problem = topicRegistrar?.problems.first { throw Invalid(reason: "topicRegistrar: \(problem)") }
        guard minimumAddressVotes > 0 else { throw Invalid(reason: "minimumAddressVotes must be positive") }
        guard packetsPerSecondPerIP > 0, requestsPerSecondPerNode > 0 else { throw Invalid(reason: "rates must be positive") }
        guard invalidMessagesBeforeBan > 0 else { throw Invalid(reason: "invalidMessagesBeforeBan must be positive") }
        guard trackedAddressCapacity > 0 else { throw Invalid(reason: "trackedAddressCapacity must be positive") }
        return self
    }
}
