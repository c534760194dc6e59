import ConformanceSupport
import Testing
@testable import Noise

/// Runs every Noise_*_25519_{ChaChaPoly,AESGCM}_{SHA256,SHA512} vector of cacophony.txt through
/// an initiator and a responder HandshakeState: each handshake message byte for byte, the
/// handshake hash, then the transport messages with the Split() cipher states.
@Suite struct CacophonyVectorTests {
    struct Outcome {
        var checked: [String: Int] = [:]
        var skipped: [String: Int] = [:]
    }

    private static func bytes(_ value: Any?) throws -> [UInt8]? {
        guard let value else { return nil }
        let text = try #require(value as? String)
        let decoded: [UInt8] = try #require(Hex.decode(text))
        return decoded
    }

    private static func run(_ vector: [String: Any]) throws {
        let name = try #require(vector["protocol_name"] as? String)
        let proto = try NoiseProtocol(name: name)
        func keyPair(_ key: String) throws -> NoiseKeyPair? {
            try bytes(vector[key]).map { try NoiseKeyPair(privateKeyBytes: $0) }
        }
        func psks(_ key: String) throws -> [[UInt8]] {
            guard let list = vector[key] as? [String] else { return [] }
            return try list.map { (text: String) throws -> [UInt8] in try #require(Hex.decode(text)) }
        }
        var initiator = try HandshakeState(
            protocol: proto, initiator: true, prologue: try bytes(vector["init_prologue"]) ?? [],
            localStatic: try keyPair("init_static"), localEphemeral: try keyPair("init_ephemeral"),
            remoteStatic: try bytes(vector["init_remote_static"]), psks: try psks("init_psks"))
        var responder = try HandshakeState(
            protocol: proto, initiator: false, prologue: try bytes(vector["resp_prologue"]) ?? [],
            localStatic: try keyPair("resp_static"), localEphemeral: try keyPair("resp_ephemeral"),
            remoteStatic: try bytes(vector["resp_remote_static"]), psks: try psks("resp_psks"))
        let messages = try #require(vector["messages"] as? [[String: Any]])
        let handshakeCount = proto.pattern.messages.count
        #expect(messages.count > handshakeCount, "\(name)")
        var transport: (CipherState, CipherState, CipherState, CipherState)?
        for (index, message) in messages.enumerated() {
            let payload = try #require(try bytes(message["payload"]))
            let ciphertext = try #require(try bytes(message["ciphertext"]))
            let fromInitiator = proto.pattern.isOneWay || index % 2 == 0
            if index < handshakeCount {
                #expect(proto.pattern.messages[index].fromInitiator == fromInitiator)
                let written = fromInitiator
                    ? try initiator.writeMessage(payload: payload) : try responder.writeMessage(payload: payload)
                #expect(written == ciphertext, "\(name) message \(index)")
                let read = fromInitiator ? try responder.readMessage(written) : try initiator.readMessage(written)
                #expect(read == payload, "\(name) message \(index)")
                if index == handshakeCount - 1 {
                    #expect(initiator.isComplete && responder.isComplete)
                    let hash = try #require(try bytes(vector["handshake_hash"]))
                    #expect(initiator.handshakeHash == hash, "\(name) handshake hash")
                    #expect(responder.handshakeHash == hash, "\(name) handshake hash")
                    let i = try initiator.split()
                    let r = try responder.split()
                    transport = (i.initiatorToResponder, i.responderToInitiator, r.initiatorToResponder, r.responderToInitiator)
                }
            } else {
                guard var (iSend, iRecv, rRecv, rSend) = transport else {
                    Issue.record("\(name): no transport keys")
                    return
                }
                if fromInitiator {
                    #expect(try iSend.encrypt(plaintext: payload) == ciphertext, "\(name) transport \(index)")
                    #expect(try rRecv.decrypt(ciphertext: ciphertext) == payload, "\(name) transport \(index)")
                } else {
                    #expect(try rSend.encrypt(plaintext: payload) == ciphertext, "\(name) transport \(index)")
                    #expect(try iRecv.decrypt(ciphertext: ciphertext) == payload, "\(name) transport \(index)")
                }
                transport = (iSend, iRecv, rRecv, rSend)
            }
        }
    }

    @Test(.enabled(if: ConformanceVectors.shouldRun("noise")))
    func cacophonyVectors() throws {
        let root = try #require(try ConformanceVectors.json("noise", "cacophony.txt") as? [String: Any])
        let vectors = try #require(root["vectors"] as? [[String: Any]])
        #expect(vectors.count > 0)
        var checked: [String: Int] = [:]
        var skipped: [String: Int] = [:]
        var sawMandatory = false
        for vector in vectors {
            let name = try #require(vector["protocol_name"] as? String)
            let parts = name.split(separator: "_")
            let family = parts.count == 5 ? "\(parts[3])_\(parts[4])" : name
            guard (try? NoiseProtocol(name: name)) != nil else {
                let reason = name.contains("BLAKE2") ? "BLAKE2" : "unsupported"
                skipped["\(reason) \(family)", default: 0] += 1
                continue
            }
            try Self.run(vector)
            checked[family, default: 0] += 1
            if name == "Noise_XX_25519_ChaChaPoly_SHA256" { sawMandatory = true }
        }
        #expect(sawMandatory)
        #expect(checked.values.reduce(0, +) > 0)
        for (family, count) in checked.sorted(by: { $0.key < $1.key }) {
            ConformanceVectors.report("noise/\(family)", checked: count)
        }
        let skippedDetail = skipped.sorted(by: { $0.key < $1.key }).map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        print("conformance noise: skipped \(skipped.values.reduce(0, +)) vectors (\(skippedDetail))")
        // Only BLAKE2 vectors may be skipped: every pattern in the file is supported.
        #expect(skipped.keys.allSatisfy { $0.hasPrefix("BLAKE2") })
    }
}
