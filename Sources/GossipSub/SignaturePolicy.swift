/// Signs messages this node publishes under StrictSign.
public protocol GossipMessageSigner: Sendable {
    /// This node's peer id bytes, written to `from`.
    var authorID: [UInt8] { get }
    /// The public key to put in `key`, or `nil` when it is derivable from `authorID`.
    var publicKey: [UInt8]? { get }
    /// Signs ``RawMessage/signingPayload``.
    func sign(_ payload: [UInt8]) throws -> [UInt8]
}

/// Checks the signature of received messages under StrictSign.
public protocol GossipMessageVerifier: Sendable {
    /// True when `signature` over `payload` is valid for the author `from` (with `key` if given).
    func verify(payload: [UInt8], signature: [UInt8], from: [UInt8], key: [UInt8]?) -> Bool
}

/// The message signing policy of the pubsub spec.
public enum SignaturePolicy: Sendable {
    /// Every message carries `from`, `seqno`, `signature` (and maybe `key`); unsigned or badly
    /// signed messages are rejected.
    case strictSign(signer: any GossipMessageSigner, verifier: any GossipMessageVerifier)
    /// No message carries `from`, `seqno`, `signature` or `key`; messages that do are rejected.
    /// Requires a content-based ``MessageIDFunction``.
    case strictNoSign

    var isStrictNoSign: Bool {
        if case .strictNoSign = self { return true }
        return false
    }
}
