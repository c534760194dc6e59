/// Explicit bounds the RPC decoder enforces before it allocates anything for a field.
public struct RPCLimits: Sendable, Hashable {
    /// Largest encoded RPC accepted (bytes).
    public var maxRPCSize: Int
    /// Most `publish` messages in one RPC.
    public var maxMessagesPerRPC: Int
    /// Most subscription entries in one RPC.
    public var maxSubscriptionsPerRPC: Int
    /// Most control entries (IHAVE + IWANT + GRAFT + PRUNE + IDONTWANT + Extensions) in one RPC.
    public var maxControlEntriesPerRPC: Int
    /// Most message ids in one RPC, summed over all IHAVE / IWANT / IDONTWANT entries.
    public var maxMessageIDsPerRPC: Int
    /// Most PX peers in one PRUNE.
    public var maxPeersPerPrune: Int
    /// Longest topic string (bytes).
    public var maxTopicLength: Int
    /// Longest message id (bytes).
    public var maxMessageIDLength: Int
    /// Longest `from`, `seqno`, `signature`, `key`, peer id or signed peer record (bytes).
    public var maxSmallFieldLength: Int

    public init(maxRPCSize: Int = 1 << 20 + 4096, maxMessagesPerRPC: Int = 256,
                maxSubscriptionsPerRPC: Int = 1024, maxControlEntriesPerRPC: Int = 1024,
                maxMessageIDsPerRPC: Int = 10_000, maxPeersPerPrune: Int = 64,
                maxTopicLength: Int = 256, maxMessageIDLength: Int = 128,
                maxSmallFieldLength: Int = 4096) {
        self.maxRPCSize = maxRPCSize
        self.maxMessagesPerRPC = maxMessagesPerRPC
        self.maxSubscriptionsPerRPC = maxSubscriptionsPerRPC
        self.maxControlEntriesPerRPC = maxControlEntriesPerRPC
        self.maxMessageIDsPerRPC = maxMessageIDsPerRPC
        self.maxPeersPerPrune = maxPeersPerPrune
        self.maxTopicLength = maxTopicLength
        self.maxMessageIDLength = maxMessageIDLength
        self.maxSmallFieldLength = maxSmallFieldLength
    }
}

/// Why an RPC could not be decoded.
public enum RPCDecodingError: Error, Equatable, Sendable {
    case rpcTooLarge(size: Int, limit: Int)
    /// The input ended inside a field.
    case truncated
    /// A varint longer than 10 bytes or overflowing 64 bits.
    case malformedVarint
    /// Field number 0 or a wire type that protobuf does not define (3, 4, 6, 7).
    case invalidTag(UInt64)
    /// A known field arrived with the wrong wire type.
    case wrongWireType(field: UInt64)
    case tooManyMessages(limit: Int)
    case tooManySubscriptions(limit: Int)
    case tooManyControlEntries(limit: Int)
    case tooManyMessageIDs(limit: Int)
    case tooManyPrunePeers(limit: Int)
    case fieldTooLong(field: String, length: Int, limit: Int)
    case invalidUTF8(field: String)
    /// A `Message` without its required `topic`.
    case missingTopic
}
