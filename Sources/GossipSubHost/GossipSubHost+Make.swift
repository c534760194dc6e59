import GossipSub
import LibP2P
import LibP2PCore
import Logging
import NIOCore

extension GossipSubHost {
    /// GossipSub on a `P2PHost` of its own (identify and ping served beside it), for code that
    /// wants GossipSub alone: a fresh Noise static key, the router built from `config`, `seed`
    /// and `scoring` (none by default), `muxers` offered most preferred first. A dropped peer
    /// loses its connection, and ``stop()`` closes the host.
    public static func make(
        identity: HostIdentity, config: GossipSubConfig, seed: UInt64,
        scoring: (any PeerScoreProvider<PeerID>)? = nil,
        configuration: GossipSubHostConfiguration = GossipSubHostConfiguration(),
        muxers: [MuxerProtocol] = [.yamux, .mplex], group: any EventLoopGroup,
        logger: Logger = Logger(label: "gossipsub.host")
    ) throws -> GossipSubHost {
        var rng = SystemRandomNumberGenerator()
        var hostConfiguration = P2PHostConfiguration()
        hostConfiguration.muxers = muxers
        let host = try P2PHost(
            identity: try LibP2PIdentity(privateKey: identity.key, using: &rng), configuration: hostConfiguration,
            group: group, logger: logger)
        let router = GossipSubRouter<PeerID>(config: config, seed: seed, scoring: scoring ?? NoPeerScore<PeerID>())
        return try GossipSubHost(
            attachingTo: host, router: router, configuration: configuration, everyConnection: true, ownsHost: true,
            logger: logger)
    }
}
