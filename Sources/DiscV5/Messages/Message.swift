import ENR

/// PING: liveness check, carrying the sender's ENR sequence number.
public struct Ping: Sendable, Equatable {
    /// `request-id`: chosen by the requester, mirrored in the PONG.
    public var requestID: RequestID
    /// `enr-seq`: the sender's current ENR sequence number (a recipient holding an older record fetches the new one).
    public var enrSeq: UInt64
    /// A PING from a node whose record has sequence number `enrSeq`.
    public init(requestID: RequestID, enrSeq: UInt64) {
        self.requestID = requestID
        self.enrSeq = enrSeq
    }
}

/// PONG: answer to PING with the sender's ENR sequence number and the requester's observed
/// UDP endpoint.
public struct Pong: Sendable, Equatable {
    /// `request-id`: the PING's, mirrored.
    public var requestID: RequestID
    /// `enr-seq`: the responder's current ENR sequence number.
    public var enrSeq: UInt64
    /// The requester's IP as seen by the responder: 4 (IPv4) or 16 (IPv6) bytes.
    public var recipientIP: [UInt8]
    /// The requester's UDP port as seen by the responder (votes on this node's external endpoint).
    public var recipientPort: UInt16
    /// A PONG telling the requester the endpoint `recipientIP`:`recipientPort` its PING came from.
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
    /// `request-id`: chosen by the requester, mirrored in every NODES part.
    public var requestID: RequestID
    /// The log2 distances from the recipient's id asked for, each 0...``maximumDistance``.
    public var distances: [UInt16]
    /// A FINDNODE asking for the records at `distances`.
    public init(requestID: RequestID, distances: [UInt16]) {
        self.requestID = requestID
        self.distances = distances
    }
}

/// NODES: one of `total` response messages, each carrying some records.
public struct Nodes: Sendable, Equatable {
    /// `request-id`: the request's (FINDNODE, REGTOPIC or TOPICQUERY), mirrored.
    public var requestID: RequestID
    /// Number of NODES messages making up the whole response.
    public var total: UInt64
    /// This part's records (FINDNODE answers: at most 16 in all by default, ``DiscoveryConfig/maximumNodesPerResponse``).
    public var records: [NodeRecord]
    /// Part of a response of `total` NODES messages.
    public init(requestID: RequestID, total: UInt64, records: [NodeRecord]) {
        self.requestID = requestID
        self.total = total
        self.records = records
    }
}

/// TALKREQ: an application-level request for `protocolName`.
public struct TalkRequest: Sendable, Equatable {
    /// `request-id`: chosen by the requester, mirrored in the TALKRESP.
    public var requestID: RequestID
    /// `protocol`: the application protocol's name, as raw bytes.
    public var protocolName: [UInt8]
    /// `request`: the application's payload, opaque to discv5.
    public var request: [UInt8]
    /// A TALKREQ carrying `request` for `protocolName`.
    public init(requestID: RequestID, protocolName: [UInt8], request: [UInt8]) {
        self.requestID = requestID
        self.protocolName = protocolName
        self.request = request
    }
}

/// TALKRESP: the answer to TALKREQ (empty when the protocol is unknown).
public struct TalkResponse: Sendable, Equatable {
    /// `request-id`: the TALKREQ's, mirrored.
    public var requestID: RequestID
    /// `response`: the application's answer; empty when the protocol is unknown.
    public var response: [UInt8]
    /// A TALKRESP carrying `response`.
    public init(requestID: RequestID, response: [UInt8]) {
        self.requestID = requestID
        self.response = response
    }
}

/// A discovery v5 message, topic discovery's four included.
public enum Message: Sendable, Equatable {
    /// PING (0x01).
    case ping(Ping)
    /// PONG (0x02).
    case pong(Pong)
    /// FINDNODE (0x03).
    case findNode(FindNode)
    /// NODES (0x04).
    case nodes(Nodes)
    /// TALKREQ (0x05).
    case talkRequest(TalkRequest)
    /// TALKRESP (0x06).
    case talkResponse(TalkResponse)
    /// REGTOPIC (0x07), topic discovery.
    case regTopic(RegisterTopic)
    /// REGCONFIRMATION (0x08), topic discovery.
    case regConfirmation(RegisterConfirmation)
    /// TOPICQUERY (0x09), topic discovery.
    case topicQuery(TopicQuery)
    /// TOPICNODES (0x0A), topic discovery.
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
