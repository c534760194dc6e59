import ArgumentParser
import LibP2P
import LibP2PCore
import Logging

/// `--key-type secp256k1|ed25519`.
enum KeyTypeOption: String, ExpressibleByArgument, CaseIterable {
    case secp256k1
    case ed25519

    var keyType: KeyType {
        switch self {
        case .secp256k1: .secp256k1
        case .ed25519: .ed25519
        }
    }
}

/// `--muxer yamux|mplex` (repeatable, most preferred first).
enum MuxerOption: String, ExpressibleByArgument, CaseIterable {
    case yamux
    case mplex

    var muxer: MuxerProtocol {
        switch self {
        case .yamux: .yamux
        case .mplex: .mplex
        }
    }

    static func name(of muxer: MuxerProtocol) -> String {
        switch muxer {
        case .yamux: "yamux"
        case .mplex: "mplex"
        }
    }
}

/// Options shared by the libp2p subcommands.
struct LibP2POptions: ParsableArguments {
    @Option(name: .customLong("key-type"), help: "Identity key type: secp256k1 or ed25519.")
    var keyType: KeyTypeOption = .secp256k1

    @Option(name: .customLong("muxer"), help: "Muxer to offer or accept, most preferred first (repeatable; default yamux then mplex).")
    var muxers: [MuxerOption] = []

    @Option(name: .customLong("identify-prefix"), help: "Identify protocol prefix (/ipfs, or /aztec for Aztec nodes).")
    var identifyPrefix: String = "/ipfs"

    @Flag(help: "Log connection events to stderr.")
    var verbose = false

    /// A logger writing to stderr with `--verbose`, silent otherwise (stderr carries only the
    /// one-line failure reason).
    func logger(_ label: String) -> Logger {
        verbose
            ? Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
            : Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    }

    func hostConfiguration(identifyOnConnect: Bool) -> P2PHostConfiguration {
        P2PHostConfiguration(
            muxers: muxers.isEmpty ? [.yamux, .mplex] : muxers.map(\.muxer),
            identifyProtocolPrefix: identifyPrefix, agentVersion: "aztec-p2p/\(VersionCommand.toolVersion)",
            identifyOnConnect: identifyOnConnect)
    }

    func validate() throws {
        guard Set(muxers).count == muxers.count else { throw ValidationError("--muxer given twice") }
    }
}
