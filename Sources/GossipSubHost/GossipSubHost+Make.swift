import GossipSub
import LibP2P
import LibP2PCore
import Logging
import NIOCore

extension GossipSubHost {
    /// A host with a fresh Noise static key, its router built from `config`, `seed` and
    /// `scoring` (none by default), offering `muxers` (most preferred first).
    public static func make(
        identity: HostIdentity, config: GossipSubConfig, seed: UInt64,
        scoring: (any PeerScoreProvider<PeerID>)? = nil,
        configuration: GossipSubHostConfiguration = GossipSubHostConfiguration(),
        muxers: [MuxerProtocol] = [.yamux, .mplex], group: any EventLoopGroup,
        extraHandlers: P2PStreamHandlers = [:], logger: Logger = Logger(label: "gossipsub.host")
    ) throws -> GossipSubHost {
        var rng = SystemRandomNumberGenerator()
        let upgrade = ConnectionUpgradeConfiguration(
            noise: try identity.noiseConfiguration(using: &rng), muxers: muxers)
        let router = GossipSubRouter<PeerID>(config: config, seed: seed, scoring: scoring ?? NoPeerScore<PeerID>())
        return try GossipSubHost(
            identity: identity, router: router, configuration: configuration, group: group, upgrade: upgrade,
            extraHandlers: extraHandlers, logger: logger)
    }
}
