/// The receiving half of an mplex stream: bytes delivered and not yet consumed.
struct MplexReceiveHalf: Sendable {
    var unconsumed = 0
}

/// One stream's state. The sending half carries no data (mplex has no flow control), so only
/// its being open distinguishes the cases.
enum MplexStreamState: Sendable {
    /// Both directions open.
    case open(MplexReceiveHalf)
    /// This side sent close; the remote may still send.
    case localClosed(MplexReceiveHalf)
    /// The remote sent close; this side may still send.
    case remoteClosed

    var canSend: Bool {
        switch self {
        case .open, .remoteClosed: true
        case .localClosed: false
        }
    }
}
