import AztecNode
import AztecP2P
import Logging
import Foundation
import Testing

@Suite struct AztecNodeSettingsTests {
    @Test func fileThenEnvironmentThenFlagsEachOverride() throws {
        let file = try AztecNodeSettings.decode(Data("""
            {"listen": "0.0.0.0:40400", "rpc": "127.0.0.1:8080", "aztecChainId": 5, "targetPeers": 3}
            """.utf8))
        let environment = try AztecNodeSettings.fromEnvironment([
            "AZTEC_P2P_RPC": "127.0.0.1:9090", "AZTEC_P2P_ETH_CHAIN_ID": "11155111", "AZTEC_P2P_DISCOVERY": "false",
            "OTHER": "ignored",
        ])
        var flags = AztecNodeSettings()
        flags.listen = "127.0.0.1:4000"
        let merged = file.merging(environment).merging(flags)
        var c = AztecNodeConfiguration()
        try merged.apply(to: &c)
        #expect(c.listenHost == "127.0.0.1")
        #expect(c.tcpPort == 4000)
        #expect(c.udpPort == 4000)
        #expect(c.rpcHost == "127.0.0.1")
        #expect(c.rpcPort == 9090)
        #expect(c.aztecChainID == 5)
        #expect(c.ethereumChainID == 11_155_111)
        #expect(c.targetPeerCount == 3)
        #expect(!c.discoveryEnabled)
        _ = try c.validated()
    }

