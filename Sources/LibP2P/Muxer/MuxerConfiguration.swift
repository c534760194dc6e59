import Mplex
import Yamux

/// The limits of the muxers a connection may negotiate.
public struct MuxerConfiguration: Sendable, Hashable {
    /// Used when yamux is negotiated.
    public var yamux: YamuxConfiguration
    /// Used when mplex is negotiated.
    public var mplex: MplexConfiguration

    /// Creates a configuration (the muxers' standard limits by default).
    public init(yamux: YamuxConfiguration = .standard, mplex: MplexConfiguration = .standard) {
        self.yamux = yamux
        self.mplex = mplex
    }
}
