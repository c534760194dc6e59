import Multistream
import Noise

/// Why upgrading a raw connection failed. Every error ends the connection.
public enum ConnectionUpgradeError: Error, Equatable, Sendable {
    /// Negotiating the security protocol (`/noise`) with multistream-select failed.
    case securityNegotiation(MultistreamError)
    /// The Noise handshake failed (bad frame, bad signature, unexpected peer id, ...).
    case handshake(NoiseError)
    /// A Noise transport frame received after the handshake did not decrypt (or encryption
    /// failed).
    case secureChannel(NoiseError)
    /// Negotiating the stream muxer inside the secure channel failed (e.g. no common muxer).
    case muxerNegotiation(MultistreamError)
    /// The upgrade did not complete before its deadline.
    case timedOut
    /// The peer closed the connection before the upgrade completed.
    case closedByPeer
    /// A method was called in a state that does not allow it (e.g. `receive` before `start`).
    case invalidState
    /// The configuration is unusable.
    case invalidConfiguration(String)
}
