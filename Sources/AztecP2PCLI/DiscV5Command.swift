import ArgumentParser
import DiscV5
import DiscV5NIO
import ENR
import Foundation
import P2PCrypto

/// `aztec-p2p discv5`: talk to discovery nodes (like go-ethereum's `devp2p discv5`).
struct DiscV5Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discv5", abstract: "Discovery v5 requests: ping, findnode, crawl, topic advertise|search.",
        subcommands: [Ping.self, FindNode.self, Crawl.self, DiscV5TopicCommand.self, DiscV5FootprintCommand.self])

    struct Common: ParsableArguments {
        @Option(help: "UDP address to send from, IP:PORT.") var listen: String = "0.0.0.0:0"
        @Option(help: "Private key file (default: a fresh key).") var key: String?

        func start(config: DiscoveryConfig = DiscoveryConfig()) async throws -> DiscoveryService {
            guard let (host, port) = IPv4Text.parseEndpoint(listen) else { throw ValidationError("--listen wants IP:PORT") }
            var random = SystemRandomNumberGenerator()
            let privateKey = try key.map(KeyFile.loadOrCreate) ?? .generate(using: &random)
            return try await DiscoveryService.start(key: privateKey, config: config, host: host, port: port)
        }
    }

    struct Ping: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "PING a node; prints the PONG as JSON.")
        @Argument(help: "The node's ENR.") var record: String
        @OptionGroup var common: Common

        func run() async throws {
            let target = try DiscoveryOptions.record(record)
            let service = try await common.start()
            let started = ContinuousClock.now
            do {
                let pong = try await service.ping(target)
                let elapsed = ContinuousClock.now - started
                print(DiscV5JSON.string([
                    "node": target.discoveryNodeID.description,
                    "enrSeq": pong.enrSeq,
                    "recipientIP": pong.recipientIP.count == 4 ? pong.recipientIP.map(String.init).joined(separator: ".")
                        : DiscV5JSON.hex(pong.recipientIP),
                    "recipientPort": pong.recipientPort,
                    "rttMilliseconds": Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3,
                ] as [String: Any]))
                await service.stop()
            } catch {
                await service.stop()
                throw CommandFailure("ping failed: \(error)")
            }
        }
    }

    struct FindNode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "findnode", abstract: "FINDNODE at a distance; prints the records as a JSON array.")
        @Argument(help: "The node's ENR.") var record: String
        @Option(help: "Log distance (0 = the node's own record; repeatable).") var distance: [UInt16] = [256]
        @OptionGroup var common: Common

        func run() async throws {
            let target = try DiscoveryOptions.record(record)
            guard distance.allSatisfy({ $0 <= 256 }) else { throw ValidationError("distances are 0...256") }
            let service = try await common.start()
            do {
                let records = try await service.findNode(target, distances: distance)
                print(DiscV5JSON.string(records.map(DiscV5JSON.record)))
                await service.stop()
            } catch {
                await service.stop()
                throw CommandFailure("findnode failed: \(error)")
            }
        }
    }

    struct Crawl: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the network from a bootnode; prints each ENR found, one per line.")
        @Option(name: .customLong("bootnode"), help: "A bootnode's ENR (repeatable).") var bootnodes: [String]
        @Option(help: "Seconds to crawl.") var timeout: Double = 10
        @Flag(name: .customLong("no-ip-limits"), help: "Disable the per-subnet table limits (local test networks).")
        var noIPLimits = false
        @OptionGroup var common: Common

        func run() async throws {
            let config = try DiscoveryOptions.config(bootnodes: bootnodes, noIPLimits: noIPLimits)
            let service = try await common.start(config: config)
            let deadline = ContinuousClock.now + .milliseconds(Int64(max(0.1, timeout) * 1_000))
            var seen: Set<NodeRecord> = []
            var asked: Set<NodeRecord> = []
            let own = await service.localRecord.discoveryNodeID
            func report(_ records: [NodeRecord]) {
                for record in records where record.discoveryNodeID != own && seen.insert(record).inserted {
                    StandardOutput.line(record.textEncoding)
                }
            }
            // The bootnodes themselves, then random lookups until the deadline.
            for bootnode in config.bootnodes {
                if (try? await service.findNode(bootnode, distances: [0])) != nil { report([bootnode]) }
            }
            while ContinuousClock.now < deadline {
                report(await service.randomLookup())
                report(await service.knownRecords)
                // Ask every node not yet asked for its table, 8 distances per request from the top.
                for record in seen.subtracting(asked).sorted(by: { $0.textEncoding < $1.textEncoding })
                where ContinuousClock.now < deadline {
                    asked.insert(record)
                    for first in stride(from: 256, to: 224, by: -8) {
                        let distances = (0..<8).map { UInt16(first - $0) }
                        report((try? await service.findNode(record, distances: distances)) ?? [])
                    }
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
            await service.stop()
            guard !seen.isEmpty else { throw ExitCode.failure }
        }
    }
}
