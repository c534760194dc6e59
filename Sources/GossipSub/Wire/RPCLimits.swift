import Multiformats

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

    /// Limits with the given bounds; the defaults admit a 1 MiB message plus framing overhead.
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
    /// The RPC (or its announced frame length) is `size` bytes, above `RPCLimits.maxRPCSize`.
    case rpcTooLarge(size: Int, limit: Int)
    /// The input ended inside a field.
    case truncated
    /// A varint longer than 10 bytes or overflowing 64 bits.
    case malformedVarint
    /// A field number of 0 or above 2^29 - 1.
    case invalidFieldNumber(UInt64)
    /// A wire type the decoder does not accept: groups (3, 4) or undefined (6, 7).
    case unsupportedWireType(UInt8)
    /// A known field arrived with the wrong wire type.
    case wrongWireType(field: UInt64)
    /// More `publish` messages than ``RPCLimits/maxMessagesPerRPC`` (`limit`).
    case tooManyMessages(limit: Int)
    /// More subscription entries than ``RPCLimits/maxSubscriptionsPerRPC`` (`limit`).
    case tooManySubscriptions(limit: Int)
    /// More control entries than ``RPCLimits/maxControlEntriesPerRPC`` (`limit`).
    case tooManyControlEntries(limit: Int)
    /// More message ids than ``RPCLimits/maxMessageIDsPerRPC`` (`limit`).
    case tooManyMessageIDs(limit: Int)
    /// A PRUNE with more peers than ``RPCLimits/maxPeersPerPrune`` (`limit`).
    case tooManyPrunePeers(limit: Int)
    /// The named field is `length` bytes, above its `limit`.
    case fieldTooLong(field: String, length: Int, limit: Int)
    /// A string field (named by `field`, such as the topic) is not valid UTF-8.
    case invalidUTF8(field: String)
    /// A `Message` without its required `topic`.
    case missingTopic
    /// Another protobuf-level fault (nesting beyond the schema's depth).
    case malformed(String)
}

extension RPCDecodingError {
    /// The RPC error for a failure of the protobuf reader.
    @usableFromInline
    init(_ error: ProtobufError) {
        switch error {
        case .malformedVarint: self = .malformedVarint
        case .truncated: self = .truncated
        case .invalidFieldNumber(let number): self = .invalidFieldNumber(number)
        case .unsupportedWireType(let type): self = .unsupportedWireType(type)
        case .wrongWireType(let field): self = .wrongWireType(field: UInt64(field))
        case .invalidUTF8(let field): self = .invalidUTF8(field: "field \(field)")
        // The reader's size bounds are the RPC's size (``RPCLimits/protobuf``), which the input is
        // checked against first: a longer field runs past the end of the input.
        case .fieldTooLong, .messageTooLong: self = .truncated
        case .nestingTooDeep, .valueOutOfRange, .missingField, .duplicateField: self = .malformed("\(error)")
        }
    }
}
