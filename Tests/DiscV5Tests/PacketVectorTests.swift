import ConformanceSupport
import DiscV5
import ENR
import Foundation
import P2PCrypto
import Testing
import TestSupport

/// The packets of `discv5_wire_test_vectors.json`: each is decoded with node B's key, its
/// fields compared with `decoded`, its message opened, and the packet re-encoded byte for byte.
/// Handshake packets may carry a record (`decoded.record`, RLP hex; empty or absent when none).
@Suite("discv5 packet vectors")
struct PacketVectorTests {
    /// The differences found while checking one vector.
    struct Problems {
        var list: [String] = []
        mutating func expect(_ condition: Bool, _ what: @autoclosure () -> String) {
            if !condition { list.append(what()) }
        }
    }

    /// The static keys of the vector file, by node id.
    struct Keys {
        var nodeB: Secp256k1.PrivateKey
        var byID: [NodeID: Secp256k1.PrivateKey]
        var nodeBID: NodeID { NodeID(publicKey: nodeB.publicKey) }
    }

    static func keys(_ wire: [String: Any]) throws -> Keys {
        let object = try DiscV5Vectors.object(wire, "keys")
        let nodeA = try DiscV5Vectors.privateKey(object, "node_a_key")
        let nodeB = try DiscV5Vectors.privateKey(object, "node_b_key")
        return Keys(nodeB: nodeB, byID: [NodeID(publicKey: nodeA.publicKey): nodeA, NodeID(publicKey: nodeB.publicKey): nodeB])
    }

