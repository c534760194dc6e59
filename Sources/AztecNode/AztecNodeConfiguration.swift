import AztecHTTP
import AztecP2P
import DiscV5
import ENR
import GossipSub
import GossipSubHost
import LibP2P
import LibP2PCore
import NIOCore
import NIOPosix
import P2PCrypto
import Prometheus

/// Everything an ``AztecNode`` is built from, checked once by ``validated()`` (the defaults pass
/// through the same check). Every field has a default; a node on the defaults listens on
/// `0.0.0.0:40400` (TCP for libp2p, UDP for discv5), announces the machine's first non-loopback IPv4 address, uses chain ids 1/1,
/// message version 1, a fresh key, no bootnodes, no JSON-RPC server and no data directory.
public struct AztecNodeConfiguration: Sendable {
    /// Address the libp2p TCP listener and the discv5 UDP socket bind. Default `0.0.0.0`.
    public var listenHost: String = "0.0.0.0"
    /// libp2p TCP port (0: any free port). Default 40400, Aztec's p2p port.
    public var tcpPort: Int = 40400
    /// discv5 UDP port (0: any free port). Default 40400.
    public var udpPort: Int = 40400
    /// The IPv4 address put in this node's ENR. `nil` (default): `listenHost`, or when that is the
    /// wildcard `0.0.0.0`, the first non-loopback IPv4 address of the machine's interfaces
    /// (`127.0.0.1` if it has none). discv5 replaces it when enough peers report another
    /// address (a NAT's), so a node behind one needs no setting.
    public var announceHost: String?
    /// The node's secp256k1 key (libp2p identity and ENR signer). `nil` (default): read from
    /// `<dataDirectory>/node.key`, created there on first start; a fresh key without a data directory.
    public var privateKey: Secp256k1.PrivateKey?
    /// discv5 bootnodes, contacted while the routing table is empty. Default none.
    public var bootnodes: [NodeRecord] = []
    /// Peers dialed directly, without discovery (a fallback for networks without discv5); each
    /// multiaddr ends in `/p2p/<peer id>`. Default none.
    public var staticPeers: [Multiaddr] = []
    /// Whether discv5 runs. Default true.
    public var discoveryEnabled = true
    /// Whether discv5 topic discovery runs beside the random lookups: the node is a registrar
    /// (`ng` in its ENR), advertises ``discoveryTopicName`` and searches it whenever the dial
    /// policy asks for more peers, and dials what it finds. Default true (nodes without it
    /// ignore topic requests, so it costs nothing among them).
    public var topicDiscoveryEnabled = true
    /// The name whose SHA-256 is the discv5 topic (`TopicID(hashing:)`); `nil` (default): the
    /// transaction topic's name, `/aztec/<aztecChainID>/tx/<messageVersion>`.
    public var discoveryTopicName: String?
    /// The Aztec chain id: ENR key `aztec`, the topic and the transactions' `chainID`. Default 1.
    public var aztecChainID: UInt64 = 1
    /// The Ethereum (L1) chain id: ENR key `eth`. Default 1.
    public var ethereumChainID: UInt64 = 1
    /// The transaction message version: the topic is `/aztec/<aztecChainID>/tx/<messageVersion>`. Default 1.
    public var messageVersion: UInt32 = 1
    /// Connections the node dials discovered peers up to. Default 8.
    public var targetPeerCount = PeerDialSettings().targetPeerCount
    /// How often the node checks its peer count and dials candidates. Default 1 s.
    public var dialInterval: Duration = PeerDialSettings().dialInterval
    /// While below ``targetPeerCount``, a random discv5 lookup runs this often. Default 10 s.
    public var lookupInterval: Duration = PeerDialSettings().lookupInterval
    /// A peer whose dial failed is not dialed again before this. Default 30 s.
    public var dialBackoff: Duration = PeerDialSettings().dialBackoff
    /// Two nodes that discover each other at once would dial each other at once; the node with
    /// the larger peer id waits this long after first seeing a smaller-id peer before dialing it,
    /// so usually only one connection is made. Default 2 s.
    public var simultaneousDialGrace: Duration = PeerDialSettings().simultaneousDialGrace
    /// A node with its connections whose mesh on the topic stays short of D_low (its peers'
    /// meshes were full and pruned it) dials one more peer per missing mesh peer, at most this
    /// many beyond ``targetPeerCount``. Default 4.
    public var meshTopUp = PeerDialSettings().meshTopUp
    /// A connected peer whose GossipSub score falls below this is disconnected, and neither
    /// dialed nor accepted again for ``banDuration``. `nil` (default): the graylist threshold of
    /// ``scoreThresholds``, below which the router already ignores the peer.
    public var banScoreThreshold: Double?
    /// How long a banned peer stays refused. Default 10 minutes.
    public var banDuration: Duration = PeerBanList<PeerID>.defaultDuration
    /// Bans remembered at once (the soonest to end is forgotten first). Default 1,024.
    public var maximumBannedPeers = PeerBanList<PeerID>.defaultCapacity
    /// Pool housekeeping (expiry, journal compaction) and saving of known ENRs. Default every 5 s.
    public var tickInterval: Duration = .seconds(5)
    /// Whether the node considers itself synced at start (a node without chain state). Default
    /// false: the embedding node calls ``AztecNode/syncStatusChanged(synced:)``.
    public var startSynced = false
    /// The identify agent string of an Aztec node (``host``'s default).
    public static let agentVersion = "aztec-p2p/0.1.0"
    /// libp2p host parameters: muxers, connection limits, identify. Default: yamux then mplex,
    /// 512 inbound / 512 outbound / 128 pending connections, agent ``agentVersion``.
    public var host = P2PHostConfiguration(agentVersion: AztecNodeConfiguration.agentVersion)
    /// GossipSub router parameters. Default: `AztecGossipParameters.defaults` (own
    /// transactions announced to later peers for a minute, meshes of 5 pruned back above 6), with StrictNoSign, content message
    /// ids and the transaction topic's size limit set by ``validated()``.
    public var gossip = AztecGossipParameters.defaults
    /// The transaction topic's score parameters. Default: `AztecGossipParameters.topicScore`
    /// (one invalid transaction takes a peer below the graylist threshold).
    public var topicScore = AztecGossipParameters.topicScore
    /// Peer score parameters other than the topic's (behaviour penalties, decay). Default:
    /// `AztecGossipParameters.peerScore`.
    public var peerScore = AztecGossipParameters.peerScore
    /// Peer score thresholds (gossip, publish, graylist). Library defaults.
    public var scoreThresholds = PeerScoreThresholds()
    /// The GossipSub host around the router: queues, validation queue. Library defaults.
    public var gossipHost = GossipSubHostConfiguration()
    /// discv5 parameters. Defaults, with ``bootnodes`` and the chain-id filter set by ``validated()``.
    public var discovery = DiscoveryConfig()
    /// Transaction validation limits and concurrency. Library defaults (chain id set by ``validated()``).
    public var validation: TxValidationConfig = .default
    /// Pool bounds: 10,000 transactions, 512 MiB, one hour. Library defaults.
    public var pool: TxPoolConfig = .default
    /// Refuse submissions while no peer is on the topic. Default true.
    public var requirePeersForSubmit = true
    /// `host:port` of the JSON-RPC server; `nil` (default): no server.
    public var rpcHost: String?
    /// JSON-RPC port (0: any free port). Default 8080; used only with ``rpcHost``.
    public var rpcPort = 8080
    /// `host` of the metrics endpoint (`GET /metrics`, Prometheus text); `nil` (default): none.
    public var metricsHost: String?
    /// Metrics port (0: any free port). Default 9464; used only with ``metricsHost``.
    public var metricsPort = 9464
    /// Limits of the JSON-RPC and metrics endpoints (connections, deadlines, sizes, concurrency).
    public var httpLimits = HTTPEndpointLimits()
    /// The swift-prometheus registry `/metrics` renders. The node records its own metrics and the
    /// GossipSub host's (unless ``gossipHost`` names another `metricsFactory`) into it through
    /// swift-metrics. Default: a registry of this node's own; pass a shared one to serve the
    /// node's metrics beside a program's other ones.
    public var metricsRegistry = PrometheusCollectorRegistry()
    /// Directory of `node.key`, `known-enrs.txt` and `tx-pool.journal`. `nil` (default): nothing persists.
    public var dataDirectory: String?
    /// Seed of the GossipSub router's randomness. Default: drawn from the system.
    public var routerSeed: UInt64?

