import ArgumentParser
import Dispatch
import Foundation
import LibP2P
import LibP2PCore
import Logging
import NIOPosix

/// `aztec-p2p listen`: a libp2p node serving identify, ping and the interop test protocols.
struct ListenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Listen for libp2p connections (Noise, yamux/mplex) serving identify, ping, /interop/echo and /interop/sha256.",
        discussion: "The first line on stdout is the full multiaddr, ending in /p2p/<peer id>. Runs until SIGINT or SIGTERM.")

    @Option(name: .customLong("listen"), help: "TCP multiaddr to listen on (repeatable), e.g. /ip4/127.0.0.1/tcp/0.")
    var listenAddresses: [String] = ["/ip4/127.0.0.1/tcp/0"]

    @OptionGroup var options: LibP2POptions

    func run() async throws {
        let addresses: [Multiaddr]
        do { addresses = try listenAddresses.map { try Multiaddr($0) } } catch {
            throw ValidationError("invalid multiaddr: \(error)")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let host: P2PHost
        do {
            host = try P2PHost(
                identity: try LibP2PIdentity.generate(options.keyType.keyType),
                configuration: options.hostConfiguration(identifyOnConnect: true), group: group,
                handlers: InteropProtocols.handlers, logger: options.logger("aztec-p2p.listen"))
            for address in addresses {
                let full = try await host.listen(address)
                CLIOutput.line(full.description)
            }
        } catch {
            CLIFailure.report("listen failed: \(error)")
            try? await group.shutdownGracefully()
            throw ExitCode(1)
        }
        await Self.waitForTermination()
        await host.close()
        try? await group.shutdownGracefully()
    }

    /// Returns on SIGINT or SIGTERM.
    static func waitForTermination() async {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            sources.append(source)
        }
        for await _ in stream { break }
        for source in sources { source.cancel() }
    }
}

/// Unbuffered standard output (a test reading our first line must not wait for a buffer).
enum CLIOutput {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

/// One-line failure reports on stderr.
enum CLIFailure {
    static func report(_ reason: String) {
        let line = reason.replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data(("error: " + line + "\n").utf8))
    }
}
