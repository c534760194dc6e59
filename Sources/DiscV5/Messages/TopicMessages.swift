import Crypto
import ENR

/// A 32-byte topic (service) identifier, in the same space as node ids so that XOR distances
/// between topics and nodes are defined. How a service name maps to a topic id is the
/// application's choice; ``init(hashing:)`` is a common one.
public struct TopicID: Hashable, Sendable, CustomStringConvertible {
    /// The 32 identifier bytes, as a ``NodeID`` for distance computations.
    public let position: NodeID

    /// Wraps 32 bytes; `nil` for any other length.
    public init?<Bytes: Collection<UInt8>>(bytes: Bytes) {
        guard let position = NodeID(bytes: bytes) else { return nil }
        self.position = position
    }

    /// The topic whose id is the SHA-256 digest of `name`'s UTF-8 bytes.
    public init(hashing name: String) {
        position = NodeID(uncheckedBytes: Array(SHA256.hash(data: Array(name.utf8))))
    }

    /// The 32 identifier bytes.
    public var bytes: [UInt8] { position.bytes }

    /// The log2 XOR distance from the topic to `node` (0 only when they are equal).
    public func logDistance(to node: NodeID) -> Int { position.logDistance(to: node) }

    /// The 32 bytes as 64 lowercase hex digits.
    public var description: String { position.description }
}

/// REGTOPIC: asks the recipient, a registrar, to place an advertisement of `record` for `topic`.
public struct RegisterTopic: Sendable, Equatable {
    /// The largest ticket accepted when decoding; tickets are opaque but a registrar only ever
    /// has to read back its own.
    public static let maximumTicketLength = 256
    /// `request-id`: chosen by the advertiser, mirrored in the REGCONFIRMATION.
    public var requestID: RequestID
    /// The topic to advertise.
    public var topic: TopicID
    /// The advertiser's current record.
    public var record: NodeRecord
    /// The latest ticket this registrar issued for the advertisement; empty on a first attempt.
    public var ticket: [UInt8]
    /// Distances from `topic` at which the sender's service table has room (hints for the
    /// auxiliary records the registrar may add).
    public var topicDistances: [UInt16]
    /// A REGTOPIC for `topic`; `ticket` empty on a first attempt.
    public init(requestID: RequestID, topic: TopicID, record: NodeRecord, ticket: [UInt8] = [], topicDistances: [UInt16] = []) {
        self.requestID = requestID
        self.topic = topic
        self.record = record
        self.ticket = ticket
        self.topicDistances = topicDistances
    }
}

/// REGCONFIRMATION: the registrar's single answer to REGTOPIC. An empty `ticket` means the
/// advertisement was admitted and `waitTime` is its lifetime; otherwise the advertiser waits
/// `waitTime` and tries again with `ticket`.
public struct RegisterConfirmation: Sendable, Equatable {
    /// `request-id`: the REGTOPIC's, mirrored.
    public var requestID: RequestID
    /// Number of messages answering the request (this one and any NODES).
    public var total: UInt64
    /// Empty: the advertisement was admitted; otherwise the ticket to present on the next attempt.
    public var ticket: [UInt8]
    /// Milliseconds: the wait before the next attempt, or the advertisement's lifetime.
    public var waitTime: UInt64
    /// A REGCONFIRMATION: admitted for `waitTime` ms when `ticket` is empty, else retry after `waitTime` ms.
    public init(requestID: RequestID, total: UInt64 = 1, ticket: [UInt8], waitTime: UInt64) {
        self.requestID = requestID
        self.total = total
        self.ticket = ticket
        self.waitTime = waitTime
    }

    /// Whether the advertisement was admitted.
    public var isAdmitted: Bool { ticket.isEmpty }
}

/// TOPICQUERY: asks a registrar for the advertisers it holds for `topic`.
public struct TopicQuery: Sendable, Equatable {
    /// `request-id`: chosen by the searcher, mirrored in every TOPICNODES and NODES part.
    public var requestID: RequestID
    /// The topic whose advertisers are asked for.
    public var topic: TopicID
    /// Distances from `topic` at which the sender's service table has room.
    public var topicDistances: [UInt16]
    /// A TOPICQUERY for `topic`.
    public init(requestID: RequestID, topic: TopicID, topicDistances: [UInt16] = []) {
        self.requestID = requestID
        self.topic = topic
        self.topicDistances = topicDistances
    }
}

/// TOPICNODES: one of `total` messages answering TOPICQUERY, carrying registered advertisers.
public struct TopicNodes: Sendable, Equatable {
    /// `request-id`: the TOPICQUERY's, mirrored.
    public var requestID: RequestID
    /// Number of messages answering the request (TOPICNODES and NODES).
    public var total: UInt64
    /// This part's advertiser records.
    public var records: [NodeRecord]
    /// Part of a response of `total` messages.
    public init(requestID: RequestID, total: UInt64, records: [NodeRecord]) {
        self.requestID = requestID
        self.total = total
        self.records = records
    }
}
