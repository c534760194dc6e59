import ArgumentParser
import Foundation

/// `aztec-p2p devnet`: the project's main job. A local Aztec network in one process on loopback:
/// a discv5 bootnode and N Aztec nodes that find each other through it, transactions submitted
/// over JSON-RPC to random nodes, and one misbehaving node gossiping invalid ones until its peers
/// ban it. `--gossip-only` runs bare GossipSub hosts with static peering instead.
struct DevnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devnet",
        abstract: "Run a local Aztec network on loopback (discv5, TCP + Noise + yamux, GossipSub, JSON-RPC) and measure it.")

    @Option(help: "Number of honest nodes.") var nodes = 16
    @Option(help: "Transactions submitted per second (to random nodes).") var tps = 10.0
    @Option(name: .customLong("tx-size"), help: "Transaction size in bytes.") var txSize = 40_000
    @Option(help: "Seconds of submitting.") var duration = 30.0
    @Option(help: "Write per-transaction figures to this CSV file.") var csv: String?
    @Option(help: "Seed of the keys, transactions, topology and publishers.") var seed: UInt64 = 1
    @Option(name: .customLong("invalid-share"),
            help: "Share of the transactions that are invalid, gossiped by one misbehaving node (0: no such node).")
    var invalidShare = 0.1
    @Option(name: .customLong("target-peers"), help: "Peers each Aztec node dials up to.") var targetPeers = 8
    @Option(help: "Muxer: yamux or mplex.") var muxer = "yamux"
    @Flag(help: "Disable IDONTWANT (to compare duplicates).") var noIdontwant = false
    @Flag(help: "Turn flood publishing off (publish to the mesh only).") var noFloodPublish = false
    @Flag(name: .customLong("lazy-push"), help: "Lazy mesh push: a share of forwards go to mesh peers as ids (IANNOUNCE / INEED).")
    var lazyPush = false
    @Flag(name: .customLong("gossip-only"),
          help: "Bare GossipSub hosts with static peering: no discovery, validation, pools or JSON-RPC.")
    var gossipOnly = false
    @Option(help: "With --gossip-only: peers each node dials (static peering).") var dials = 4

    /// The topic of `--gossip-only`.
    static let gossipTopic = "/aztec/tx/0.1.0"

    func validate() throws {
        guard nodes >= 2, nodes <= 1000 else { throw ValidationError("--nodes must be in 2...1000") }
        guard tps > 0, tps <= 100_000 else { throw ValidationError("--tps must be in (0, 100000]") }
        guard txSize >= 8, txSize <= 1 << 20 else { throw ValidationError("--tx-size must be in 8...1048576") }
        guard gossipOnly || (1_000...65_536).contains(txSize) else {
            throw ValidationError("--tx-size must be in 1000...65536 for Aztec transactions (the default proof limit is 64 KiB)")
        }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        guard dials >= 1 else { throw ValidationError("--dials must be at least 1") }
        guard (0...0.9).contains(invalidShare) else { throw ValidationError("--invalid-share must be in 0...0.9") }
        guard targetPeers >= 1 else { throw ValidationError("--target-peers must be at least 1") }
        guard ["yamux", "mplex"].contains(muxer) else { throw ValidationError("--muxer must be yamux or mplex") }
    }

    func run() async throws {
        let interrupted = LockedValue(false)
        let trap = await ShutdownSignals.trap(setting: interrupted)
        defer { trap.cancel() }
        if gossipOnly {
            try await GossipDevnet(options: self).run(interrupted: interrupted)
        } else {
            try await AztecDevnet(options: self).run(interrupted: interrupted)
        }
    }
}

func fmt(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

func fmtDuration(_ d: Duration) -> String {
    let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    return s < 1 ? "\(fmt(s * 1000, 0)) ms" : "\(fmt(s, 2)) s"
}
