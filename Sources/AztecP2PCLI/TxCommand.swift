import ArgumentParser
import AsyncHTTPClient
import AztecHTTP
import AztecP2P
import Foundation

/// `aztec-p2p tx`: transaction tools.
struct TxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx", abstract: "Aztec transaction tools.",
        subcommands: [TxSendCommand.self, TxLoadCommand.self, TxSoakLoadCommand.self])
}

/// `aztec-p2p tx send --rpc URL [--random --size BYTES | --file F]`: submits a transaction to a
/// node's JSON-RPC the way a PXE would, and prints its hash.
struct TxSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Submit a transaction to a node over JSON-RPC (aztec_sendTransaction).")

    @OptionGroup var tool: TxToolOptions

    @Flag(help: "Send a synthetic transaction with random content (its proof only passes a no-op verifier).")
    var random = false

    @Option(help: "With --random: the random seed (default: from the system generator).")
    var seed: UInt64?

    @Option(help: "With --random: the priority fee per L2 gas.")
    var fee: UInt64 = 1

    @Option(help: "A file holding the transaction's SSZ bytes (raw, or 0x-prefixed hex text).")
    var file: String?

    func validate() throws {
        guard random != (file != nil) else { throw ValidationError("give exactly one of --random or --file") }
    }

    func run() async throws {
        try await withNodeHTTPClient(connectionsPerHost: 1) { http in
            let client = try tool.client(using: http)
            let ssz: [UInt8]
            if let file {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
                let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if text.hasPrefix("0x"), let decoded = HexCoding.decode(text) { ssz = decoded } else { ssz = bytes }
            } else {
                var rng = SplitMix64(seed: seed ?? UInt64.random(in: 0...UInt64.max))
                ssz = tool.syntheticSSZ(priorityFee: UInt128(fee), using: &rng)
            }
            do {
                let hash = try await client.sendTransaction(ssz: ssz)
                print(hash)
            } catch {
                FileHandle.standardError.write(Data("tx send failed: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
