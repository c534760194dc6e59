/// A message that passed the router's checks: topic size limit, signature policy and id
/// computation. Application validation (``ValidationResult``) still follows.
public struct Message: Sendable, Hashable {
    /// The id the configured ``MessageIDFunction`` gave the message.
    public let id: MessageID
    /// The wire form, forwarded unchanged.
    public let raw: RawMessage
    /// The topic it was published on.
    public var topic: String { raw.topic }
    /// The application payload (empty when the wire message had no `data`).
    public var data: [UInt8] { raw.data ?? [] }

    init(id: MessageID, raw: RawMessage) {
        self.id = id
        self.raw = raw
    }
}

/// The application's verdict on a delivered message.
public enum ValidationResult: Sendable, Hashable {
    /// Valid: forward to the mesh and keep for gossip.
    case accept
    /// Invalid: drop and penalise the peer that sent it.
    case reject
    /// Drop without penalty (e.g. stale).
    case ignore
}
