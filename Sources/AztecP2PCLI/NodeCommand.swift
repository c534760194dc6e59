import ArgumentParser
import AztecNode
import AztecP2P
import Foundation
import ServiceLifecycle

/// `aztec-p2p node`: a full Aztec P2P node (libp2p + GossipSub + discv5 + transaction pool +
/// JSON-RPC). Settings come from a JSON config file, then `AZTEC_P2P_*` environment variables,
/// then flags (each overriding the previous). Prints its multiaddr and ENR first, runs until
/// SIGINT or SIGTERM, then saves its known ENRs and pool journal.
///
/// Without chain state, this node reports itself synced at start, accepts every proof and
/// treats every nullifier as unspent: it relays and pools, it does not judge state.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run an Aztec P2P node; the first stdout lines are its multiaddr and ENR.")

    @Option(help: "JSON config file (keys: listen, udpPort, announce, rpc, metrics, bootnodes, staticPeers, dataDir, key, aztecChainId, ethChainId, messageVersion, targetPeers, discovery, topicDiscovery, discoveryTopic, poolMaxAge, poolMaxTransactions, poolMaxBytes, lazyPush, forwardHoldMilliseconds, meshDegree, meshDegreeLow, meshDegreeHigh, meshOutboundDegree, maxInboundPeers).")
    var config: String?
    @Option(help: "TCP and UDP address, IPv4:PORT (default 0.0.0.0:40400).") var listen: String?
    @Option(name: .customLong("udp-port"), help: "discv5 UDP port, if not the TCP port.") var udpPort: Int?
    @Option(help: "IPv4 address announced in the ENR.") var announce: String?
    @Option(help: "JSON-RPC server address, IPv4:PORT (default: none).") var rpc: String?
    @Option(help: "Metrics endpoint address, IPv4:PORT: GET /metrics in Prometheus text (default: none).") var metrics: String?
    @Option(name: .customLong("bootnode"), help: "A bootnode's ENR (repeatable).") var bootnodes: [String] = []
    @Option(name: .customLong("static-peer"), help: "A multiaddr dialed without discovery (repeatable).")
    var staticPeers: [String] = []
    @Option(name: .customLong("data-dir"), help: "Directory of node.key, known-enrs.txt and tx-pool.journal.")
    var dataDir: String?
    @Option(help: "File holding the secp256k1 private key as hex.") var key: String?
    @Option(name: .customLong("aztec-chain-id"), help: "Aztec chain id (default 1).") var aztecChainID: UInt64?
    @Option(name: .customLong("eth-chain-id"), help: "Ethereum chain id (default 1).") var ethChainID: UInt64?
    @Option(name: .customLong("message-version"), help: "Transaction message version (default 1).") var messageVersion: UInt32?
    @Option(name: .customLong("target-peers"), help: "Peers dialed up to (default 8).") var targetPeers: Int?
    @Flag(name: .customLong("no-discovery"), help: "Do not run discv5 (static peers only).") var noDiscovery = false
    @Flag(name: .customLong("no-topic-discovery"), help: "Do not advertise or search the discv5 topic, nor act as a topic registrar.")
    var noTopicDiscovery = false
    @Option(name: .customLong("discovery-topic"), help: "Name of the discv5 topic (default: the transaction topic, /aztec/<chain>/tx/<version>).")
    var discoveryTopic: String?
    @Option(name: .customLong("pool-max-age"), help: "Seconds a transaction may stay pooled (default 3600).") var poolMaxAge: Int?
    @Option(name: .customLong("pool-max-transactions"), help: "Most transactions pooled (default 10000).")
    var poolMaxTransactions: Int?
    @Option(name: .customLong("pool-max-bytes"), help: "Most SSZ bytes pooled (default 536870912).") var poolMaxBytes: Int?
    @Flag(name: .customLong("lazy-push"), help: "Send a share of forwards to mesh peers as ids (IANNOUNCE / INEED, experimental).")
    var lazyPush = false
    @Option(name: .customLong("forward-hold-milliseconds"),
            help: "Hold back forwards that are likely duplicates this long, dropped on IDONTWANT (default 0, off).")
    var forwardHoldMilliseconds: Int?
    @Option(name: .customLong("mesh-degree"), help: "GossipSub D, the mesh degree aimed for (default 5); D_out becomes a third of it.")
    var meshDegree: Int?
    @Option(name: .customLong("mesh-degree-low"),
            help: "GossipSub D_low: fewer mesh peers and the node grafts and dials for more (default 4, or --mesh-degree if lower).")
    var meshDegreeLow: Int?
    @Option(name: .customLong("mesh-degree-high"), help: "GossipSub D_high, pruned back to D above it (default 6, or one above --mesh-degree).")
    var meshDegreeHigh: Int?
    @Option(name: .customLong("mesh-outbound-degree"), help: "GossipSub D_out, mesh peers kept among those this node dialed (default 1, a third of --mesh-degree).")
    var meshOutboundDegree: Int?
    @Option(name: .customLong("max-inbound-peers"), help: "Inbound libp2p connections accepted (default 512).")
    var maxInboundPeers: Int?

    func settings() throws -> AztecNodeSettings {
        var flags = AztecNodeSettings()
        flags.listen = listen
        flags.udpPort = udpPort
        flags.announce = announce
        flags.rpc = rpc
        flags.metrics = metrics
        flags.bootnodes = bootnodes.isEmpty ? nil : bootnodes
        flags.staticPeers = staticPeers.isEmpty ? nil : staticPeers
        flags.dataDir = dataDir
        flags.key = key
        flags.aztecChainId = aztecChainID
        flags.ethChainId = ethChainID
        flags.messageVersion = messageVersion
        flags.targetPeers = targetPeers
        flags.discovery = noDiscovery ? false : nil
        flags.topicDiscovery = noTopicDiscovery ? false : nil
        flags.discoveryTopic = discoveryTopic
        flags.poolMaxAge = poolMaxAge
        flags.poolMaxTransactions = poolMaxTransactions
        flags.poolMaxBytes = poolMaxBytes
        flags.lazyPush = lazyPush ? true : nil
        flags.forwardHoldMilliseconds = forwardHoldMilliseconds
        flags.meshDegree = meshDegree
        flags.meshDegreeLow = meshDegreeLow
        flags.meshDegreeHigh = meshDegreeHigh
        flags.meshOutboundDegree = meshOutboundDegree
        flags.maxInboundPeers = maxInboundPeers
        let file = try config.map { try AztecNodeSettings.load(path: $0) } ?? AztecNodeSettings()
        let environment = try AztecNodeSettings.fromEnvironment(ProcessInfo.processInfo.environment)
        return file.merging(environment).merging(flags)
    }

    func run() async throws {
        OpenFileLimit.raise()
        var configuration = AztecNodeConfiguration()
        configuration.startSynced = true
        do {
            try settings().apply(to: &configuration)
        } catch let error as AztecNodeError {
            throw CommandFailure(error.description)
        }
        let node = try AztecNode(configuration: configuration, state: AllUnspentStateProvider(),
                                 proofVerifier: AcceptAllProofVerifier())
        // Started inside the group, so SIGINT or SIGTERM during start-up is a clean stop too.
        let announced = ClosureService { [configuration] in
            try await node.start()
            if let address = await node.listenAddress { StandardOutput.line("\(address)") }
            if let record = await node.localRecord { StandardOutput.line(record.textEncoding) }
            if let port = await node.rpcPort { StandardOutput.line("json-rpc http://\(configuration.rpcHost ?? "127.0.0.1"):\(port)/") }
            if let port = await node.metricsPort {
                StandardOutput.line("metrics http://\(configuration.metricsHost ?? "127.0.0.1"):\(port)/metrics")
            }
            try await node.run()
        }
        try await ShutdownSignals.run([announced], label: "aztec-p2p.node")
    }
}
