import Foundation
import InteropSupport
import LibP2P
import LibP2PCore

/// One py-libp2p process (scripts/interop/py_peer.py) running a host per configuration, shared
/// by the whole suite so Python starts once. It exits by itself when this process goes away.
actor PyPeers {
    /// A py host's configuration.
    struct Configuration: Hashable, Sendable, CustomStringConvertible {
        var muxer: MuxerProtocol
        var keyType: KeyType

        var argument: String { "\(muxerName):\(keyName)" }
        var muxerName: String { muxer == .yamux ? "yamux" : "mplex" }
        var keyName: String { keyType == .secp256k1 ? "secp256k1" : "ed25519" }
        var description: String { argument }

        static let all: [Configuration] = [
            .init(muxer: .yamux, keyType: .secp256k1), .init(muxer: .yamux, keyType: .ed25519),
            .init(muxer: .mplex, keyType: .secp256k1), .init(muxer: .mplex, keyType: .ed25519),
        ]
    }

    /// A running py host.
    struct Host: Sendable {
        var address: Multiaddr
        var peer: PeerID
    }

    static let shared = PyPeers()

    private var process: ExternalPeer?
    /// The start-up, shared by every caller (the actor is re-entered while it waits).
    private var launch: Task<[Configuration: Host], any Error>?

    /// The py host of `configuration`, starting the process on first use.
    func host(_ configuration: Configuration) async throws -> Host {
        let launch: Task<[Configuration: Host], any Error>
        if let running = self.launch {
            launch = running
        } else {
            let peer = try InteropPeers.launchPython(
                "py_peer.py", Configuration.all.flatMap { ["--host", $0.argument] } + ["--lifetime", "900"])
            process = peer
            launch = Task { try await Self.readHosts(peer) }
            self.launch = launch
        }
        guard let host = try await launch.value[configuration] else {
            throw JSON.Failure.unexpected("no host \(configuration)")
        }
        return host
    }

    private static func readHosts(_ peer: ExternalPeer) async throws -> [Configuration: Host] {
        var hosts: [Configuration: Host] = [:]
        for _ in Configuration.all {
            let line = try await peer.nextLine(timeout: .seconds(120))
            let object = try JSON.object(line)
            guard let listen = (object["listen"] as? [String])?.first, let muxer = object["muxer"] as? String,
                  let key = object["key_type"] as? String,
                  let configuration = Configuration.all.first(where: { $0.muxerName == muxer && $0.keyName == key })
            else { throw JSON.Failure.unexpected(line) }
            let address = try Multiaddr(listen)
            guard let id = address.peerID else { throw JSON.Failure.unexpected(line) }
            hosts[configuration] = Host(address: address, peer: id)
        }
        return hosts
    }

    /// What py's stderr said so far (for failure messages).
    func standardError() -> String { process?.standardError ?? "" }
}

/// Small JSON helpers for the peers' one-object-per-line output.
enum JSON {
    enum Failure: Error, CustomStringConvertible {
        case unexpected(String)
        var description: String {
            switch self { case .unexpected(let line): "unexpected output: \(line)" }
        }
    }

    static func object(_ line: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw Failure.unexpected(line)
        }
        return object
    }

    static func encode(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
