import ArgumentParser
import Foundation

/// `aztec-p2p`: the command-line face of the libraries, for operators, debugging and interop.
@main
struct AztecP2PTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aztec-p2p",
        abstract: "The Aztec peer-to-peer network: libp2p connections, GossipSub, discv5 and the Aztec node.",
        subcommands: [
            VersionCommand.self,
            TxCommand.self,
            ENRCommand.self, BootnodeCommand.self, DiscV5Command.self,
            DevnetCommand.self, NodeCommand.self,
            GossipCommand.self, SimulateCommand.self, RelayFloorCommand.self,
            ListenCommand.self, PingCommand.self,
        ])

    static func main() async {
        ParentWatch.startIfRequested()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
