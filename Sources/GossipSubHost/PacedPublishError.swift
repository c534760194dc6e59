import GossipSub
import LibP2PCore

/// Why ``GossipSubHost/publishPaced(topic:data:)`` did not publish.
public enum PacedPublishError: Error, Equatable, Sendable {
    /// The router refused the message (too large, a duplicate, signing failed).
    case rejected(PublishError)
    /// These peers of the topic still had more than
    /// ``GossipSubHostConfiguration/publishHighWaterBytes`` bytes queued after
    /// ``GossipSubHostConfiguration/publishWaitLimit``: they take messages slower than this
    /// node publishes them.
    case peersNotDraining([PeerID])
    /// The host stopped while the publisher waited.
    case stopped
}
