import ENR

/// PING: liveness check, carrying the sender's ENR sequence number.
public struct Ping: Sendable, Equatable {
    public var requestID: RequestID
    public var enrSeq: UInt64
    public init(requestID: RequestID, enrSeq: UInt64) {
        self.requestID = requestID
        self.enrSeq = enrSeq
    }
}

/// PONG: answer to PING with the sender's ENR sequence number and the requester's observed
/// UDP endpoint.
public struct Pong: Sendable, Equatable {
    public var requestID: RequestID
    public var enrSeq: UInt64
    /// The requester's IP as seen by the responder: 4 (IPv4) or 16 (IPv6) bytes.
    public var recipientIP: [UInt8]
    public var recipientPort: UInt16
    public init(requestID: RequestID, enrSeq: UInt64, recipientIP: [UInt8], recipientPort: UInt16) {
        self.requestID = requestID
        self.enrSeq = enrSeq
        self.recipientIP = recipientIP
        self.recipientPort = recipientPort
    }
}

/// FINDNODE: asks for records at the given log2 distances (0...256; 0 = the responder's own).
public struct FindNode: Sendable, Equatable {
    /// Largest valid distance.
    public static let maximumDistance: UInt16 = 256
    public var requestID: RequestID
    public var distances: [UInt16]
    public init(requestID: RequestID, distances: [UInt16]) {
        self.requestID = requestID
        self.distances = distances
    }
}

/// NODES: one of `total` response messages, each carrying some records.
public struct Nodes: Sendable, Equatable {
    public var requestID: RequestID
    /// Number of NODES messages making up the whole response.
    public var total: UInt64
    public var records: [NodeRecord]
    public init(requestID: RequestID, total: UInt64, records: [NodeRecord]) {
        self.requestID = requestID
        self.total = total
        self.records = records
    }
}

/// TALKREQ: an application-level request for `protocolName`.
public struct TalkRequest: Sendable, Equatable {
    public var requestID: RequestID
    public var protocolName: [UInt8]
    public var request: [UInt8]
    public init(requestID: RequestID, protocolName: [UInt8], request: [UInt8]) {
        self.requestID = requestID
        self.protocolName = protocolName
        self.request = request
    }
}

/// TALKRESP: the answer to TALKREQ (empty when the protocol is unknown).
public struct TalkResponse: Sendable, Equatable {
    public var requestID: RequestID
    public var response: [UInt8]
    public init(requestID: RequestID, response: [UInt8]) {
        self.requestID = requestID
        self.response = response
    }
}

/// A discovery v5 message, topic discovery's four included.
public enum Message: Sendable, Equatable {
    case ping(Ping)
    case pong(Pong)
    case findNode(FindNode)
    case nodes(Nodes)
    case talkRequest(TalkRequest)
    case talkResponse(TalkResponse)
    case regTopic(RegisterTopic)
    case regConfirmation(RegisterConfirmation)
    case topicQuery(TopicQuery)
    case topicNodes(TopicNodes)

    /// The message type byte.
    public var type: MessageType {
        switch self {
        case .ping: .ping
        case .pong: .pong
        case .findNode: .findNode
        case .nodes: .nodes
        case .talkRequest: .talkRequest
        case .talkResponse: .talkResponse
        case .regTopic: .regTopic
        case .regConfirmation: .regConfirmation
        case .topicQuery: .topicQuery
        case .topicNodes: .topicNodes
        }
    }

    /// The request id of the message.
    public var requestID: RequestID {
        switch self {
        case .ping(let message): message.requestID
        case .pong(let message): message.requestID
        case .findNode(let message): message.requestID
        case .nodes(let message): message.requestID
        case .talkRequest(let message): message.requestID
        case .talkResponse(let message): message.requestID
        case .regTopic(let message): message.requestID
        case .regConfirmation(let message): message.requestID
        case .topicQuery(let message): message.requestID
        case .topicNodes(let message): message.requestID
        }
    }

    /// The number of messages a multi-part response announces (NODES, TOPICNODES, REGCONFIRMATION);
    /// `nil` for others.
    var responseTotal: UInt64? {
        switch self {
        case .nodes(let nodes): nodes.total
        case .topicNodes(let nodes): nodes.total
        case .regConfirmation(let confirmation): confirmation.total
        default: nil
        }
    }

    /// Whether this message is a request (expects a response).
    public var isRequest: Bool {
        switch self {
        case .ping, .findNode, .talkRequest, .regTopic, .topicQuery: true
        case .pong, .nodes, .talkResponse, .regConfirmation, .topicNodes: false
        }
    }
}
