import LibP2PCore

/// A peer the node refuses for a while: its GossipSub score fell below the ban threshold.
public struct PeerBan: Hashable, Sendable {
    public let peer: PeerID
    /// Its score when it was banned.
    public let score: Double
    /// When it was banned, and until when.
    public let since: ContinuousClock.Instant
    public let until: ContinuousClock.Instant
}
