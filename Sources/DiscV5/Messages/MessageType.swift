/// The message type byte that precedes a message's RLP body.
public enum MessageType: UInt8, Sendable, Equatable, CaseIterable {
    case ping = 0x01
    case pong = 0x02
    case findNode = 0x03
    case nodes = 0x04
    case talkRequest = 0x05
    case talkResponse = 0x06
    /// Topic advertisement (not implemented: decoding reports ``DiscV5Error/unsupportedMessageType(_:)``).
    case regTopic = 0x07
    case ticket = 0x08
    case regConfirmation = 0x09
    case topicQuery = 0x0A

    /// Whether this is one of the topic-advertisement types this implementation does not support.
    public var isTopicAdvertisement: Bool { rawValue >= 0x07 }
}
