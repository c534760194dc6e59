import Multistream
import Noise

/// The parameters of a connection upgrade.
public struct ConnectionUpgradeConfiguration: Sendable {
    /// The multistream-select id of the security protocol.
    public static let noiseProtocolID = "/noise"

    /// The local identity, the verifier of remote identities and the Noise static key.
    /// `expectedRemotePeerID` in it is replaced per dial by ``ConnectionUpgrade``'s argument.
    public var noise: NoiseHandshake.Configuration
    /// Muxers to offer (dialer) or accept (listener), most preferred first.
    public var muxers: [MuxerProtocol]
    /// Limits of the muxers once negotiated.
    public var muxerConfiguration: MuxerConfiguration
    /// Limits of both multistream-select negotiations.
    public var multistream: MultistreamConfiguration
    /// The whole upgrade must complete within this time after ``ConnectionUpgrade/start(now:)``.
    public var handshakeTimeout: Duration

    /// Creates a configuration: yamux preferred over mplex, 10 s to upgrade.
    public init(
        noise: NoiseHandshake.Configuration, muxers: [MuxerProtocol] = [.yamux, .mplex],
        muxerConfiguration: MuxerConfiguration = .init(), multistream: MultistreamConfiguration = .default,
        handshakeTimeout: Duration = .seconds(10)
    ) {
        self.noise = noise
        self.muxers = muxers
        self.muxerConfiguration = muxerConfiguration
        self.multistream = multistream
        self.handshakeTimeout = handshakeTimeout
    }

    /// Checks the invariants once: at least one muxer, no duplicates, a positive timeout.
    public func validated() throws(ConnectionUpgradeError) -> Self {
        guard !muxers.isEmpty else { throw .invalidConfiguration("no muxer") }
        guard Set(muxers).count == muxers.count else { throw .invalidConfiguration("duplicate muxer") }
        guard handshakeTimeout > .zero else { throw .invalidConfiguration("non-positive handshake timeout") }
        do throws(MultistreamError) { _ = try multistream.validated() } catch { throw .securityNegotiation(error) }
        return self
    }
}
