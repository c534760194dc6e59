import Multiformats

/// libp2p peer ids are the peers of a real node. The router's entry points are specialised for
/// them (`@_specialize(exported: true, where Peer == PeerID)`), so code in other modules runs
/// compiled for `PeerID` rather than through generic witness tables.
extension PeerID: GossipPeerID {
    /// The multihash bytes, as carried in `from` and in PRUNE peer exchange.
    public var wireBytes: [UInt8] { multihashBytes }
}
