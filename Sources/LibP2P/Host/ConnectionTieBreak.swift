import LibP2PCore

/// Which connection two peers keep when they hold two to each other (typically both dialed
/// at once). Both sides compute the same answer: the connection dialed by the peer with the
/// smaller peer id (multihash bytes, compared lexicographically) wins; of two connections
/// dialed by the same side, the older stays.
public enum ConnectionTieBreak {
    /// Whether the newer connection replaces the existing one. `…IsDialer` says whether the
    /// local side dialed that connection.
    public static func prefersNew(
        existingIsDialer: Bool, newIsDialer: Bool, local: PeerID, remote: PeerID
    ) -> Bool {
        guard existingIsDialer != newIsDialer else { return false }
        let localDialedWins = local.multihashBytes.lexicographicallyPrecedes(remote.multihashBytes)
        return newIsDialer == localDialedWins
    }
}
