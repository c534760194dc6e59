import ArgumentParser
import DiscV5
import DiscV5NIO
import ENR
import Foundation
import ServiceLifecycle

/// `aztec-p2p bootnode`: a discovery-only node. Prints its record on the first line of stdout
/// and serves until SIGINT or SIGTERM.
struct BootnodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootnode", abstract: "Serve discv5 as a bootnode; the first stdout line is its ENR.")

    @Option(help: "UDP address to listen on, IP:PORT.") var listen: String = "0.0.0.0:9000"
    @Option(help: "File with the secp256k1 private key as hex (created when absent).") var key: String
    @Option(help: "IPv4 address to announce (default: the listen address).") var announce: String?
    @Option(name: .customLong("aztec-chain-id"), help: "Aztec chain id to announce.") var aztecChainID: UInt64?
    @Option(name: .customLong("eth-chain-id"), help: "Ethereum chain id to announce.") var ethChainID: UInt64?
    @Option(name: .customLong("bootnode"), help: "Another bootnode's ENR (repeatable).") var bootnodes: [String] = []
    @Option(name: .customLong("nodes-file"), help: "Known-nodes file: read at start, written at exit.") var nodesFile: String?
    @Flag(name: .customLong("no-ip-limits"), help: "Disable the per-subnet table limits (local test networks).")
    var noIPLimits = false
    @Flag(name: .customLong("no-topic-registrar"), help: "Do not act as a topic-discovery registrar (no ng in the ENR).")
    var noTopicRegistrar = false

    func run() async throws {
        guard let (host, port) = IPv4Text.parseEndpoint(listen) else { throw ValidationError("--listen wants IP:PORT") }
        var config = try DiscoveryOptions.config(bootnodes: bootnodes, noIPLimits: noIPLimits)
        if !noTopicRegistrar { config.topicRegistrar = TopicRegistrarConfig() }
        var template = NodeRecordBuilder()
        if let aztecChainID { template.setAztecChainID(aztecChainID) }
        if let ethChainID { template.setEthereumChainID(ethChainID) }
        var announceIP: [UInt8]?
        if let announce {
            guard let ip = IPv4Text.parse(announce) else { throw ValidationError("--announce wants an IPv4 address") }
            announceIP = ip
        } else if host == "0.0.0.0" {
            // A wildcard bind: start from loopback; PONG votes correct it once peers answer.
            announceIP = [127, 0, 0, 1]
        }
        let seeds = nodesFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }.map(KnownNodesFile.decode) ?? []
        let serving = ClosureService { [config, template, announceIP] in
            let service = try await DiscoveryService.start(
                key: try KeyFile.loadOrCreate(key), template: template, config: config, host: host, port: port,
                announceIP: announceIP, seeds: seeds)
            StandardOutput.line(await service.localRecord.textEncoding)
            let banLog = Task {
                // One stderr line per node the core bans (a node that misbehaved in its own session).
                for await ban in service.bans {
                    FileHandle.standardError.write(Data(
                        "discovery banned node \(ban.nodeID) at \(ban.endpoint): \(ban.reason) (\(ban.offences) offences)\n".utf8))
                }
            }
            defer { banLog.cancel() }
            try? await gracefulShutdown()
            if let nodesFile {
                try? KnownNodesFile.encode(await service.knownRecords).write(toFile: nodesFile, atomically: true, encoding: .utf8)
            }
            await service.stop()
        }
        try await ShutdownSignals.run([serving], label: "aztec-p2p.bootnode")
    }
}

/// Options shared by the discovery commands.
enum DiscoveryOptions {
    static func config(bootnodes: [String], noIPLimits: Bool) throws -> DiscoveryConfig {
        var config = DiscoveryConfig()
        config.bootnodes = try bootnodes.map { text in
            do {
                return try NodeRecord(text: text)
            } catch {
                throw ValidationError("invalid bootnode record: \(error)")
            }
        }
        if noIPLimits {
            config.table.maximumPerSubnetInBucket = nil
            config.table.maximumPerSubnetInTable = nil
        }
        return config
    }

    static func record(_ text: String) throws -> NodeRecord {
        do {
            return try NodeRecord(text: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw ValidationError("invalid record: \(error)")
        }
    }
}
