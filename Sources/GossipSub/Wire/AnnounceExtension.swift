/// The lazy mesh push of the gossipsub v2.0 draft (libp2p specs PR #653: IANNOUNCE and INEED),
/// carried as an experimental v1.3 extension (`RPC.announceExtension`; the draft's own field
/// numbers collide with v1.3's Extensions message, so this project numbers it as an experimental
/// extension, field 2958913 in both `ControlExtensions` and `RPC`). Only peers of this project speak it so far.
///
/// Instead of a message, a node may send a mesh peer its id (``IAnnounce``); the peer asks for it
/// (``INeed``) unless it got it elsewhere first, so each node receives about one copy.
public struct AnnounceExtension: Sendable, Hashable {
    /// Messages the sender has and offers.
    public var announcements: [IAnnounce]
    /// Messages the sender asks for, each once announced by the receiver.
    public var needs: [INeed]

    /// A message with the given entries; by default none.
    public init(announcements: [IAnnounce] = [], needs: [INeed] = []) {
        self.announcements = announcements
        self.needs = needs
    }

    /// True when it carries no entry.
    public var isEmpty: Bool { announcements.isEmpty && needs.isEmpty }
}

extension RPC {
    /// Adds `entry` to this RPC's lazy mesh push message (created when absent).
    mutating func append(_ entry: IAnnounce) {
        var message = announceExtension ?? AnnounceExtension()
        message.announcements.append(entry)
        announceExtension = message
    }
    /// Adds `entry` to this RPC's lazy mesh push message (created when absent).
    mutating func append(_ entry: INeed) {
        var message = announceExtension ?? AnnounceExtension()
        message.needs.append(entry)
        announceExtension = message
    }
}

/// `IANNOUNCE`: the sender has message ``messageID`` on ``topic`` and sends it on request.
public struct IAnnounce: Sendable, Hashable {
    /// The topic the message is published on.
    public var topic: String
    /// The message's id.
    public var messageID: MessageID

    /// An announcement of `messageID` on `topic`.
    public init(topic: String, messageID: MessageID) {
        self.topic = topic
        self.messageID = messageID
    }
}

/// `INEED`: send me message ``messageID``, which you announced.
public struct INeed: Sendable, Hashable {
    /// The message's id.
    public var messageID: MessageID

    /// A request for `messageID`.
    public init(messageID: MessageID) { self.messageID = messageID }
}
