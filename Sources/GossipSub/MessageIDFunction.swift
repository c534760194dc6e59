import Crypto

/// How a message id is derived from a message.
public enum MessageIDFunction: Sendable {
    /// The pubsub default: `from ‖ seqno`.
    case fromAndSeqno
    /// Content addressing: `sha256(topic ‖ data)` truncated to `prefixLength` bytes (what
    /// StrictNoSign networks use, Aztec with 20).
    case contentSHA256(prefixLength: Int)
    /// An application-supplied function.
    case custom(@Sendable (RawMessage) -> MessageID)

    /// The id of `message`.
    public func id(of message: RawMessage) -> MessageID {
        switch self {
        case .fromAndSeqno:
            return MessageID((message.from ?? []) + (message.seqno ?? []))
        case .contentSHA256(let prefixLength):
            var hasher = SHA256()
            hasher.update(data: Array(message.topic.utf8))
            if let data = message.data { hasher.update(data: data) }
            return MessageID(Array(hasher.finalize().prefix(prefixLength)))
        case .custom(let function):
            return function(message)
        }
    }
}
