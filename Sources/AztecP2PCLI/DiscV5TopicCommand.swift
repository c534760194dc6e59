import ArgumentParser
import DiscV5
import DiscV5NIO
import ENR
import Foundation

/// `aztec-p2p discv5 topic advertise|search TOPIC`: discv5 topic discovery from the command line.
struct DiscV5TopicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topic", abstract: "Topic discovery: advertise a topic, or search its advertisers.",
        subcommands: [Advertise.self, Search.self])

    /// What both subcommands take: the topic, bootnodes, and the local node.
    struct Options: ParsableArguments {
        @Argument(help: "The topic: a name (its SHA-256 is the topic id) or 0x and 64 hex digits.") var topic: String
        @Option(name: .customLong("bootnode"), help: "A bootnode's ENR (repeatable).") var bootnodes: [String]
        @Flag(name: .customLong("no-ip-limits"), help: "Disable the per-subnet table limits (local test networks).")
        var noIPLimits = false
        @OptionGroup var common: DiscV5Command.Common

        var topicID: TopicID {
            get throws {
                guard topic.hasPrefix("0x") else { return TopicID(hashing: topic) }
                guard let bytes = DiscV5JSON.hexDecode(String(topic.dropFirst(2))), let id = TopicID(bytes: bytes) else {
                    throw ValidationError("a topic id is 0x and 64 hex digits")
                }
                return id
            }
        }

        /// A service that is itself a registrar (`ng` in its record), seeded with the bootnodes.
        func start() async throws -> DiscoveryService {
            var config = try DiscoveryOptions.config(bootnodes: bootnodes, noIPLimits: noIPLimits)
            config.topicRegistrar = TopicRegistrarConfig()
            return try await common.start(config: config)
        }
    }

    struct Advertise: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Advertise a topic until interrupted; prints the local ENR, then the placement status as JSON every few seconds.")
        @OptionGroup var options: Options
        @Option(help: "Seconds to advertise (default: until SIGINT or SIGTERM).") var duration: Double?
        @Option(help: "Seconds between status lines.") var every: Double = 5

        func run() async throws {
            let topic = try options.topicID
            guard (0.01...86_400).contains(every), duration.map({ (0.01...31_536_000).contains($0) }) ?? true else {
                throw ValidationError("--every must be in 0.01...86400 seconds, --duration in 0.01...31536000")
            }
            let service = try await options.start()
            StandardOutput.line(await service.localRecord.textEncoding)
            // Join first: placement starts from the routing table.
            _ = await service.randomLookup()
            await service.advertise(topic)
            let reporter = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int64(every * 1_000)))
                    guard !Task.isCancelled, let status = await service.advertisementStatus(of: topic) else { return }
                    StandardOutput.line(DiscV5JSON.string([
                        "topic": topic.description, "placed": status.placed, "pending": status.pending,
                        "admissions": status.admissions, "failures": status.failures, "tableSize": await service.tableCount,
                    ] as [String: Any]))
                }
            }
            if let duration {
                try? await Task.sleep(for: .milliseconds(Int64(duration * 1_000)))
            } else {
                await ShutdownSignals.first()
            }
            reporter.cancel()
            await service.stop()
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search a topic's advertisers; prints each advertiser's ENR once, one per line. Fails if none is found.")
        @OptionGroup var options: Options
        @Option(help: "Seconds to search.") var timeout: Double = 30
        @Option(help: "Stop after this many advertisers.") var count: Int = 30

        func run() async throws {
            let topic = try options.topicID
            guard (0.01...86_400).contains(timeout), (1...4_096).contains(count) else {
                throw ValidationError("--timeout must be in 0.01...86400 seconds, --count in 1...4096")
            }
            let service = try await options.start()
            _ = await service.randomLookup()
            let found = LockedValue(0)
            let searching = Task {
                for await record in service.search(topic, every: .seconds(2), limit: count) {
                    StandardOutput.line(record.textEncoding)
                    if found.withLock({ $0 += 1; return $0 }) >= count { return }
                }
            }
            let timer = Task {
                try? await Task.sleep(for: .milliseconds(Int64(timeout * 1_000)))
                searching.cancel()
            }
            await searching.value
            timer.cancel()
            await service.stop()
            guard found.value > 0 else { throw ExitCode.failure }
        }
    }
}
