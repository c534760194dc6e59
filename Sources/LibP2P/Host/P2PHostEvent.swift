import LibP2PCore

/// What a ``P2PHost`` reports on its ``P2PHost/events`` stream.
public enum P2PHostEvent: Sendable {
    /// A connection was established (and kept: the loser of a simultaneous dial is not reported).
    case connected(P2PConnection)
    /// The kept connection to a peer closed.
    case disconnected(PeerID)
    /// A peer was identified (or pushed new identify information).
    case identified(PeerID, IdentifyInfo)
}
