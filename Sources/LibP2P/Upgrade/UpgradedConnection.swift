import Noise

/// A connection after a successful upgrade: secured, authenticated and multiplexed.
public struct UpgradedConnection: Sendable {
    /// The Noise channel (it already holds any received bytes of an incomplete frame).
    public var transport: NoiseTransport
    /// The negotiated muxer's fresh session.
    public var muxer: MuxerSession
    /// The authenticated remote peer (peer id bytes, identity key, Noise static key).
    public var remote: NoiseRemoteIdentity
    /// Whether this side dialed.
    public var isDialer: Bool
    /// Decrypted bytes received after the muxer negotiation: the muxer's first input.
    public var leftover: [UInt8]

    /// The negotiated muxer.
    public var negotiatedMuxer: MuxerProtocol { muxer.muxer }
}