    /// An optional hex field: `nil` when absent or null.
    static func optionalHex(_ object: [String: Any], _ key: String) throws -> [UInt8]? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        return try DiscV5Vectors.hex(object, key)
    }

    /// Checks one packet vector and returns every difference. Throws when the packet cannot be
    /// decoded or opened at all.
    static func check(_ vector: [String: Any], keys: Keys) throws -> [String] {
        var problems = Problems()
        let name = vector["name"] as? String ?? "?"
        let inputs = (vector["inputs"] as? [String: Any]) ?? [:]
        let expected = try DiscV5Vectors.object(vector, "decoded")
        let encoded = try DiscV5Vectors.hex(vector, "encoded_packet")
        let maskingIV = try DiscV5Vectors.hex(expected, "masking_iv")
        let local = keys.nodeBID
        if inputs["dest_node_id"] != nil {
            problems.expect(try DiscV5Vectors.nodeID(inputs, "dest_node_id") == local, "\(name): destination is not node B")
        }

        let decoded = try PacketCodec.decode(encoded, local: local)
        problems.expect(decoded.maskingIV == maskingIV, "\(name): masking-iv")
        problems.expect(decoded.header.nonce == (try DiscV5Vectors.hex(expected, "nonce")), "\(name): nonce")
        if let flag = vector["flag"] as? NSNumber {
            problems.expect(UInt64(decoded.header.flag.rawValue) == flag.uint64Value, "\(name): flag")
        }
        problems.expect(decoded.header.authData.encoded == (try DiscV5Vectors.hex(expected, "authdata")), "\(name): authdata")
        problems.expect(decoded.messageCiphertext == (try DiscV5Vectors.hex(expected, "message_ciphertext")), "\(name): ciphertext")

        let reencoded: [UInt8]
        switch decoded.header.authData {
        case .message(let source):
            problems.expect(source == (try DiscV5Vectors.nodeID(expected, "src_id")), "\(name): src-id")
            let key = try DiscV5Vectors.hex(inputs, "read_key")
            let plaintext = try decoded.openMessage(key: key)
            try checkPlaintext(plaintext, expected, inputs, name, &problems)
            reencoded = try PacketCodec.seal(
                header: decoded.header, maskingIV: maskingIV, destination: local, plaintext: plaintext, key: key)
        case .whoAreYou(let challenge):
            if let idNonce = try optionalHex(expected, "id_nonce") ?? optionalHex(inputs, "whoareyou_id_nonce") {
                problems.expect(challenge.idNonce == idNonce, "\(name): id-nonce")
            }
            if let seq = (expected["enr_seq"] ?? inputs["whoareyou_enr_seq"]) as? NSNumber {
                problems.expect(challenge.enrSeq == seq.uint64Value, "\(name): enr-seq")
            }
            if let nonce = try optionalHex(inputs, "whoareyou_request_nonce") {
                problems.expect(decoded.header.nonce == nonce, "\(name): request nonce")
            }
            if let data = try optionalHex(expected, "challenge_data") {
                problems.expect(decoded.challengeData == data, "\(name): challenge-data")
            }
            if let data = try optionalHex(inputs, "whoareyou_challenge_data") {
                problems.expect(decoded.challengeData == data, "\(name): whoareyou.challenge-data")
            }
            reencoded = try PacketCodec.encode(header: decoded.header, maskingIV: maskingIV, destination: local)
        case .handshake(let handshake):
            problems.expect(handshake.source == (try DiscV5Vectors.nodeID(expected, "src_id")), "\(name): src-id")
            problems.expect(handshake.idSignature == (try DiscV5Vectors.hex(expected, "id_signature")), "\(name): id-signature")
            problems.expect(handshake.ephemeralPublicKey == (try DiscV5Vectors.hex(expected, "ephemeral_pubkey")), "\(name): ephemeral key")
            let expectedRecord = try optionalHex(expected, "record") ?? []
            problems.expect(handshake.record == expectedRecord, "\(name): record")
            // The initiator's public key: from the record it carries, else from the key file.
            var initiatorKey = keys.byID[handshake.source]?.publicKey
            if !handshake.record.isEmpty {
                do {
                    let record = try NodeRecord(rlp: handshake.record)
                    problems.expect(NodeID(bytes: record.nodeID) == handshake.source, "\(name): record is not the sender's")
                    if let known = initiatorKey { problems.expect(record.publicKey == known, "\(name): record key") }
                    initiatorKey = record.publicKey
                } catch {
                    problems.list.append("\(name): record does not decode: \(error)")
                }
            }
            let challenge = try DiscV5Vectors.hex(inputs, "whoareyou_challenge_data")
            if let initiatorKey {
                problems.expect(IDSignature.isValid(
                    handshake.idSignature, publicKey: initiatorKey, challengeData: challenge,
                    ephemeralPublicKey: handshake.ephemeralPublicKey, recipient: local), "\(name): id-signature does not verify")
            } else {
                problems.list.append("\(name): no key for the sender \(handshake.source)")
            }
            // Node B's view: derive the keys, decrypt.
            let sessionKeys = try SessionKeys.deriveAsRecipient(
                staticKey: keys.nodeB, ephemeralPublicKey: handshake.ephemeralPublicKey,
                initiator: handshake.source, recipient: local, challengeData: challenge)
            if let readKey = try optionalHex(inputs, "read_key") {
                problems.expect(sessionKeys.initiatorKey == readKey, "\(name): read-key")
            }
            let plaintext = try decoded.openMessage(key: sessionKeys.initiatorKey)
            try checkPlaintext(plaintext, expected, inputs, name, &problems)
            // Node A's view, when the vector gives its ephemeral private key: the same keys, and
            // its own signature (which need not equal the vector's) verifies.
            if inputs["ephemeral_key"] != nil {
                let ephemeral = try DiscV5Vectors.privateKey(inputs, "ephemeral_key")
                problems.expect(ephemeral.publicKey.compressedRepresentation == handshake.ephemeralPublicKey, "\(name): ephemeral key pair")
                let initiatorKeys = try SessionKeys.deriveAsInitiator(
                    ephemeralKey: ephemeral, recipientPublicKey: keys.nodeB.publicKey, initiator: handshake.source,
                    recipient: local, challengeData: challenge)
                problems.expect(initiatorKeys == sessionKeys, "\(name): initiator and recipient keys differ")
                if let staticKey = keys.byID[handshake.source] {
                    let ours = try IDSignature.sign(
                        staticKey: staticKey, challengeData: challenge,
                        ephemeralPublicKey: handshake.ephemeralPublicKey, recipient: local)
                    problems.expect(IDSignature.isValid(
                        ours, publicKey: staticKey.publicKey, challengeData: challenge,
                        ephemeralPublicKey: handshake.ephemeralPublicKey, recipient: local), "\(name): own id-signature")
                }
            }
            let header = PacketHeader(
                nonce: try DiscV5Vectors.hex(expected, "nonce"),
                authData: .handshake(HandshakeAuthData(
                    source: try DiscV5Vectors.nodeID(expected, "src_id"),
                    idSignature: try DiscV5Vectors.hex(expected, "id_signature"),
                    ephemeralPublicKey: try DiscV5Vectors.hex(expected, "ephemeral_pubkey"),
                    record: expectedRecord)))
            reencoded = try PacketCodec.seal(
                header: header, maskingIV: maskingIV, destination: local,
                plaintext: try DiscV5Vectors.hex(expected, "message_plaintext"), key: sessionKeys.initiatorKey)
        }
        problems.expect(reencoded == encoded, "\(name): encoding differs")
        return problems.list
    }

    /// The opened message equals `decoded.message_plaintext`, decodes, re-encodes identically,
    /// and, when the inputs describe a PING (`ping_req_id`, `ping_enr_seq`), is that PING.
    static func checkPlaintext(
        _ plaintext: [UInt8], _ expected: [String: Any], _ inputs: [String: Any], _ name: String, _ problems: inout Problems
    ) throws {
        problems.expect(plaintext == (try DiscV5Vectors.hex(expected, "message_plaintext")), "\(name): plaintext")
        let message = try MessageCodec.decode(plaintext)
        problems.expect(MessageCodec.encode(message) == plaintext, "\(name): message re-encoding")
        if inputs["ping_req_id"] != nil, inputs["ping_enr_seq"] != nil {
            let ping = Message.ping(Ping(
                requestID: try RequestID(try DiscV5Vectors.hex(inputs, "ping_req_id")),
                enrSeq: try DiscV5Vectors.int(inputs, "ping_enr_seq")))
            problems.expect(message == ping, "\(name): not the PING of the inputs")
        }
    }

    @Test(.enabled(if: ConformanceVectors.shouldRun("discv5")))
    func officialPacketVectors() throws {
        let wire = try DiscV5Vectors.wire()
        let keys = try Self.keys(wire)
        let keyObject = try DiscV5Vectors.object(wire, "keys")
        // Node ids, when given, belong to the keys.
        for (id, key) in [("node_a_id", "node_a_key"), ("node_b_id", "node_b_key")] where keyObject[id] != nil {
            #expect(NodeID(publicKey: try DiscV5Vectors.privateKey(keyObject, key).publicKey) == (try DiscV5Vectors.nodeID(keyObject, id)))
        }
        let packets = (wire["packets"] as? [[String: Any]]) ?? []
        var flags: [String: Int] = [:]
        for vector in packets {
            let name = vector["name"] as? String ?? "?"
            do {
                for problem in try Self.check(vector, keys: keys) { Issue.record("\(problem)") }
            } catch {
                Issue.record("\(name): \(error)")
            }
            let record = ((vector["decoded"] as? [String: Any])?["record"] as? String).map { !$0.isEmpty } ?? false
            flags["flag \(vector["flag"] as? Int ?? -1)\(record ? " with record" : "")", default: 0] += 1
        }
        let detail = flags.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        ConformanceVectors.report("discv5/packets", checked: packets.count, detail: "decoded with node B's key and re-encoded byte for byte; \(detail)")
        #expect(packets.count > 0)
    }

    /// A handshake packet carrying a record, built with this package's encoder, passes the same
    /// check; with one changed byte it does not.
    @Test func handshakeWithRecordIsChecked() throws {
        var random = SeededRandom(seed: 23)
        let nodeA = Secp256k1.PrivateKey.generate(using: &random)
        let nodeB = Secp256k1.PrivateKey.generate(using: &random)
        let ephemeral = Secp256k1.PrivateKey.generate(using: &random)
        let a = NodeID(publicKey: nodeA.publicKey)
        let b = NodeID(publicKey: nodeB.publicKey)
        var builder = NodeRecordBuilder(sequenceNumber: 1)
        try builder.setIP([127, 0, 0, 1])
        builder.setUDP(30303)
        let record = try builder.signed(with: nodeA)
        let challenge = [UInt8](repeating: 0, count: 16) + Array("discv5".utf8) + [0, 1, 1] + [UInt8](1...12) + [0, 24]
            + [UInt8](1...16) + [UInt8](repeating: 0, count: 8)
        let maskingIV = [UInt8](repeating: 0x5A, count: 16)
        let nonce = [UInt8](repeating: 0xFF, count: 12)
        let ping = MessageCodec.encode(.ping(Ping(requestID: try RequestID([1]), enrSeq: 1)))
        let signature = try IDSignature.sign(
            staticKey: nodeA, challengeData: challenge, ephemeralPublicKey: ephemeral.publicKey.compressedRepresentation,
            recipient: b)
        let authData = HandshakeAuthData(
            source: a, idSignature: signature, ephemeralPublicKey: ephemeral.publicKey.compressedRepresentation,
            record: record.rlpEncoding)
        let header = PacketHeader(nonce: nonce, authData: .handshake(authData))
        let sessionKeys = try SessionKeys.deriveAsInitiator(
            ephemeralKey: ephemeral, recipientPublicKey: nodeB.publicKey, initiator: a, recipient: b, challengeData: challenge)
        let packet = try PacketCodec.seal(
            header: header, maskingIV: maskingIV, destination: b, plaintext: ping, key: sessionKeys.initiatorKey)
        let decoded = try PacketCodec.decode(packet, local: b)
        let vector: [String: Any] = [
            "name": "handshake with record", "flag": 2,
            "inputs": [
                "src_node_id": Hex.encode(a.bytes), "dest_node_id": Hex.encode(b.bytes), "nonce": Hex.encode(nonce),
                "read_key": Hex.encode(sessionKeys.initiatorKey), "ping_req_id": "01", "ping_enr_seq": 1,
                "whoareyou_challenge_data": Hex.encode(challenge), "ephemeral_key": Hex.encode(ephemeral.rawRepresentation),
                "ephemeral_pubkey": Hex.encode(ephemeral.publicKey.compressedRepresentation),
            ] as [String: Any],
            "encoded_packet": Hex.encode(packet),
            "decoded": [
                "masking_iv": Hex.encode(maskingIV), "nonce": Hex.encode(nonce),
                "authdata": Hex.encode(decoded.header.authData.encoded),
                "message_ciphertext": Hex.encode(decoded.messageCiphertext), "message_plaintext": Hex.encode(ping),
                "src_id": Hex.encode(a.bytes), "id_signature": Hex.encode(signature),
                "ephemeral_pubkey": Hex.encode(ephemeral.publicKey.compressedRepresentation),
                "record": Hex.encode(record.rlpEncoding),
            ] as [String: Any],
        ]
        let keys = Keys(nodeB: nodeB, byID: [a: nodeA, b: nodeB])
        #expect(try Self.check(vector, keys: keys) == [])
        // The record field must match what the packet carries.
        var wrongRecord = vector
        var decodedFields = try #require(vector["decoded"] as? [String: Any])
        decodedFields["record"] = ""
        wrongRecord["decoded"] = decodedFields
        #expect(try Self.check(wrongRecord, keys: keys).contains { $0.contains("record") })
        // A record of another node is refused.
        let other = try NodeRecordBuilder(sequenceNumber: 1).signed(with: nodeB)
        let forged = HandshakeAuthData(
            source: a, idSignature: signature, ephemeralPublicKey: ephemeral.publicKey.compressedRepresentation,
            record: other.rlpEncoding)
        let forgedPacket = try PacketCodec.seal(
            header: PacketHeader(nonce: nonce, authData: .handshake(forged)), maskingIV: maskingIV, destination: b,
            plaintext: ping, key: sessionKeys.initiatorKey)
        var forgedVector = vector
        forgedVector["encoded_packet"] = Hex.encode(forgedPacket)
        #expect(try Self.check(forgedVector, keys: keys).contains { $0.contains("record is not the sender's") })
    }
}