    @Test func poolBoundsComeFromFileEnvironmentAndFlags() throws {
        let file = try AztecNodeSettings.decode(Data(#"{"poolMaxAge": 300, "poolMaxTransactions": 5000, "poolMaxBytes": 1000000}"#.utf8))
        let environment = try AztecNodeSettings.fromEnvironment(["AZTEC_P2P_POOL_MAX_TRANSACTIONS": "7000"])
        var flags = AztecNodeSettings()
        flags.poolMaxBytes = 2_000_000
        var c = AztecNodeConfiguration()
        try file.merging(environment).merging(flags).apply(to: &c)
        #expect(c.pool.timeToLive == .seconds(300))
        #expect(c.pool.maxTransactions == 7_000)
        #expect(c.pool.maxBytes == 2_000_000)
        _ = try c.validated()

        #expect(throws: AztecNodeError.self) { try AztecNodeSettings.fromEnvironment(["AZTEC_P2P_POOL_MAX_AGE": "5m"]) }
        for key in ["poolMaxAge", "poolMaxTransactions", "poolMaxBytes"] {
            for bad in [0, -1] {
                let settings = try AztecNodeSettings.decode(Data(#"{"\#(key)": \#(bad)}"#.utf8))
                var c = AztecNodeConfiguration()
                #expect(throws: AztecNodeError.self) { try settings.apply(to: &c) }
            }
        }
    }

    /// Lazy mesh push is off unless a file, the environment or a flag turns it on; a later
    /// source turns it off again.
    @Test func lazyPushIsOffUnlessSet() throws {
        var c = AztecNodeConfiguration()
        try AztecNodeSettings().apply(to: &c)
        #expect(try !c.validated().gossip.extensions.announce)
        let file = try AztecNodeSettings.decode(Data(#"{"lazyPush": true}"#.utf8))
        try file.apply(to: &c)
        #expect(try c.validated().gossip.extensions.announce)
        let environment = try AztecNodeSettings.fromEnvironment(["AZTEC_P2P_LAZY_PUSH": "false"])
        var off = AztecNodeConfiguration()
        try file.merging(environment).apply(to: &off)
        #expect(try !off.validated().gossip.extensions.announce)
        #expect(throws: AztecNodeError.self) { try AztecNodeSettings.fromEnvironment(["AZTEC_P2P_LAZY_PUSH": "on"]) }
    }

    /// Held forwards are off unless set; the environment's value wins over the file's; a delay
    /// out of range is refused.
    @Test func forwardHoldComesFromTheSettings() throws {
        var c = AztecNodeConfiguration()
        try AztecNodeSettings().apply(to: &c)
        #expect(try !c.validated().gossip.forwardHold.isEnabled)
        let file = try AztecNodeSettings.decode(Data(#"{"forwardHoldMilliseconds": 100}"#.utf8))
        let environment = try AztecNodeSettings.fromEnvironment(["AZTEC_P2P_FORWARD_HOLD_MILLISECONDS": "50"])
        try file.merging(environment).apply(to: &c)
        #expect(try c.validated().gossip.forwardHold.delay == .milliseconds(50))
        var bad = AztecNodeConfiguration()
        #expect(throws: AztecNodeError.self) { try AztecNodeSettings.decode(Data(#"{"forwardHoldMilliseconds": 20000}"#.utf8)).apply(to: &bad) }
    }

    /// A node on a slow link keeps a smaller mesh and fewer inbound peers: `meshDegree` and
    /// `meshDegreeHigh` set GossipSub's D and D_high (and D a third of it as D_out, unless
    /// `meshOutboundDegree` sets that; D alone keeps D_low ≤ D < D_high), `meshDegreeLow` sets
    /// D_low, a larger D lifts lazy push's spread slope with it, a later source wins, degrees
    /// GossipSub refuses make the configuration invalid, and `maxInboundPeers` sets the host's
    /// inbound limit.
    @Test func meshDegreesComeFromTheSettings() throws {
        var c = AztecNodeConfiguration()
        try AztecNodeSettings().apply(to: &c)
        #expect(try c.validated().gossip.d == 5 && c.validated().gossip.dHigh == 6 && c.validated().gossip.dOut == 1)
        var wide = AztecNodeConfiguration()
        try AztecNodeSettings.decode(Data(#"{"meshDegree": 8}"#.utf8)).apply(to: &wide)
        #expect(try wide.validated().gossip.dHigh == 9 && wide.validated().gossip.dOut == 2, "D alone lifts D_high above it")
        var wider = AztecNodeConfiguration()
        try AztecNodeSettings.decode(Data(#"{"meshDegree": 12}"#.utf8)).apply(to: &wider)
        #expect(try wider.validated().gossip.dHigh == 13 && wider.validated().gossip.inboundGraftLimit == 13, "GRAFTs taken up to D_high at least")
        var narrow = AztecNodeConfiguration()
        try AztecNodeSettings.decode(Data(#"{"meshDegree": 3}"#.utf8)).apply(to: &narrow)
        #expect(try narrow.validated().gossip.dLow == 3 && narrow.validated().gossip.dHigh == 6, "D alone lowers D_low to it")
        let file = try AztecNodeSettings.decode(Data(#"{"meshDegree": 5, "meshDegreeHigh": 6}"#.utf8))
        let environment = try AztecNodeSettings.fromEnvironment(["AZTEC_P2P_MESH_DEGREE_HIGH": "7"])
        try file.merging(environment).apply(to: &c)
        #expect(try c.validated().gossip.d == 5 && c.validated().gossip.dHigh == 7)
        #expect(try c.validated().gossip.dOut == 1, "D_out follows D down to a third of it")
        var lazy = AztecNodeConfiguration()
        try AztecNodeSettings.decode(Data(#"{"meshDegree": 10, "meshDegreeLow": 8, "meshDegreeHigh": 14}"#.utf8))
            .merging(AztecNodeSettings.fromEnvironment(["AZTEC_P2P_MESH_DEGREE_LOW": "9"])).apply(to: &lazy)
        #expect(try lazy.validated().gossip.dLow == 9 && lazy.validated().gossip.d == 10 && lazy.validated().gossip.dHigh == 14)
        #expect(try lazy.validated().gossip.announce.spreadSlope == 10, "lazy push's slope follows a larger mesh")
        #expect(try c.validated().gossip.announce.spreadSlope == AztecGossipParameters.lazyPushSpreadSlope)
        var lowAboveD = AztecNodeConfiguration()
        try AztecNodeSettings.decode(Data(#"{"meshDegreeLow": 6}"#.utf8)).apply(to: &lowAboveD)
        #expect(throws: AztecNodeError.self, "D_low above D") { try lowAboveD.validated() }
        var quota = AztecNodeConfiguration()
        try AztecNodeSettings.decode(Data(#"{"meshDegree": 5, "meshOutboundDegree": 2}"#.utf8)).apply(to: &quota)
        #expect(try quota.validated().gossip.dOut == 2)
        try AztecNodeSettings.fromEnvironment(["AZTEC_P2P_MESH_OUTBOUND_DEGREE": "3"]).apply(to: &quota)
        #expect(throws: AztecNodeError.self, "D_out of half D or more") { try quota.validated() }
        var inverted = AztecNodeConfiguration()
        try AztecNodeSettings.decode(Data(#"{"meshDegree": 6, "meshDegreeHigh": 5}"#.utf8)).apply(to: &inverted)
        #expect(throws: AztecNodeError.self) { try inverted.validated() }
        var capped = AztecNodeConfiguration()
        try AztecNodeSettings.fromEnvironment(["AZTEC_P2P_MAX_INBOUND_PEERS": "30"]).apply(to: &capped)
        #expect(try capped.validated().host.limits.maxInbound == 30)
        #expect(throws: AztecNodeError.self) { try AztecNodeSettings.decode(Data(#"{"maxInboundPeers": 0}"#.utf8)).apply(to: &capped) }
    }

    @Test func unknownKeysAndBadValuesAreRefused() throws {
        #expect(throws: AztecNodeError.self) { try AztecNodeSettings.decode(Data(#"{"listn": "0.0.0.0:1"}"#.utf8)) }
        #expect(throws: AztecNodeError.self) { try AztecNodeSettings.decode(Data(#"{"targetPeers": "many"}"#.utf8)) }
        #expect(throws: AztecNodeError.self) { try AztecNodeSettings.decode(Data("not json".utf8)) }
        #expect(throws: AztecNodeError.self) { try AztecNodeSettings.fromEnvironment(["AZTEC_P2P_TARGET_PEERS": "x"]) }
        #expect(throws: AztecNodeError.self) { try AztecNodeSettings.fromEnvironment(["AZTEC_P2P_DISCOVERY": "maybe"]) }
        for bad in ["localhost:1", "1.2.3.4", "1.2.3.4:70000", "1.2.3.4:x"] {
            var s = AztecNodeSettings()
            s.listen = bad
            var c = AztecNodeConfiguration()
            #expect(throws: AztecNodeError.self) { try s.apply(to: &c) }
        }
        var s = AztecNodeSettings()
        s.bootnodes = ["enr:not-a-record"]
        var c = AztecNodeConfiguration()
        #expect(throws: AztecNodeError.self) { try s.apply(to: &c) }
    }

    /// Messages name the key and what was expected, and say "not valid JSON" only when it is not.
    @Test func badValuesAreNamedByKey() {
        func message(_ json: String) -> String {
            do {
                _ = try AztecNodeSettings.decode(Data(json.utf8))
                return "accepted"
            } catch {
                return error.description
            }
        }
        let fraction = message(#"{"targetPeers": 3.5}"#)
        #expect(fraction.contains("\"targetPeers\"") && !fraction.contains("not valid JSON"), "\(fraction)")
        #expect(fraction.hasSuffix("\"targetPeers\": expected a whole number, got 3.5"), "\(fraction)")
        #expect(message(#"{"targetPeers": "many"}"#).contains("\"targetPeers\": expected a whole number"))
        #expect(message(#"{"listen": "1.2.3.4:5", "discovery": "yes"}"#).contains("\"discovery\": expected true or false"))
        #expect(message(#"{"bootnodes": "enr:x"}"#).contains("\"bootnodes\""))
        #expect(message("{not json").contains("not valid JSON"))
    }

    /// A directory or a FIFO given as the key file is named as such; a key others may read is
    /// used, with a warning.
    @Test func keyFilesThatAreNotRegularFilesAreNamed() throws {
        let directory = NSTemporaryDirectory() + "aztec-key-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: AztecNodeError.invalidKeyFile("\(directory) is a directory, not a key file")) {
            try NodeDataDirectory.readKey(path: directory)
        }
        let fifo = directory + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: AztecNodeError.invalidKeyFile("\(fifo) is a FIFO, not a key file")) {
            try NodeDataDirectory.readKey(path: fifo)
        }
        let open = directory + "/node.key"
        try (String(repeating: "11", count: 32) + "\n").write(toFile: open, atomically: true, encoding: .utf8)
        chmod(open, 0o644)
        let warnings = WarningCollector()
        _ = try NodeDataDirectory.readKey(path: open, logger: warnings.logger)
        #expect(warnings.messages.count == 1)
        #expect(warnings.messages.first?.contains("mode 644") == true)
        chmod(open, 0o600)
        let quiet = WarningCollector()
        _ = try NodeDataDirectory.readKey(path: open, logger: quiet.logger)
        #expect(quiet.messages.isEmpty)
    }
}
