import Foundation
import LibP2P
import LibP2PCore
import NIOCore
import NIOPosix
import Noise

/// Holds many idle libp2p connections (TCP + Noise + yamux or mplex) for
/// `scripts/idle_connections.sh`, which reads the resident memory of both processes.
///
/// - `IdleConnections listen [yamux|mplex]`: prints `port <n>`, then serves until killed.
/// - `IdleConnections dial <port> <count> [yamux|mplex]`: prints `rss-before <kB>`, dials
///   `count` connections one after another, prints `rss-after <kB>` and `ready <count>`, then
///   holds them until killed (or until stdin closes).
@main
enum IdleConnections {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let mode = arguments.first else { usage() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        switch mode {
        case "listen":
            let muxer = try muxerArgument(arguments.dropFirst().first)
            let transport = try makeTransport(seed: 2, muxer: muxer, group: group)
            let listener = try await transport.listen(host: "127.0.0.1", port: 0)
            emit("port \(listener.localPort)")
            var held: [P2PConnection] = []
            for await connection in listener.connections { held.append(connection) }
        case "dial":
            guard arguments.count >= 3, let port = Int(arguments[1]), let count = Int(arguments[2]) else { usage() }
            let muxer = try muxerArgument(arguments.dropFirst(3).first)
            let transport = try makeTransport(seed: 1, muxer: muxer, group: group)
            emit("rss-before \(residentKilobytes())")
            var held: [P2PConnection] = []
            held.reserveCapacity(count)
            for _ in 0..<count { held.append(try await transport.dial(host: "127.0.0.1", port: port)) }
            // Let the initial muxer traffic settle before measuring.
            try await Task.sleep(for: .seconds(1))
            emit("rss-after \(residentKilobytes())")
            emit("ready \(held.count)")
            while readLine() != nil {}
            withExtendedLifetime(held) {}
        default:
            usage()
        }
    }

    /// Writes one line to stdout at once (unbuffered: the script polls for it).
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("usage: IdleConnections listen [yamux|mplex] | dial <port> <count> [yamux|mplex]\n".utf8))
        exit(2)
    }

    static func muxerArgument(_ text: String?) throws -> MuxerProtocol {
        switch text {
        case nil, "yamux": .yamux
        case "mplex": .mplex
        default: usage()
        }
    }

    static func makeTransport(seed: UInt64, muxer: MuxerProtocol, group: any EventLoopGroup) throws -> TCPTransport {
        var rng = SeededRNG(state: seed)
        let identity = Identity(key: PrivateKey.generateSecp256k1(using: &rng))
        let noise = NoiseHandshake.Configuration(
            identity: identity, verifier: identity, staticKey: try NoiseKeyPair.generate(using: &rng))
        return try TCPTransport(group: group, upgrade: ConnectionUpgradeConfiguration(noise: noise, muxers: [muxer]))
    }

    /// VmRSS of this process, in kB (Linux).
    static func residentKilobytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
        }
        return -1
    }
}

/// A secp256k1 identity signing and verifying Noise static keys.
struct Identity: NoiseIdentitySigner, NoiseIdentityVerifier {
    let key: PrivateKey
    var identityKeyProtobuf: [UInt8] { key.publicKey.protobufEncoded }
    func sign(_ message: [UInt8]) -> [UInt8]? { try? key.signature(for: message) }
    func verify(identityKey: [UInt8], signature: [UInt8], message: [UInt8]) -> [UInt8]? {
        guard let remote = try? PublicKey(protobuf: identityKey), remote.isValidSignature(signature, for: message)
        else { return nil }
        return remote.peerID.multihashBytes
    }
}

struct SeededRNG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
