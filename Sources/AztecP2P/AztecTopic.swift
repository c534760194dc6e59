import Crypto
import GossipSub

/// The GossipSub topic of Aztec transactions: `/aztec/<aztec-chain-id>/tx/<message-version>`.
///
/// The message version lets the network move to a new message format: nodes migrate by
/// subscribing to the topic of the new version.
public struct AztecTopic: Hashable, Sendable, CustomStringConvertible {
    /// The Aztec chain id, the topic's `<aztec-chain-id>`.
    public var aztecChainID: UInt64
    /// The transaction message format's version, the topic's `<message-version>`.
    public var messageVersion: UInt32

    /// The topic `/aztec/<aztecChainID>/tx/<messageVersion>`.
    public init(aztecChainID: UInt64, messageVersion: UInt32) {
        self.aztecChainID = aztecChainID
        self.messageVersion = messageVersion
    }

    /// The topic string.
    public var description: String { "/aztec/\(aztecChainID)/tx/\(messageVersion)" }

    /// The message-id function the router must be configured with: content-addressed,
    /// `sha256(topic ‖ data)[0..<20]`. Messages are published under `StrictNoSign`.
    public static let messageIDFunction = MessageIDFunction.contentSHA256(prefixLength: 20)

    /// `sha256(topic ‖ data)[0..<20]`, the id GossipSub computes for `data` on this topic.
    public func messageID(of data: [UInt8]) -> MessageID {
        var hasher = SHA256()
        hasher.update(data: Array(description.utf8))
        hasher.update(data: data)
        return MessageID(Array(hasher.finalize().prefix(20)))
    }
}
