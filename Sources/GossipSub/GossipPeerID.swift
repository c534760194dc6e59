/// The peer key the embedding layer supplies (LibP2PCore's `PeerID` once it exists).
///
/// `Comparable` gives the router a defined iteration order over peer sets; `wireBytes` is the
/// peer id as carried in PRUNE peer exchange and in a StrictSign message's `from` field.
public protocol GossipPeerID: Hashable, Sendable, Comparable {
    /// The peer id bytes as written in PRUNE peer exchange and in a StrictSign `from` field.
    var wireBytes: [UInt8] { get }
}

/// The gossipsub protocol version a peer negotiated.
public enum GossipProtocol: Int, Sendable, Hashable, Comparable, CaseIterable {
    /// `/floodsub/1.0.0`: receives published messages, takes no part in the mesh or gossip.
    case floodsub = 0
    /// `/meshsub/1.0.0`
    case meshsub10 = 10
    /// `/meshsub/1.1.0`: PRUNE backoff and peer exchange.
    case meshsub11 = 11
    /// `/meshsub/1.2.0`: IDONTWANT.
    case meshsub12 = 12
    /// `/meshsub/1.3.0`: the Extensions control message (``ControlExtensions``).
    case meshsub13 = 13

    /// Orders by version: floodsub first, then meshsub 1.0 up to 1.3.
    public static func < (lhs: GossipProtocol, rhs: GossipProtocol) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The multistream protocol id.
    public var protocolID: String {
        switch self {
        case .floodsub: "/floodsub/1.0.0"
        case .meshsub10: "/meshsub/1.0.0"
        case .meshsub11: "/meshsub/1.1.0"
        case .meshsub12: "/meshsub/1.2.0"
        case .meshsub13: "/meshsub/1.3.0"
        }
    }

    var supportsMesh: Bool { self >= .meshsub10 }
    var supportsPeerExchange: Bool { self >= .meshsub11 }
    var supportsIDontWant: Bool { self >= .meshsub12 }
    var supportsExtensions: Bool { self >= .meshsub13 }
}
