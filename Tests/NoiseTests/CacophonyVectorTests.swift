import ConformanceSupport
import Foundation
import Testing
@testable import Noise

/// Runs the Noise test vectors of the `noise` area (cacophony's file and any other file in the
/// same `{"vectors": [...]}` JSON format, such as snow's) through an initiator and a responder
/// HandshakeState: each handshake message byte for byte, the handshake hash when the vector
/// gives one, then the transport messages with the Split() cipher states.
///
/// A vector whose DH, pattern, cipher or hash is not supported here, or which needs a feature
/// this implementation does not have (snow's `hybrid` and `fallback` vectors), is counted as
/// skipped with that reason. A vector marked `"fail": true` must not complete as written.
@Suite struct CacophonyVectorTests {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    private static func bytes(_ value: Any?, _ field: String) throws -> [UInt8]? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String, let decoded = Hex.decode(text) else {
            throw Malformed(description: "\(field) is not hex")
        }
        return decoded
    }

    /// Why `vector` cannot be run by this implementation, or `nil` when it can.
    static func unsupportedReason(_ vector: [String: Any]) -> String? {
        guard let name = vector["protocol_name"] as? String else { return "no protocol_name" }
        if let hybrid = vector["hybrid"], !(hybrid is NSNull) { return "hybrid forward secrecy" }
        if vector["fallback"] as? Bool == true || vector["fallback_pattern"].map({ !($0 is NSNull) }) == true {
            return "fallback (Noise Pipes)"
        }
        let parts = name.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "Noise" else { return "unparsed name \(name)" }
        if parts[2] != "25519" { return "DH \(parts[2])" }
        if HandshakePattern(name: String(parts[1])) == nil { return "pattern \(parts[1])" }
        if NoiseCipher(rawValue: String(parts[3])) == nil { return "cipher \(parts[3])" }
        if NoiseHash(rawValue: String(parts[4])) == nil { return "hash \(parts[4])" }
        return nil
    }

    /// Runs one vector and returns every way the run differs from it; a failing handshake
    /// operation (a tag that does not verify) throws.
    static func run(_ vector: [String: Any]) throws -> [String] {
        let name = vector["protocol_name"] as? String ?? "?"
        let proto = try NoiseProtocol(name: name)
        func keyPair(_ key: String) throws -> NoiseKeyPair? {
            try bytes(vector[key], key).map { try NoiseKeyPair(privateKeyBytes: $0) }
        }
        func psks(_ key: String) throws -> [[UInt8]] {
            guard let list = vector[key] as? [Any] else { return [] }
            return try list.map { try bytes($0, key) ?? [] }
        }
        var initiator = try HandshakeState(
            protocol: proto, initiator: true, prologue: try bytes(vector["init_prologue"], "init_prologue") ?? [],
            localStatic: try keyPair("init_static"), localEphemeral: try keyPair("init_ephemeral"),
            remoteStatic: try bytes(vector["init_remote_static"], "init_remote_static"), psks: try psks("init_psks"))
        var responder = try HandshakeState(
            protocol: proto, initiator: false, prologue: try bytes(vector["resp_prologue"], "resp_prologue") ?? [],
            localStatic: try keyPair("resp_static"), localEphemeral: try keyPair("resp_ephemeral"),
            remoteStatic: try bytes(vector["resp_remote_static"], "resp_remote_static"), psks: try psks("resp_psks"))
        guard let messages = vector["messages"] as? [[String: Any]] else { return ["\(name): no messages"] }
        let handshakeCount = proto.pattern.messages.count
        guard messages.count >= handshakeCount else {
            return ["\(name): \(messages.count) messages, fewer than the \(handshakeCount) of the handshake"]
        }
        var problems: [String] = []
        var transport: (iSend: CipherState, iRecv: CipherState, rRecv: CipherState, rSend: CipherState)?
        for (index, message) in messages.enumerated() {
            guard let payload = try bytes(message["payload"], "payload"),
                  let ciphertext = try bytes(message["ciphertext"], "ciphertext")
            else { throw Malformed(description: "\(name) message \(index): payload or ciphertext missing") }
            let fromInitiator = proto.pattern.isOneWay || index % 2 == 0
            if index < handshakeCount {
                if proto.pattern.messages[index].fromInitiator != fromInitiator {
                    problems.append("\(name) message \(index): sent by the wrong side")
                }
                let written = fromInitiator
                    ? try initiator.writeMessage(payload: payload) : try responder.writeMessage(payload: payload)
                if written != ciphertext { problems.append("\(name) message \(index): ciphertext differs") }
                let read = fromInitiator ? try responder.readMessage(ciphertext) : try initiator.readMessage(ciphertext)
                if read != payload { problems.append("\(name) message \(index): payload differs") }
                if index == handshakeCount - 1 {
                    if !(initiator.isComplete && responder.isComplete) { problems.append("\(name): handshake incomplete") }
                    // Optional: snow's vectors carry no handshake hash.
                    if let hash = try bytes(vector["handshake_hash"], "handshake_hash") {
                        if initiator.handshakeHash != hash { problems.append("\(name): initiator handshake hash") }
                        if responder.handshakeHash != hash { problems.append("\(name): responder handshake hash") }
                    }
                    let i = try initiator.split()
                    let r = try responder.split()
                    transport = (i.initiatorToResponder, i.responderToInitiator, r.initiatorToResponder, r.responderToInitiator)
                }
            } else {
                guard var keys = transport else { return problems + ["\(name): no transport keys"] }
                let (sender, receiver) = fromInitiator ? (keys.iSend, keys.rRecv) : (keys.rSend, keys.iRecv)
                var send = sender
                var receive = receiver
                if try send.encrypt(plaintext: payload) != ciphertext {
                    problems.append("\(name) transport \(index): ciphertext differs")
                }
                if try receive.decrypt(ciphertext: ciphertext) != payload {
                    problems.append("\(name) transport \(index): payload differs")
                }
                if fromInitiator { (keys.iSend, keys.rRecv) = (send, receive) } else { (keys.rSend, keys.iRecv) = (send, receive) }
                transport = keys
            }
        }
        return problems
    }

    /// The family a tally groups a vector under: `cipher_hash` of its name.
    static func family(_ name: String) -> String {
        let parts = name.split(separator: "_")
        return parts.count == 5 ? "\(parts[3])_\(parts[4])" : name
    }

    /// Checks every vector of one `{"vectors": [...]}` document; records an issue for each
    /// difference and returns the counts.
    static func check(document: Any, file: String) throws -> (tally: ConformanceTally, families: [String: Int]) {
        guard let root = document as? [String: Any], let vectors = root["vectors"] as? [[String: Any]] else {
            throw Malformed(description: "\(file) is not {\"vectors\": [...]}")
        }
        var tally = ConformanceTally()
        var families: [String: Int] = [:]
        for vector in vectors {
            let name = vector["protocol_name"] as? String ?? "?"
            if let reason = unsupportedReason(vector) {
                tally.skip(reason)
                continue
            }
            if vector["fail"] as? Bool == true {
                // A vector that must fail: some message differs or is refused.
                let failed = (try? run(vector)).map { !$0.isEmpty } ?? true
                #expect(failed, "\(file): \(name) is marked fail but completed as written")
            } else {
                do {
                    for problem in try run(vector) { Issue.record("\(file): \(problem)") }
                } catch {
                    Issue.record("\(file): \(name): \(error)")
                }
            }
            tally.check()
            families[family(name), default: 0] += 1
        }
        return (tally, families)
    }

    @Test(.enabled(if: ConformanceVectors.shouldRun("noise")))
    func vectorFiles() throws {
        let files = try ConformanceVectors.contents("noise", ".")
        var checked = 0
        for file in files where !file.hasPrefix(".") && !file.lowercased().hasSuffix(".md") {
            let url = try #require(ConformanceVectors.file("noise", file))
            guard let document = try? JSONSerialization.jsonObject(with: Data(contentsOf: url)),
                  (document as? [String: Any])?["vectors"] is [[String: Any]]
            else {
                ConformanceVectors.reportSkipped("noise/\(file)", reason: "not a {\"vectors\": [...]} JSON file")
                continue
            }
            let (tally, families) = try Self.check(document: document, file: file)
            for (family, count) in families.sorted(by: { $0.key < $1.key }) {
                ConformanceVectors.report("noise/\(file)/\(family)", checked: count)
            }
            ConformanceVectors.report("noise/\(file)", tally)
            #expect(tally.checked + tally.skippedCount > 0, "\(file) has no vectors")
            checked += tally.checked
        }
        #expect(checked > 0, "no Noise vector was checked")
    }

    /// The snow-format fixture: no handshake hash, several PSKs, a `fail` vector, and vectors
    /// that must be skipped with their reasons.
    @Test func snowFormatFixture() throws {
        let document = try JSONSerialization.jsonObject(with: Data(SnowFormatFixture.json.utf8))
        let (tally, families) = try Self.check(document: document, file: "snow-format fixture")
        #expect(tally.checked == 3)
        #expect(families == ["ChaChaPoly_SHA256": 2, "AESGCM_SHA512": 1])
        #expect(tally.skipped == ["hash BLAKE2s": 1, "hybrid forward secrecy": 1, "fallback (Noise Pipes)": 1])
        ConformanceVectors.report("noise/snow-format-fixture", tally)
    }

    /// A wrong byte in a vector is found: the checker is not vacuous.
    @Test func alteredVectorIsReported() throws {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(SnowFormatFixture.json.utf8)) as? [String: Any])
        var vector = try #require((root["vectors"] as? [[String: Any]])?.first { $0["fail"] == nil && Self.unsupportedReason($0) == nil })
        #expect(try Self.run(vector).isEmpty)
        // A changed transport payload no longer matches its ciphertext (in both directions).
        var messages = try #require(vector["messages"] as? [[String: Any]])
        let payload = try #require(messages.last?["payload"] as? String)
        messages[messages.count - 1]["payload"] = String(payload.dropLast()) + (payload.hasSuffix("0") ? "1" : "0")
        vector["messages"] = messages
        #expect(try Self.run(vector).count == 2)
        vector["messages"] = root["vectors"].flatMap { ($0 as? [[String: Any]])?.first?["messages"] }
        #expect(try Self.run(vector).isEmpty)
        vector["handshake_hash"] = String(repeating: "00", count: 32)
        #expect(try Self.run(vector).contains { $0.contains("handshake hash") })
    }
}
