/// The message type byte that precedes a message's RLP body.
public enum MessageType: UInt8, Sendable, Equatable, CaseIterable {
    /// PING: liveness check.
    case ping = 0x01
    /// PONG: the answer to PING.
    case pong = 0x02
    /// FINDNODE: records at given distances.
    case findNode = 0x03
    /// NODES: records answering FINDNODE (or auxiliary ones answering REGTOPIC and TOPICQUERY).
    case nodes = 0x04
    /// TALKREQ: an application-level request.
    case talkRequest = 0x05
    /// TALKRESP: the answer to TALKREQ.
    case talkResponse = 0x06
    /// Topic discovery: ask a registrar to admit an advertisement.
    case regTopic = 0x07
    /// Topic discovery: the registrar's answer to REGTOPIC (admitted, or a ticket and a wait).
    case regConfirmation = 0x08
    /// Topic discovery: ask a registrar for a topic's advertisers.
    case topicQuery = 0x09
    /// Topic discovery: advertisers answering TOPICQUERY.
    case topicNodes = 0x0A

    /// Whether this is one of the topic-discovery types (REGTOPIC to TOPICNODES).
    public var isTopicDiscovery: Bool { rawValue >= 0x07 }
}
