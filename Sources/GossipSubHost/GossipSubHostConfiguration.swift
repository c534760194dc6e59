import Metrics
import GossipSub

/// Parameters of the host around the router: queues, validation and stream limits.
public struct GossipSubHostConfiguration: Sendable {
    /// Message and gossip (IHAVE/IWANT) bytes queued for one peer before further such frames
    /// are dropped.
    public var maxQueuedMessageBytes = 16 << 20
    /// GRAFT/PRUNE/IDONTWANT bytes queued for one peer before further such frames are dropped,
    /// and subscription bytes before the peer is disconnected (subscriptions are never dropped).
    public var maxQueuedControlBytes = 4 << 20
    /// Lanes and expiry of the per-peer send queues (`OutboundQueuePolicy`); by default
    /// `OutboundQueuePolicy.lanesWithForwardExpiry`, what the network simulator measured as
    /// better than one FIFO (`OutboundQueuePolicy.singleFIFO`).
    public var queuePolicy = OutboundQueuePolicy.lanesWithForwardExpiry
    /// ``GossipSubHost/publishPaced(topic:data:)`` waits while a peer of the topic has more
    /// message bytes than this queued; `nil` (default): a quarter of ``maxQueuedMessageBytes``.
    public var publishQueueHighWater: Int?
    /// How long ``GossipSubHost/publishPaced(topic:data:)`` waits for such a peer before it
    /// gives up with `PacedPublishError.peersNotDraining`.
    public var publishWaitLimit: Duration = .seconds(10)
    /// Frames dropped for one peer within one heartbeat before it is disconnected. Every drop
    /// is also a behaviour penalty (`PenaltyReason.slowPeer`).
    public var slowPeerDropsBeforeDisconnect = 64
    /// Messages awaiting an asynchronous validator; further ones are dropped (ignored) and
    /// counted. The node's own publishes never enter this queue.
    public var validationQueueLength = 1024
    /// Accepted messages buffered per subscriber; the oldest are dropped beyond it.
    public var subscriptionBufferLength = 8192
    /// Protocols offered on outbound streams, most preferred first, and accepted on inbound
    /// ones. v1.3 without extensions (`GossipSubConfig.Parameters.extensions`) behaves as v1.2.
    public var protocols: [GossipProtocol] = [.meshsub13, .meshsub12, .meshsub11, .meshsub10]
    /// Smallest score change reported as ``GossipSubHostEvent/scoreChanged(_:from:to:)``.
    public var scoreChangeEventDelta = 1.0
    /// Label prefix of the swift-metrics counters and gauges.
    public var metricsPrefix = "gossipsub"
    /// A `node` dimension added to every metric (several nodes in one process), if set.
    public var metricsNodeLabel: String?
    /// The swift-metrics backend the counters and gauges go to; `nil` (default): the process's
    /// `MetricsSystem.factory`, whatever it was bootstrapped with.
    public var metricsFactory: (any MetricsFactory)?

    /// The defaults shown on each property.
    public init() {}

    /// The message bytes above which a paced publisher waits (``publishQueueHighWater``).
    public var publishHighWaterBytes: Int { publishQueueHighWater ?? max(1, maxQueuedMessageBytes / 4) }

    /// Checks the invariants once.
    public func validated() throws(GossipSubConfigError) -> Self {
        guard maxQueuedMessageBytes > 0, maxQueuedControlBytes > 0 else { throw .invalid("queue limits must be positive") }
        if let publishQueueHighWater, publishQueueHighWater <= 0 || publishQueueHighWater > maxQueuedMessageBytes {
            throw .invalid("publishQueueHighWater must be in 1...maxQueuedMessageBytes")
        }
        guard publishWaitLimit > .zero else { throw .invalid("publishWaitLimit must be positive") }
        guard slowPeerDropsBeforeDisconnect >= 1 else { throw .invalid("slowPeerDropsBeforeDisconnect must be at least 1") }
        guard validationQueueLength >= 1, subscriptionBufferLength >= 1 else { throw .invalid("queue lengths must be positive") }
        guard queuePolicy.forwardExpiry.map({ $0 > .zero }) ?? true else { throw .invalid("forwardExpiry must be positive") }
        guard !protocols.isEmpty, !protocols.contains(.floodsub) else { throw .invalid("protocols must be meshsub versions") }
        return self
    }
}
