import AztecP2P
import ENR
import Foundation
import LibP2PCore

/// The operator-facing settings of a node, as a JSON config file, `AZTEC_P2P_*` environment
/// variables and command-line flags give them: every field optional, later sources override
/// earlier ones (``merging(_:)``), and ``apply(to:)`` turns them into an ``AztecNodeConfiguration``.
///
/// JSON keys and environment variables:
/// `listen` / `AZTEC_P2P_LISTEN` (`HOST:PORT`, TCP and UDP), `udpPort` / `AZTEC_P2P_UDP_PORT`,
/// `announce` / `AZTEC_P2P_ANNOUNCE`, `rpc` / `AZTEC_P2P_RPC` (`HOST:PORT`), `metrics` / `AZTEC_P2P_METRICS` (`HOST:PORT`),
/// `bootnodes` / `AZTEC_P2P_BOOTNODES` (comma-separated ENRs), `staticPeers` / `AZTEC_P2P_STATIC_PEERS`
/// (comma-separated multiaddrs), `dataDir` / `AZTEC_P2P_DATA_DIR`, `key` / `AZTEC_P2P_KEY` (key file),
/// `aztecChainId` / `AZTEC_P2P_AZTEC_CHAIN_ID`, `ethChainId` / `AZTEC_P2P_ETH_CHAIN_ID`,
/// `messageVersion` / `AZTEC_P2P_MESSAGE_VERSION`, `targetPeers` / `AZTEC_P2P_TARGET_PEERS`,
/// `discovery` / `AZTEC_P2P_DISCOVERY` (`true`/`false`), `topicDiscovery` / `AZTEC_P2P_TOPIC_DISCOVERY`
/// (`true`/`false`), `discoveryTopic` / `AZTEC_P2P_DISCOVERY_TOPIC` (a name), `poolMaxAge` / `AZTEC_P2P_POOL_MAX_AGE` (seconds a
/// transaction may stay pooled), `poolMaxTransactions` / `AZTEC_P2P_POOL_MAX_TRANSACTIONS`,
/// `poolMaxBytes` / `AZTEC_P2P_POOL_MAX_BYTES`, `lazyPush` / `AZTEC_P2P_LAZY_PUSH` (`true`/`false`),
/// `forwardHoldMilliseconds` / `AZTEC_P2P_FORWARD_HOLD_MILLISECONDS`,
/// `meshDegree` / `AZTEC_P2P_MESH_DEGREE`, `meshDegreeLow` / `AZTEC_P2P_MESH_DEGREE_LOW`,
/// `meshDegreeHigh` / `AZTEC_P2P_MESH_DEGREE_HIGH`,
/// `meshOutboundDegree` / `AZTEC_P2P_MESH_OUTBOUND_DEGREE`,
/// `maxInboundPeers` / `AZTEC_P2P_MAX_INBOUND_PEERS`.
public struct AztecNodeSettings: Codable, Sendable, Equatable {
    /// `IPv4:PORT` that both the libp2p TCP listener and the discv5 UDP socket bind
    /// (``AztecNodeConfiguration/listenHost``, ``AztecNodeConfiguration/tcpPort``, ``AztecNodeConfiguration/udpPort``).
    public var listen: String?
    /// The discv5 UDP port when it differs from ``listen``'s (``AztecNodeConfiguration/udpPort``).
    public var udpPort: Int?
    /// The IPv4 address put in the node's ENR (``AztecNodeConfiguration/announceHost``).
    public var announce: String?
    /// `IPv4:PORT` of the JSON-RPC server (``AztecNodeConfiguration/rpcHost``, ``AztecNodeConfiguration/rpcPort``).
    public var rpc: String?
    /// `IPv4:PORT` of the Prometheus `/metrics` endpoint (``AztecNodeConfiguration/metricsHost``, ``AztecNodeConfiguration/metricsPort``).
    public var metrics: String?
    /// discv5 bootnodes as `enr:` texts; replaces ``AztecNodeConfiguration/bootnodes``.
    public var bootnodes: [String]?
    /// Multiaddr texts ending in `/p2p/<peer id>`, dialed directly; replaces ``AztecNodeConfiguration/staticPeers``.
    public var staticPeers: [String]?
    /// Path of the data directory (``AztecNodeConfiguration/dataDirectory``).
    public var dataDir: String?
    /// Path of a key file read by ``NodeDataDirectory/readKey(path:logger:)`` (``AztecNodeConfiguration/privateKey``).
    public var key: String?
    /// The Aztec chain id (``AztecNodeConfiguration/aztecChainID``).
    public var aztecChainId: UInt64?
    /// The Ethereum (L1) chain id (``AztecNodeConfiguration/ethereumChainID``).
    public var ethChainId: UInt64?
    /// The transaction message version (``AztecNodeConfiguration/messageVersion``).
    public var messageVersion: UInt32?
    /// Connections to dial discovered peers up to (``AztecNodeConfiguration/targetPeerCount``).
    public var targetPeers: Int?
    /// discv5 on or off (``AztecNodeConfiguration/discoveryEnabled``).
    public var discovery: Bool?
    /// discv5 topic discovery on or off (``AztecNodeConfiguration/topicDiscoveryEnabled``).
    public var topicDiscovery: Bool?
    /// The discv5 topic's name (``AztecNodeConfiguration/discoveryTopicName``).
    public var discoveryTopic: String?
    /// Seconds a transaction may stay in the pool (`TxPoolConfig.timeToLive`).
    public var poolMaxAge: Int?
    /// Most transactions pooled (`TxPoolConfig.maxTransactions`).
    public var poolMaxTransactions: Int?
    /// Most SSZ bytes pooled (`TxPoolConfig.maxBytes`).
    public var poolMaxBytes: Int?
    /// Lazy mesh push on or off: the GossipSub extension (`ControlExtensions.announce`, the
    /// gossipsub v2.0 draft's IANNOUNCE / INEED) that sends a share of forwards as ids to mesh
    /// peers that also use it. Off by default: experimental, its field number is not assigned.
    /// With it a mesh peer costs little upload, so a larger mesh pays: in the network
    /// simulator's `baseline` at 10,000 nodes (discovery join, the default 8 target peers), every
    /// large-message feature with ``meshDegree`` 10, ``meshDegreeLow`` 9 and ``meshDegreeHigh`` 14,
    /// and 25 Mbit/s nodes at ``maxInboundPeers`` 30, delivered everything with latency p99
    /// 706 ms at 1.94× the unique payload rate, against push's 713 ms at 2.94× with the default
    /// mesh of 5 and the same cap; the last node's p99 was 1.06 s against 0.87 s.
    public var lazyPush: Bool?
    /// Above 0, forwards that would most likely be duplicates wait this many milliseconds and
    /// are dropped if the peer says IDONTWANT meanwhile (`GossipSubConfig.Parameters.forwardHold`):
    /// less upload for a little latency, with any v1.2 peer. Off (0) by default.
    public var forwardHoldMilliseconds: Int?
    /// GossipSub's `D`, the mesh degree the node aims for (default 5,
    /// `AztecGossipParameters.meshDegree`). It sets `D_out` to a third of it unless
    /// ``meshOutboundDegree`` is given (`AztecGossipParameters.outboundDegree(meshDegree:)`), and
    /// without ``meshDegreeHigh`` raises `D_high` to one above it where that is higher, and lowers
    /// `D_low` (4) to it where that is lower.
    public var meshDegree: Int?
    /// GossipSub's `D_low`: with fewer mesh peers a heartbeat grafts more, and the node dials
    /// beyond its target peers for them (default 4, or ``meshDegree`` where that is lower). A
    /// mesh of 10 with lazy push forms under discovery only with `D_low` close to it (9): at 4,
    /// nodes left with 4 to 9 mesh peers neither graft nor dial, and pay lazy push's round trips.
    public var meshDegreeLow: Int?
    /// GossipSub's `D_high`: above this many mesh peers a heartbeat prunes back to `D` (default
    /// 6, `AztecGossipParameters.meshDegreeHigh`); inbound GRAFTs are taken up to at least this
    /// many (`AztecGossipParameters.inboundGraftLimit`, 12). Every mesh peer pushes each 40 KB transaction,
    /// so each place in the mesh costs upload and download (see the README's simulator section).
    public var meshDegreeHigh: Int?
    /// GossipSub's `D_out`: mesh peers kept among the peers this node dialed (default 1, a third
    /// of ``meshDegree``), so that peers dialing it cannot fill its mesh.
    public var meshOutboundDegree: Int?
    /// Inbound libp2p connections accepted (`ConnectionLimits.maxInbound`, default 512). A node on a
    /// slow link that many peers find should take fewer: each peer's gossip costs it download.
    public var maxInboundPeers: Int?

