import LibP2PCore

/// A peer the node refuses for a while: its GossipSub score fell below the ban threshold.
public struct PeerBan: Hashable, Sendable {
    /// The peer refused: neither dialed nor accepted until ``until``.
    public let peer: PeerID
    /// Its score when it was banned.
    public let score: Double
    /// When it was banned.
    public let since: ContinuousClock.Instant
    /// When the ban ends: ``since`` plus ``AztecNodeConfiguration/banDuration``.
    public let until: ContinuousClock.Instant
}
