import ArgumentParser
import DiscV5
import ENR
import Foundation
import LibP2PCore
import P2PCrypto

/// `aztec-p2p enr`: decode and create node records (like go-ethereum's `devp2p enrdump` / `key to-enr`).
struct ENRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enr", abstract: "Decode or create Ethereum node records (ENR).",
        subcommands: [Decode.self, New.self])

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a record's fields as JSON (the signature is checked).")

        @Argument(help: "The record, `enr:…`.")
        var record: String

        func run() throws {
            let decoded: NodeRecord
            do {
                decoded = try NodeRecord(text: record.trimmingCharacters(in: .whitespacesAndNewlines))
            } catch {
                throw ValidationError("invalid record: \(error)")
            }
            print(DiscV5JSON.string(DiscV5JSON.record(decoded)))
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a new record with the key in FILE (created when absent) and print it.")

        @Option(help: "File with the secp256k1 private key as hex (created when absent).")
        var key: String
        @Option(help: "IPv4 address.") var ip: String?
        @Option(help: "UDP (discovery) port.") var udp: UInt16?
        @Option(help: "TCP (libp2p) port.") var tcp: UInt16?
        @Option(name: .customLong("aztec-chain-id"), help: "Aztec chain id (`aztec` entry).") var aztecChainID: UInt64?
        @Option(name: .customLong("eth-chain-id"), help: "Ethereum chain id (`eth` entry).") var ethChainID: UInt64?
        @Option(help: "Sequence number.") var seq: UInt64 = 1

        func run() throws {
            let privateKey = try KeyFile.loadOrCreate(key)
            var builder = NodeRecordBuilder(sequenceNumber: seq)
            if let ip {
                guard let bytes = IPv4Text.parse(ip) else { throw ValidationError("invalid IPv4 address \(ip)") }
                try builder.setIP(bytes)
            }
            if let udp { builder.setUDP(udp) }
            if let tcp { builder.setTCP(tcp) }
            if let aztecChainID { builder.setAztecChainID(aztecChainID) }
            if let ethChainID { builder.setEthereumChainID(ethChainID) }
            print(try builder.signed(with: privateKey).textEncoding)
        }
    }
}

/// A private key kept as hex in a file.
enum KeyFile {
    static func loadOrCreate(_ path: String) throws -> Secp256k1.PrivateKey {
        if FileManager.default.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = DiscV5JSON.hexDecode(text), bytes.count == 32 else {
                throw ValidationError("\(path): expected 64 hex digits")
            }
            return try Secp256k1.PrivateKey(rawRepresentation: bytes)
        }
        var random = SystemRandomNumberGenerator()
        let key = Secp256k1.PrivateKey.generate(using: &random)
        guard FileManager.default.createFile(
            atPath: path, contents: Data((DiscV5JSON.hex(key.rawRepresentation) + "\n").utf8),
            attributes: [.posixPermissions: 0o600])
        else { throw ValidationError("cannot write key file \(path)") }
        return key
    }
}

/// Unbuffered standard output, so a parent process sees each line at once.
enum StandardOutput {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

/// Dotted-quad IPv4 text.
enum IPv4Text {
    static func parse(_ text: String) -> [UInt8]? { IPv4Address(text)?.bytes }

    /// `IP:PORT` (IPv4).
    static func parseEndpoint(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65_535).contains(port), parse(String(text[..<colon])) != nil
        else { return nil }
        return (String(text[..<colon]), port)
    }
}

/// JSON rendering of records and results.
enum DiscV5JSON {
    static func record(_ record: NodeRecord) -> [String: Any] {
        var object: [String: Any] = [
            "enr": record.textEncoding,
            "seq": record.sequenceNumber,
            "id": record.discoveryNodeID.description,
            "secp256k1": hex(record.compressedPublicKey),
            "peerId": record.peerID.description,
            "signature": "valid",
        ]
        if let ip = try? record.ip { object["ip"] = ip.map(String.init).joined(separator: ".") }
        if let ip6 = try? record.ip6 { object["ip6"] = hex(ip6) }
        if let udp = try? record.udp { object["udp"] = udp }
        if let tcp = try? record.tcp { object["tcp"] = tcp }
        if let aztec = try? record.aztecChainID { object["aztec"] = aztec }
        if let eth = try? record.ethereumChainID { object["eth"] = eth }
        let multiaddrs = (try? record.tcpMultiaddrs) ?? []
        object["multiaddrs"] = multiaddrs.map(\.description)
        object["keys"] = record.keys.map { String(decoding: $0, as: UTF8.self) }
        return object
    }

    static func string(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func hexDecode(_ text: String) -> [UInt8]? {
        let digits = Array((text.hasPrefix("0x") ? String(text.dropFirst(2)) : text).utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
