import ArgumentParser
import AsyncHTTPClient
import AztecHTTP
import AztecP2P
import Foundation

/// `aztec-p2p tx load --rpc URL [--count N] [--concurrency C] [--size BYTES]`: submits N distinct
/// synthetic transactions to one node over JSON-RPC from C concurrent clients, and prints one
/// JSON object with the rate the node accepted them at and the latency of each call.
///
/// Every request body is built before the clock starts, so the figure is the node's (HTTP,
/// decoding, validation, pool, gossip), not this tool's. Each call uses a connection of its own.
struct TxLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Submit many synthetic transactions to a node and report the accepted rate.")

    @OptionGroup var tool: TxToolOptions

    @Option(help: "Transactions to submit (each about twice --size in request bytes, all held in memory).")
    var count = 2_000

    @Option(help: "Calls in flight at once.")
    var concurrency = 16

    @Option(help: "Random seed of the transactions.")
    var seed: UInt64 = 1

    func validate() throws {
        guard count > 0, count <= 100_000 else { throw ValidationError("--count must be in 1...100000") }
        guard concurrency > 0, concurrency <= 1_024 else { throw ValidationError("--concurrency must be in 1...1024") }
    }

    /// What one client saw.
    struct Tally: Sendable {
        var accepted = 0
        var failures: [String: Int] = [:]
        var latencies: [Duration] = []

        mutating func merge(_ other: Tally) {
            accepted += other.accepted
            failures.merge(other.failures, uniquingKeysWith: +)
            latencies += other.latencies
        }
    }

    func run() async throws {
        try await withNodeHTTPClient(connectionsPerHost: concurrency) { http in
            let client = try tool.client(using: http)
            var rng = SplitMix64(seed: seed)
            let bodies = (0..<count).map { index in
                let ssz = tool.syntheticSSZ(using: &rng)
                return Array((#"{"jsonrpc":"2.0","id":\#(index),"method":"node_sendTx","params":["0x"#
                    + HexCoding.encode(ssz) + #""]}"#).utf8)
            }
            let next = LockedValue(0)
            let started = ContinuousClock.now
            let tally = await withTaskGroup(of: Tally.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        var tally = Tally()
                        while true {
                            let index = next.withLock { value in
                                defer { value += 1 }
                                return value
                            }
                            guard index < bodies.count else { return tally }
                            let sent = ContinuousClock.now
                            do {
                                _ = try await client.call(body: bodies[index])
                                tally.accepted += 1
                            } catch {
                                tally.failures["\(error)".prefix(120).description, default: 0] += 1
                            }
                            tally.latencies.append(ContinuousClock.now - sent)
                        }
                    }
                }
                var total = Tally()
                for await part in group { total.merge(part) }
                return total
            }
            let seconds = Self.seconds(ContinuousClock.now - started)
            let sorted = tally.latencies.sorted()
            func percentile(_ p: Double) -> Double {
                sorted.isEmpty ? 0 : Self.seconds(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) * 1000
            }
            let report: [String: Any] = [
                "sent": count, "accepted": tally.accepted, "failures": tally.failures, "concurrency": concurrency,
                "size": tool.size, "seconds": seconds, "accepted_per_second": Double(tally.accepted) / seconds,
                "latency_ms": ["p50": percentile(0.5), "p95": percentile(0.95), "p99": percentile(0.99)],
            ]
            let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: json, as: UTF8.self))
            if tally.accepted < count { throw ExitCode(1) }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
