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

    /// Whether `raw` follows the policy (and, under ``strictSign(signer:verifier:)``, its signature verifies).
    ///
    /// Here rather than on the router: the router's own method made the compiler copy the whole
    /// router for each received message (4% of a simulation's time in retains).
    func admits(_ raw: RawMessage) -> Bool {
        switch self {
        case .strictNoSign:
            return raw.from == nil && raw.seqno == nil && raw.signature == nil && raw.key == nil
        case .strictSign(_, let verifier):
            guard let from = raw.from, let seqno = raw.seqno, !seqno.isEmpty, let signature = raw.signature else { return false }
            return verifier.verify(payload: raw.signingPayload, signature: signature, from: from, key: raw.key)
        }
    }

    var isStrictNoSign: Bool {
        if case .strictNoSign = self { return true }
        return false
    }
}
