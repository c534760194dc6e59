/// What ``P2PHost/observeConnections(_:)`` returns: the connections the host kept before the
/// observer was added, and the observer's id, to remove it with
/// ``P2PHost/stopObservingConnections(_:)``.
public struct ConnectionObservation: Sendable {
    /// Identifies one observer of a host.
    public struct ID: Hashable, Sendable {
        let rawValue: Int
    }

    /// The observer's id.
    public let id: ID
    /// The connections kept before the observer was added (it is called for every later one).
    public let existing: [P2PConnection]
}
