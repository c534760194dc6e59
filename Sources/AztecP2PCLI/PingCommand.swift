import ArgumentParser
import Foundation
import LibP2P
import LibP2PCore
import Logging
import NIOPosix

/// `aztec-p2p ping`: dials a peer, identifies it, pings it, prints one JSON object.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Dial a libp2p peer, run identify and N pings, print one JSON object.",
        discussion: #"Output: {"peer","agent","protocols","listen_addrs","muxer","rtt_ms"}. Exit status 0 on success, 1 with a one-line reason on stderr otherwise."#)

    /// What `ping` prints.
    struct Report: Encodable {
        var peer: String
        var agent: String?
        var protocols: [String]
        var listenAddrs: [String]
        var muxer: String
        var rttMs: [Double]

        enum CodingKeys: String, CodingKey {
            case peer, agent, protocols, muxer
            case listenAddrs = "listen_addrs"
            case rttMs = "rtt_ms"
        }
    }

    @Argument(help: "The peer's multiaddr, e.g. /ip4/127.0.0.1/tcp/4001/p2p/16Uiu2...")
    var address: String

    @Option(help: "Number of pings.")
    var count: Int = 1

    @Option(help: "Seconds allowed for the whole exchange.")
    var timeout: Double = 20

    @OptionGroup var options: LibP2POptions

    func validate() throws {
        guard count >= 1, count <= 10_000 else { throw ValidationError("--count must be 1...10000") }
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be in (0, 3600]") }
    }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let target = try Multiaddr(address)
            let host = try P2PHost(
                identity: try LibP2PIdentity.generate(options.keyType.keyType),
                configuration: options.hostConfiguration(identifyOnConnect: false), group: group,
                logger: options.logger("aztec-p2p.ping"))
            let count = self.count
            let report = try await withThrowingTaskGroup(of: Report.self) { tasks in
                tasks.addTask {
                    let connection = try await host.dial(target)
                    let info = try await host.identify(connection)
                    let rtts = try await host.ping(connection, count: count)
                    await connection.close()
                    return Report(
                        peer: connection.remotePeer?.description ?? "?", agent: info.agentVersion,
                        protocols: info.protocols, listenAddrs: info.listenAddrs.map(\.description),
                        muxer: MuxerOption.name(of: connection.muxer),
                        rttMs: rtts.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 })
                }
                tasks.addTask { [timeout] in
                    try await Task.sleep(for: .seconds(timeout))
                    throw P2PError.requestTimedOut
                }
                defer { tasks.cancelAll() }
                guard let first = try await tasks.next() else { throw P2PError.requestTimedOut }
                return first
            }
            await host.close()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            CLIOutput.line(String(decoding: try encoder.encode(report), as: UTF8.self))
        } catch {
            CLIFailure.report("ping failed: \(error)")
            try? await group.shutdownGracefully()
            throw ExitCode(1)
        }
        try? await group.shutdownGracefully()
    }
}
