import ArgumentParser

/// `aztec-p2p version`: prints the tool's version and the protocol versions it speaks.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version and the protocols spoken.")

    static let toolVersion = "0.1.0"

    func run() {
        print("aztec-p2p \(Self.toolVersion)")
        print("protocols: /multistream/1.0.0 /noise /yamux/1.0.0 /mplex/6.7.0 /meshsub/1.3.0 /meshsub/1.2.0 /meshsub/1.1.0 discv5.1")
    }
}
