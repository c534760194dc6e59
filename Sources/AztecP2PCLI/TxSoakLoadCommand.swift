import ArgumentParser
import AsyncHTTPClient
import AztecHTTP
import AztecP2P
import Foundation

/// `aztec-p2p tx soak-load --rpc URL [--rpc URL ...] --rate TX_PER_S --duration SECONDS [--acks FILE]`:
/// submits synthetic transactions at a steady rate, each to a random one of the nodes, logs every
/// acknowledged one (``AckLog``), and prints one JSON summary at the end.
///
/// Made for soak runs that kill nodes under load: a refusal or an unreachable node is counted,
/// never fatal. Sends follow a fixed schedule (the k-th is due `k / rate` seconds after the
/// start), so slow calls do not make the rate drift; at most `--max-in-flight` calls are
/// outstanding, and a send due while that many are is skipped and counted.
struct TxSoakLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak-load", abstract: "Submit synthetic transactions at a steady rate to random nodes and log the acknowledged ones.")

    @Option(name: .customLong("rpc"), help: "A node's JSON-RPC URL (repeatable; each transaction goes to a random one).")
    var urls: [String] = []

    @OptionGroup var synthetic: SyntheticTxOptions

    @Option(help: "Transactions per second.")
    var rate = 10.0

    @Option(help: "Seconds to send for.")
    var duration = 60.0

    @Option(help: "File receiving one line per acknowledged transaction: unix time (ms), hash, the URL that acknowledged it.")
    var acks: String?

    @Option(help: "Random seed of the transactions and of the choice of node.")
    var seed: UInt64 = 1

    @Option(name: .customLong("max-in-flight"), help: "Calls outstanding at once, at most.")
    var maxInFlight = 256

    func validate() throws {
        guard !urls.isEmpty else { throw ValidationError("give at least one --rpc URL") }
        for url in urls where AztecRPCClient(url: url) == nil { throw ValidationError("--rpc \(url) is not an http:// URL with a host") }
        guard rate > 0, rate <= 10_000 else { throw ValidationError("--rate must be in (0, 10000]") }
        guard duration > 0, duration <= 7 * 86_400 else { throw ValidationError("--duration must be in (0, 604800]") }
        guard (1...4_096).contains(maxInFlight) else { throw ValidationError("--max-in-flight must be in 1...4096") }
    }

    /// What the calls came to.
    struct Tally: Sendable {
        var acknowledged: [String: Int] = [:]
        var failures: [String: Int] = [:]
        var skipped = 0
        var inFlight = 0
    }

    func run() async throws {
        try await withNodeHTTPClient(connectionsPerHost: min(maxInFlight, 256)) { http in
            let clients = urls.compactMap { url in AztecRPCClient(url: url, httpClient: http).map { (url, $0) } }
            let log = try acks.map { try AckLog(path: $0) }
            let total = Int(duration * rate)
            let interval = Duration.seconds(1 / rate)
            let tally = LockedValue(Tally())
            var rng = SplitMix64(seed: seed)
            let start = ContinuousClock.now
            await withDiscardingTaskGroup { group in
                for k in 0..<total {
                    let due = start + interval * k
                    if due > .now { try? await Task.sleep(until: due, clock: .continuous) }
                    let (url, client) = clients[Int(rng.next() % UInt64(clients.count))]
                    let ssz = synthetic.ssz(using: &rng)
                    let admitted = tally.withLock { t in
                        guard t.inFlight < maxInFlight else { t.skipped += 1; return false }
                        t.inFlight += 1
                        return true
                    }
                    guard admitted else { continue }
                    group.addTask {
                        do {
                            let hash = try await client.sendTransaction(ssz: ssz)
                            log?.append(time: Date(), hash: hash, url: url)
                            tally.withLock { $0.acknowledged[url, default: 0] += 1 }
                        } catch {
                            tally.withLock { $0.failures["\(error)".prefix(120).description, default: 0] += 1 }
                        }
                        tally.withLock { $0.inFlight -= 1 }
                    }
                }
            }
            let seconds = TxLoadCommand.seconds(ContinuousClock.now - start)
            let t = tally.value
            let acknowledged = t.acknowledged.values.reduce(0, +)
            let report: [String: Any] = [
                "planned": total, "acknowledged": acknowledged, "failed": t.failures.values.reduce(0, +), "skipped": t.skipped,
                "failures": t.failures, "acknowledged_by": t.acknowledged, "seconds": seconds, "size": synthetic.size,
                "acknowledged_per_second": Double(acknowledged) / seconds,
            ]
            let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: json, as: UTF8.self))
        }
    }
}
