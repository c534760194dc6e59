/// How a router uses lazy mesh push (``AnnounceExtension``) with peers that both advertise it
/// (``ControlExtensions/announce``). The defaults are the gossipsub v2.0 draft's.
public struct AnnounceParameters: Hashable, Sendable {
    /// Of every `d` mesh peers a forwarded message goes to, this many get its id (IANNOUNCE) instead,
    /// each peer by a coin toss with probability `dAnnounce / d` (``choice`` and ``spreadSlope``
    /// change which and how many). At most `d` (checked when the extension is advertised); own
    /// publications always go whole.
    public var dAnnounce = 4
    /// Which mesh peers get the ids (how many: ``dAnnounce``, or ``spreadSlope``).
    public var choice: AnnouncedPeers = .random
    /// Above 0, how many ids a forward sends follows how far the message has spread around this
    /// node instead of ``dAnnounce``: each mesh peer still without it gets the id with
    /// probability `spreadSlope × had / others` (at most 1), where `had` of the `others` mesh
    /// peers (its source apart) had it already when this node forwarded it (they sent it, said
    /// IDONTWANT or IMRECEIVING). Early in a message's spread nearly every copy is a first copy
    /// and goes whole; late, a peer still without it most likely gets it from another, and gets
    /// the id. 0 (the default) keeps the draft's fixed share; at most 100. ``dAnnounce`` 0 still
    /// turns lazy push off.
    public var spreadSlope = 0.0
    /// Above 0, for ``spreadSlope``'s count a mesh peer that only *said* it had the message
    /// (IDONTWANT, IMRECEIVING) counts as having it only while it holds credit: each copy of a
    /// large message (at least `idontwantMessageSizeThreshold` bytes, first or duplicate) it sent
    /// this node earns it this many such claims, up to four copies' worth, and each claim counted
    /// spends one. Peers that claim every message and deliver none (the network simulator's
    /// `censor` with `claimsEveryMessage`) then cannot turn this node's copies to others into ids;
    /// an honest peer delivers copies as it claims. 0 (the default) counts every claim.
    public var claimsPerCopy = 0
    /// Mesh peers at least this far by round trip (``GossipSubRouter/roundTripMeasured(_:to:)``)
    /// always get a forward whole, however far the message has spread: an id costs its receiver a
    /// round trip to the sender before the body starts, most on the longest links. `nil` (the
    /// default): any mesh peer may get an id; peers whose round trip is unknown may always.
    /// Measured in the network simulator (2,000 nodes, mesh of 10, 300 ms): the far regions'
    /// slowest deliveries 200 ms earlier, but their nodes download 5× the unique payload (every
    /// far mesh peer sends its copy) and slow links there fall behind; mean upload 2.44× against 1.92×.
    public var bodiesBeyondRoundTrip: Duration?
    /// An INEED not answered within this long goes to the next peer that announced the message.
    /// The router asks to be called then (``GossipSubRouter/nextDeadline``); an embedding layer
    /// that only runs heartbeats retries at the next one.
    public var ineedTimeout: Duration = .milliseconds(400)
    /// Set: the INEED timeout follows how long answers take, twice the median of the last 64
    /// (late ones, which settle a debt, included), at least ``ineedTimeout`` and at most this,
    /// chosen at each heartbeat. A node whose own downlink is saturated gets every answer late;
    /// with a fixed timeout it asks the next announcer, whose copy comes as late and adds to the
    /// backlog. Silent peers give no delays; peers that answer late on purpose would have to be
    /// most of those answering. `nil` (the default): always ``ineedTimeout``.
    public var ineedTimeoutCeiling: Duration?
    /// Each INEED a peer lets time out and does not make good in time (``maxDebtWait``) counts
    /// as a behaviour penalty (P7, ``PenaltyReason/unansweredNeed``), as an IWANT left
    /// unanswered does: a late answer from a distant or busy peer is no offence. The message
    /// arriving from elsewhere before the timeout voids it.
    public var penaliseUnansweredNeeds = true
    /// A debt (an INEED let time out) is judged the IWANT follow-up time after the message reached
    /// this node from anyone; while it has reached it from nobody, at the latest this long after
    /// the timeout. A node whose own downlink is saturated gets every copy late, the debtor's as
    /// well as the others': judged at the follow-up time alone, its honest peers' answers still
    /// on the way count as broken (the network simulator's `stress` at 100 tx/s: honest nodes
    /// banned honest peers by the thousand).
    public var maxDebtWait: Duration = .seconds(30)
    /// How a peer answered INEEDs is remembered with this decay per heartbeat. A peer that let
    /// more time out than it answered is asked only when no other announcer is left.
    public var answerRecordDecay = 0.99
    /// Announcers of one message remembered (the ones to ask next if the first does not answer).
    public var maxAnnouncersPerMessage = 16
    /// IANNOUNCE and INEED entries handled per peer per heartbeat; further ones are ignored.
    public var maxEntriesPerHeartbeat = 5000

    /// The defaults shown on each property.
    public init() {}
}

/// Which of a forward's mesh peers lazy mesh push sends the id instead of the message.
public enum AnnouncedPeers: String, Hashable, Sendable, Codable, CaseIterable {
    /// Each by a coin toss with probability `dAnnounce / d` (the gossipsub v2.0 draft).
    case random
    /// The nearest by round-trip time, as the embedding layer reports it
    /// (``GossipSubRouter/roundTripMeasured(_:to:)``; unknown ones count as farthest): asking
    /// for an announced body costs a round trip, least on a short link, and bodies cross the
    /// long links at once.
    case nearest
    /// The peers that most often had a message already when this node forwarded it (they sent
    /// it, said IDONTWANT or IMRECEIVING): such a peer lies upstream of this node and gets most
    /// messages from others, while a peer that rarely has them gets them from this node, whole.
    case earliest
}
