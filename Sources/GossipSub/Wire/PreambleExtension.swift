/// The PREAMBLE / IMRECEIVING extension's message (`RPC.preambleExtension`), a v1.3 extension
/// as nim-libp2p deploys it (libp2p specs PR #654 proposed the messages; the field numbers are
/// in the codec: field 4194304 in both `ControlExtensions` and `RPC`).
///
/// A sender announces a large message just before its body (``Preamble``). A receiver that
/// learns from it that a message is on its way tells its other mesh peers (``IMReceiving``), so
/// they hold back their copies until its IDONTWANT confirms the receipt.
public struct PreambleExtension: Sendable, Hashable {
    /// Announcements of message bodies that follow on this stream.
    public var preambles: [Preamble]
    /// Messages the sender is receiving from another peer.
    public var imReceiving: [IMReceiving]

    /// A message with the given entries; by default none.
    public init(preambles: [Preamble] = [], imReceiving: [IMReceiving] = []) {
        self.preambles = preambles
        self.imReceiving = imReceiving
    }

    /// True when it carries no entry.
    public var isEmpty: Bool { preambles.isEmpty && imReceiving.isEmpty }
}

extension RPC {
    /// Adds `entry` to this RPC's PREAMBLE / IMRECEIVING message (created when absent).
    mutating func append(_ entry: IMReceiving) {
        var message = preambleExtension ?? PreambleExtension()
        message.imReceiving.append(entry)
        preambleExtension = message
    }
    /// Adds `entry` to this RPC's PREAMBLE / IMRECEIVING message (created when absent).
    mutating func append(_ entry: Preamble) {
        var message = preambleExtension ?? PreambleExtension()
        message.preambles.append(entry)
        preambleExtension = message
    }
}

/// `Preamble`: the body of message ``messageID``, ``messageLength`` bytes of data on ``topic``,
/// follows without delay.
public struct Preamble: Sendable, Hashable {
    /// The topic the message is published on.
    public var topic: String
    /// The message's id.
    public var messageID: MessageID
    /// The length of the message's data, in bytes.
    public var messageLength: UInt32

    /// A preamble for message `messageID` of `messageLength` bytes on `topic`.
    public init(topic: String, messageID: MessageID, messageLength: UInt32) {
        self.topic = topic
        self.messageID = messageID
        self.messageLength = messageLength
    }
}

/// `IMReceiving`: the sender is receiving message ``messageID`` (``messageLength`` bytes of
/// data) from another peer; do not send it a copy.
public struct IMReceiving: Sendable, Hashable {
    /// The message's id.
    public var messageID: MessageID
    /// The length of the message's data, in bytes.
    public var messageLength: UInt32

    /// An IMRECEIVING for message `messageID` of `messageLength` bytes.
    public init(messageID: MessageID, messageLength: UInt32) {
        self.messageID = messageID
        self.messageLength = messageLength
    }
}
