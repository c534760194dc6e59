import Noise

/// Why an established connection ended abnormally. A connection reports at most one.
public enum ConnectionError: Error, Equatable, Sendable {
    /// A Noise transport frame did not decrypt (tampering, desynchronised keys), or the
    /// sending nonce was exhausted.
    case secureChannel(NoiseError)
    /// The remote broke the muxer protocol.
    case muxer(MuxerProtocolError)
}
