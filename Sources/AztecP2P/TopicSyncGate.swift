/// Keeps the node off the transaction topic until its state is synced (seed 002: a node that is
/// behind would judge valid transactions invalid, or publish invalid ones, and be penalised).
///
/// A sans-IO state machine: each sync report returns what to do with the subscription.
public struct TopicSyncGate: Sendable, Hashable {
    /// What the embedding node must do with the topic subscription.
    public enum Action: Hashable, Sendable {
        /// Subscribe to the named topic: the node became synced.
        case subscribe(String)
        /// Unsubscribe from the named topic: the node lost sync.
        case unsubscribe(String)
        /// Nothing changes.
        case none
    }

    private enum State: Hashable, Sendable {
        /// Never synced yet: not subscribed.
        case awaitingSync
        case subscribed
        /// Lost sync after being subscribed: unsubscribed until synced again.
        case suspended
    }

    /// The topic name the actions carry.
    public let topic: String
    private var state: State = .awaitingSync

    /// A closed gate: not subscribed until the first synced report.
    public init(topic: String) { self.topic = topic }

    /// True while subscribed: messages are validated. Otherwise they are ignored (``TxIgnoreReason/notSynced``).
    public var isOpen: Bool { state == .subscribed }

    /// The state provider's report that the node is (or is no longer) synced.
    public mutating func syncStatusChanged(synced: Bool) -> Action {
        switch (state, synced) {
        case (.awaitingSync, true), (.suspended, true):
            state = .subscribed
            return .subscribe(topic)
        case (.subscribed, false):
            state = .suspended
            return .unsubscribe(topic)
        case (.subscribed, true), (.awaitingSync, false), (.suspended, false):
            return .none
        }
    }
}
