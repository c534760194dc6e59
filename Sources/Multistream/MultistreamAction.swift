/// What a multistream-select state machine asks its driver to do.
///
/// A call returns at most one `.send` (all bytes for this step, coalesced) followed by at most
/// one terminal action (`.negotiated` or `.failed`).
public enum MultistreamAction: Equatable, Sendable {
    /// Write these bytes to the peer.
    case send([UInt8])
    /// Negotiation succeeded. `leftover` holds bytes already received after the final
    /// negotiation message: they belong to `protocolID` and must be fed to it.
    case negotiated(protocolID: String, leftover: [UInt8])
    /// Negotiation failed; the stream should be closed.
    case failed(MultistreamError)
}
