/// How a router uses lazy mesh push (``AnnounceExtension``) with peers that both advertise it
/// (``ControlExtensions/announce``). The defaults are the gossipsub v2.0 draft's.
public struct AnnounceParameters: Hashable, Sendable {
    /// Of every `d` mesh peers a forwarded message goes to, this many get its id (IANNOUNCE) instead,
    /// each peer by a coin toss with probability `dAnnounce / d`. At most `d` (checked when the
    /// extension is advertised); own publications always go whole.
    public var dAnnounce = 4
    /// An INEED not answered within this long goes to the next peer that announced the message.
    /// Checked at the heartbeat: a request waits up to one heartbeat longer.
    public var ineedTimeout: Duration = .milliseconds(400)
    /// Announcers of one message remembered (the ones to ask next if the first does not answer).
    public var maxAnnouncersPerMessage = 16
    /// IANNOUNCE and INEED entries handled per peer per heartbeat; further ones are ignored.
    public var maxEntriesPerHeartbeat = 5000

    /// The defaults shown on each property.
    public init() {}
}
