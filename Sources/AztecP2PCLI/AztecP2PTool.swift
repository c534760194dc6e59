import ArgumentParser

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
            GossipCommand.self,
            ListenCommand.self, PingCommand.self,
        ])
}
