extension DiscV5Error {
    /// Whether a message that decrypted under a session, and so can only come from the node
    /// holding that session's keys, proves its sender misbehaved when it fails for this reason:
    /// a malformed encoding of a known message type.
    ///
    /// Everything else is not held against anyone: packets that do not decrypt or unmask (their
    /// source address and node id are unauthenticated, so anyone may forge them), unknown
    /// message types and records this node does not accept (other
    /// implementations and versions send them), late responses (retransmissions).
    public var isProtocolViolation: Bool {
        switch self {
        case .emptyMessage, .malformedMessage, .requestIDTooLong, .invalidIPLength, .portOutOfRange, .distanceOutOfRange,
             .invalidTopicLength, .ticketTooLong:
            true
        default:
            false
        }
    }
}
