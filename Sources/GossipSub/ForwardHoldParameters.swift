/// Holding back forwards that would most likely be duplicates: a local choice of the sender,
/// no wire change and nothing to negotiate, so it works with every v1.2 peer.
///
/// When a node forwards a large message, a mesh peer still without it gets the copy ``delay``
/// later instead of at once with probability `spreadSlope × had / others` (at most 1), where
/// `had` of the `others` mesh peers (the source apart) had it already: the spread rule of lazy
/// mesh push (``AnnounceParameters/spreadSlope``), but the peer pays at most the delay, not a
/// request's round trip. The held copy is dropped if, by then, the peer said IDONTWANT (it got
/// the message elsewhere) or IMRECEIVING, or left. Held peers are picked as
/// ``AnnouncedPeers/earliest`` picks: those that most often had messages first.
public struct ForwardHoldParameters: Hashable, Sendable {
    /// How long a held copy waits. Zero (the default) holds nothing.
    public var delay: Duration = .zero
    /// The share of held copies as the message's spread around this node grows (0...100).
    public var spreadSlope = 5.0
    /// Copies held at once, at most; a forward beyond them goes at once.
    public var maxHeld = 4096

    /// The defaults shown on each property: nothing held.
    public init() {}

    /// Whether forwards are held at all.
    public var isEnabled: Bool { delay > .zero && spreadSlope > 0 && maxHeld > 0 }
}