    /// A configuration with every field at its default (described on each field).
    public init() {}

    /// The transaction topic.
    public var topic: AztecTopic { AztecTopic(aztecChainID: aztecChainID, messageVersion: messageVersion) }

    /// The discv5 topic advertised and searched (see ``discoveryTopicName``).
    public var discoveryTopic: TopicID { TopicID(hashing: discoveryTopicName ?? topic.description) }

    /// The address announced in the ENR (see ``announceHost``).
    public var announcedHost: String {
        if let announceHost { return announceHost }
        return listenHost == "0.0.0.0" ? Self.primaryIPv4Address() ?? "127.0.0.1" : listenHost
    }

    /// The first IPv4 address of the machine's interfaces that is neither loopback nor link-local.
    public static func primaryIPv4Address() -> String? {
        guard let devices = try? System.enumerateDevices() else { return nil }
        for device in devices {
            guard case .v4 = device.address, let ip = device.address?.ipAddress,
                  let address = IPv4Address(ip), address.bytes[0] != 127, !(address.bytes[0] == 169 && address.bytes[1] == 254)
            else { continue }
            return ip
        }
        return nil
    }

    /// Checks every invariant and fills the derived fields (topic size limit, StrictNoSign,
    /// discovery filter and bootnodes, validation chain id).
    public func validated() throws(AztecNodeError) -> AztecNodeConfiguration {
        var c = self
        guard (0...65_535).contains(tcpPort), (0...65_535).contains(udpPort), (0...65_535).contains(rpcPort),
              (0...65_535).contains(metricsPort) else {
            throw .invalidConfiguration("ports must be in 0...65535")
        }
        guard IPv4Address(c.announcedHost) != nil else {
            throw .invalidConfiguration("announce host \(c.announcedHost) is not an IPv4 address")
        }
        guard targetPeerCount >= 1 else { throw .invalidConfiguration("targetPeerCount must be at least 1") }
        guard dialInterval > .zero, lookupInterval > .zero, dialBackoff >= .zero, simultaneousDialGrace >= .zero, tickInterval > .zero,
              banDuration >= .zero, maximumBannedPeers >= 1 else {
            throw .invalidConfiguration("intervals must be positive")
        }
        guard staticPeers.allSatisfy({ $0.peerID != nil }) else {
            throw .invalidConfiguration("static peers must end in /p2p/<peer id>")
        }
        c.validation.limits.aztecChainID = aztecChainID
        AztecGossipParameters.apply(to: &c.gossip, topic: topic, maxMessageBytes: c.validation.limits.maxMessageBytes)
        c.discovery.bootnodes = bootnodes
        let network = AztecPeerFilter(aztecChainID: aztecChainID, ethereumChainID: ethereumChainID)
        c.discovery.filter = PeerFilter { network.isOnNetwork($0) }
        if topicDiscoveryEnabled, c.discovery.topicRegistrar == nil { c.discovery.topicRegistrar = TopicRegistrarConfig() }
        if let name = discoveryTopicName, name.isEmpty || name.utf8.count > 256 {
            throw .invalidConfiguration("discoveryTopicName must be 1 to 256 bytes")
        }
        do {
            _ = try GossipSubConfig(validating: c.gossip)
            var score = c.peerScore
            score.topics[topic.description] = c.topicScore
            _ = try PeerScore<PeerID>(parameters: score, thresholds: c.scoreThresholds)
            _ = try c.gossipHost.validated()
        } catch {
            throw .invalidConfiguration("gossip: \(error)")
        }
        do { _ = try c.discovery.validated() } catch { throw .invalidConfiguration("discovery: \(error.reason)") }
        do { _ = try c.host.validated() } catch { throw .invalidConfiguration("host: \(error)") }
        do { _ = try c.txServiceConfig.validated() } catch { throw .invalidConfiguration("transactions: \(error)") }
        return c
    }

    /// The dial policy's settings.
    var dialSettings: PeerDialSettings {
        PeerDialSettings(targetPeerCount: targetPeerCount, dialInterval: dialInterval, lookupInterval: lookupInterval,
                         dialBackoff: dialBackoff, simultaneousDialGrace: simultaneousDialGrace, meshTopUp: meshTopUp)
    }

    /// The transaction service's configuration.
    var txServiceConfig: AztecTxServiceConfig {
        AztecTxServiceConfig(topic: topic, validation: validation, pool: pool, requirePeersForSubmit: requirePeersForSubmit)
    }
}