    /// Settings with no field set: applying them changes nothing.
    public init() {}

    /// The JSON keys of a config file.
    static var knownKeys: Set<String> { Set(valueDescriptions.keys) }

    /// Largest config file read.
    public static let maximumFileBytes = 1 << 20

    /// Reads a JSON config file (unknown keys are an error, so typos do not pass silently).
    public static func load(path: String) throws(AztecNodeError) -> AztecNodeSettings {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .invalidConfiguration("cannot open \(path)") }
        defer { try? handle.close() }
        guard let data = (try? handle.read(upToCount: maximumFileBytes + 1)) ?? nil, data.count <= maximumFileBytes else {
            throw .invalidConfiguration("\(path) is empty or larger than \(maximumFileBytes) bytes")
        }
        return try decode(data)
    }

    /// Decodes the JSON text of a config file.
    public static func decode(_ data: Data) throws(AztecNodeError) -> AztecNodeSettings {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .invalidConfiguration("config file: not valid JSON, or not an object")
        }
        if let unknown = object.keys.sorted().first(where: { valueDescriptions[$0] == nil }) {
            throw .invalidConfiguration("unknown config key \"\(unknown)\"")
        }
        do { return try JSONDecoder().decode(AztecNodeSettings.self, from: data) } catch {
            // Foundation names neither the key nor the value (a fraction where a whole number
            // belongs is "not valid JSON" to it): find the key by decoding one key at a time.
            for key in object.keys.sorted() {
                guard let value = object[key],
                      let single = try? JSONSerialization.data(withJSONObject: [key: value]),
                      (try? JSONDecoder().decode(AztecNodeSettings.self, from: single)) == nil else { continue }
                let text = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]))
                    .map { String(decoding: $0, as: UTF8.self) } ?? "another value"
                throw .invalidConfiguration("config file: \"\(key)\": expected \(valueDescriptions[key] ?? "another value"), got \(text)")
            }
            throw .invalidConfiguration("config file: \(error)")
        }
    }

    /// What each config key takes, for error messages; its keys are the known keys.
    static let valueDescriptions: [String: String] = [
        "listen": "text, HOST:PORT", "udpPort": "a whole number", "announce": "text, an IPv4 address",
        "rpc": "text, HOST:PORT", "metrics": "text, HOST:PORT", "bootnodes": "a list of ENR texts",
        "staticPeers": "a list of multiaddr texts", "dataDir": "text, a path", "key": "text, a path",
        "aztecChainId": "a whole number", "ethChainId": "a whole number", "messageVersion": "a whole number",
        "targetPeers": "a whole number", "discovery": "true or false", "topicDiscovery": "true or false",
        "discoveryTopic": "text, a topic name", "poolMaxAge": "a whole number of seconds",
        "poolMaxTransactions": "a whole number", "poolMaxBytes": "a whole number", "lazyPush": "true or false",
        "forwardHoldMilliseconds": "a whole number of milliseconds, 0 to 10000",
        "meshDegree": "a whole number", "meshDegreeLow": "a whole number", "meshDegreeHigh": "a whole number", "meshOutboundDegree": "a whole number",
        "maxInboundPeers": "a whole number",
    ]

    /// The settings given by `AZTEC_P2P_*` variables of `environment`.
    public static func fromEnvironment(_ environment: [String: String]) throws(AztecNodeError) -> AztecNodeSettings {
        func value(_ name: String) -> String? {
            environment["AZTEC_P2P_" + name].flatMap { $0.isEmpty ? nil : $0 }
        }
        func number<T: FixedWidthInteger>(_ name: String) throws(AztecNodeError) -> T? {
            guard let text = value(name) else { return nil }
            guard let n = T(text) else { throw .invalidConfiguration("AZTEC_P2P_\(name) is not a valid number: \(text)") }
            return n
        }
        func list(_ name: String) -> [String]? {
            value(name).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        }
        var s = AztecNodeSettings()
        s.listen = value("LISTEN")
        s.udpPort = try number("UDP_PORT")
        s.announce = value("ANNOUNCE")
        s.rpc = value("RPC")
        s.metrics = value("METRICS")
        s.bootnodes = list("BOOTNODES")
        s.staticPeers = list("STATIC_PEERS")
        s.dataDir = value("DATA_DIR")
        s.key = value("KEY")
        s.aztecChainId = try number("AZTEC_CHAIN_ID")
        s.ethChainId = try number("ETH_CHAIN_ID")
        s.messageVersion = try number("MESSAGE_VERSION")
        s.targetPeers = try number("TARGET_PEERS")
        for (name, field) in [("DISCOVERY", \AztecNodeSettings.discovery), ("TOPIC_DISCOVERY", \AztecNodeSettings.topicDiscovery),
                              ("LAZY_PUSH", \AztecNodeSettings.lazyPush)] {
            guard let text = value(name) else { continue }
            guard let flag = Bool(text.lowercased()) else { throw .invalidConfiguration("AZTEC_P2P_\(name) must be true or false") }
            s[keyPath: field] = flag
        }
        s.discoveryTopic = value("DISCOVERY_TOPIC")
        s.poolMaxAge = try number("POOL_MAX_AGE")
        s.poolMaxTransactions = try number("POOL_MAX_TRANSACTIONS")
        s.poolMaxBytes = try number("POOL_MAX_BYTES")
        s.forwardHoldMilliseconds = try number("FORWARD_HOLD_MILLISECONDS")
        s.meshDegree = try number("MESH_DEGREE")
        s.meshDegreeLow = try number("MESH_DEGREE_LOW")
        s.meshDegreeHigh = try number("MESH_DEGREE_HIGH")
        s.meshOutboundDegree = try number("MESH_OUTBOUND_DEGREE")
        s.maxInboundPeers = try number("MAX_INBOUND_PEERS")
        return s
    }

    /// `self` with every field `other` sets replaced by `other`'s.
    public func merging(_ other: AztecNodeSettings) -> AztecNodeSettings {
        var s = self
        s.listen = other.listen ?? listen
        s.udpPort = other.udpPort ?? udpPort
        s.announce = other.announce ?? announce
        s.rpc = other.rpc ?? rpc
        s.metrics = other.metrics ?? metrics
        s.bootnodes = other.bootnodes ?? bootnodes
        s.staticPeers = other.staticPeers ?? staticPeers
        s.dataDir = other.dataDir ?? dataDir
        s.key = other.key ?? key
        s.aztecChainId = other.aztecChainId ?? aztecChainId
        s.ethChainId = other.ethChainId ?? ethChainId
        s.messageVersion = other.messageVersion ?? messageVersion
        s.targetPeers = other.targetPeers ?? targetPeers
        s.discovery = other.discovery ?? discovery
        s.topicDiscovery = other.topicDiscovery ?? topicDiscovery
        s.discoveryTopic = other.discoveryTopic ?? discoveryTopic
        s.poolMaxAge = other.poolMaxAge ?? poolMaxAge
        s.poolMaxTransactions = other.poolMaxTransactions ?? poolMaxTransactions
        s.poolMaxBytes = other.poolMaxBytes ?? poolMaxBytes
        s.lazyPush = other.lazyPush ?? lazyPush
        s.forwardHoldMilliseconds = other.forwardHoldMilliseconds ?? forwardHoldMilliseconds
        s.meshDegree = other.meshDegree ?? meshDegree
        s.meshDegreeLow = other.meshDegreeLow ?? meshDegreeLow
        s.meshDegreeHigh = other.meshDegreeHigh ?? meshDegreeHigh
        s.meshOutboundDegree = other.meshOutboundDegree ?? meshOutboundDegree
        s.maxInboundPeers = other.maxInboundPeers ?? maxInboundPeers
        return s
    }

    /// Writes the set fields into `configuration` (which is validated afterwards by the node).
    public func apply(to c: inout AztecNodeConfiguration) throws(AztecNodeError) {
        if let listen {
            let (host, port) = try Self.endpoint(listen, what: "listen")
            c.listenHost = host
            c.tcpPort = port
            c.udpPort = port
        }
        if let udpPort { c.udpPort = udpPort }
        if let announce { c.announceHost = announce }
        if let rpc {
            let (host, port) = try Self.endpoint(rpc, what: "rpc")
            c.rpcHost = host
            c.rpcPort = port
        }
        if let metrics {
            let (host, port) = try Self.endpoint(metrics, what: "metrics")
            c.metricsHost = host
            c.metricsPort = port
        }
        if let bootnodes {
            c.bootnodes = []
            for text in bootnodes {
                do { c.bootnodes.append(try NodeRecord(text: text)) } catch {
                    throw .invalidConfiguration("invalid bootnode ENR \(text.prefix(40))…: \(error)")
                }
            }
        }
        if let staticPeers {
            c.staticPeers = []
            for text in staticPeers {
                do { c.staticPeers.append(try Multiaddr(text)) } catch {
                    throw .invalidConfiguration("invalid static peer \(text): \(error)")
                }
            }
        }
        if let dataDir { c.dataDirectory = dataDir }
        if let key { c.privateKey = try NodeDataDirectory.readKey(path: key) }
        if let aztecChainId { c.aztecChainID = aztecChainId }
        if let ethChainId { c.ethereumChainID = ethChainId }
        if let messageVersion { c.messageVersion = messageVersion }
        if let targetPeers { c.targetPeerCount = targetPeers }
        if let discovery { c.discoveryEnabled = discovery }
        if let topicDiscovery { c.topicDiscoveryEnabled = topicDiscovery }
        if let discoveryTopic { c.discoveryTopicName = discoveryTopic }
        if let lazyPush { c.gossip.extensions.announce = lazyPush }
        if let forwardHoldMilliseconds {
            guard (0...10_000).contains(forwardHoldMilliseconds) else {
                throw .invalidConfiguration("forwardHoldMilliseconds must be in 0...10000")
            }
            c.gossip.forwardHold.delay = .milliseconds(forwardHoldMilliseconds)
        }
        AztecGossipParameters.setMeshDegrees(d: meshDegree, dLow: meshDegreeLow, dHigh: meshDegreeHigh, dOut: meshOutboundDegree, in: &c.gossip)
        if let maxInboundPeers {
            guard maxInboundPeers > 0 else { throw .invalidConfiguration("maxInboundPeers must be positive") }
            c.host.limits.maxInbound = maxInboundPeers
        }
        if let poolMaxAge {
            guard poolMaxAge > 0 else { throw .invalidConfiguration("poolMaxAge must be a positive number of seconds") }
            c.pool.timeToLive = .seconds(poolMaxAge)
        }
        if let poolMaxTransactions {
            guard poolMaxTransactions > 0 else { throw .invalidConfiguration("poolMaxTransactions must be positive") }
            c.pool.maxTransactions = poolMaxTransactions
        }
        if let poolMaxBytes {
            guard poolMaxBytes > 0 else { throw .invalidConfiguration("poolMaxBytes must be positive") }
            c.pool.maxBytes = poolMaxBytes
        }
    }

    /// `HOST:PORT` with an IPv4 host.
    static func endpoint(_ text: String, what: String) throws(AztecNodeError) -> (String, Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, IPv4Address(parts[0]) != nil, let port = Int(parts[1]), (0...65_535).contains(port) else {
            throw .invalidConfiguration("\(what) wants IPv4:PORT, got \(text)")
        }
        return (String(parts[0]), port)
    }
}
