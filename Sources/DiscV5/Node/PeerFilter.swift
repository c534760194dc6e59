import ENR

/// Which records the layers above want reported (``DiscoveryNode/peers``, the discovered-peer
/// actions): a predicate on the record, supplied by the application (Aztec's checks its chain
/// ids). The routing table itself keeps every valid record, wanted or not, since they all serve
/// lookups.
public struct PeerFilter: Sendable {
    private let predicate: @Sendable (NodeRecord) -> Bool

    /// A filter admitting the records for which `predicate` is true.
    public init(_ predicate: @escaping @Sendable (NodeRecord) -> Bool) {
        self.predicate = predicate
    }

    /// Admits every record (the default).
    public static let all = PeerFilter { _ in true }

    /// Whether `record` is wanted.
    public func admits(_ record: NodeRecord) -> Bool { predicate(record) }
}
