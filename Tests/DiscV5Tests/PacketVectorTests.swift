import ConformanceSupport
import DiscV5
import P2PCrypto
import Testing

@Suite("discv5 packet vectors")
struct PacketVectorTests {
    @Test(.enabled(if: ConformanceVectors.shouldRun("discv5")))
    func officialPacketVectors() throws {
        let wire = try DiscV5Vectors.wire()
        let keys = try DiscV5Vectors.object(wire, "keys")
        let nodeAKey = try DiscV5Vectors.privateKey(keys, "node_a_key")
        let nodeBKey = try DiscV5Vectors.privateKey(keys, "node_b_key")
        let nodeB = NodeID(publicKey: nodeBKey.publicKey)
        #expect(nodeB == (try DiscV5Vectors.nodeID(keys, "node_b_id")))
        #expect(NodeID(publicKey: nodeAKey.publicKey) == (try DiscV5Vectors.nodeID(keys, "node_a_id")))
        let packets = try #require(wire["packets"] as? [[String: Any]])
        #expect(packets.count == 3)

        var checked = 0
        for vector in packets {
            let name = vector["name"] as? String ?? "?"
            let inputs = try DiscV5Vectors.object(vector, "inputs")
            let expected = try DiscV5Vectors.object(vector, "decoded")
            let encoded = try DiscV5Vectors.hex(vector, "encoded_packet")
            let maskingIV = try DiscV5Vectors.hex(expected, "masking_iv")
            let destination = try DiscV5Vectors.nodeID(inputs, "dest_node_id")
            #expect(destination == nodeB)

            // Decode with node B's id.
            let decoded = try PacketCodec.decode(encoded, local: nodeB)
            #expect(decoded.maskingIV == maskingIV, "\(name)")
            #expect(decoded.header.nonce == (try DiscV5Vectors.hex(expected, "nonce")), "\(name)")
            #expect(decoded.header.flag.rawValue == UInt8(try DiscV5Vectors.int(vector, "flag")), "\(name)")
            #expect(decoded.header.authData.encoded == (try DiscV5Vectors.hex(expected, "authdata")), "\(name)")
            #expect(decoded.messageCiphertext == (try DiscV5Vectors.hex(expected, "message_ciphertext")), "\(name)")

            let reencoded: [UInt8]
            switch decoded.header.authData {
            case .message(let source):
                #expect(source == (try DiscV5Vectors.nodeID(expected, "src_id")))
                let key = try DiscV5Vectors.hex(inputs, "read_key")
                let plaintext = try decoded.openMessage(key: key)
                #expect(plaintext == (try DiscV5Vectors.hex(expected, "message_plaintext")))
                try expectPing(plaintext, inputs)
                reencoded = try PacketCodec.seal(
                    header: decoded.header, maskingIV: maskingIV, destination: destination,
                    plaintext: try pingPlaintext(inputs), key: key)
            case .whoAreYou(let challenge):
                #expect(challenge.idNonce == (try DiscV5Vectors.hex(inputs, "whoareyou_id_nonce")))
                #expect(challenge.enrSeq == (try DiscV5Vectors.int(inputs, "whoareyou_enr_seq")))
                #expect(decoded.header.nonce == (try DiscV5Vectors.hex(inputs, "whoareyou_request_nonce")))
                #expect(decoded.challengeData == (try DiscV5Vectors.hex(expected, "challenge_data")))
                #expect(decoded.challengeData == (try DiscV5Vectors.hex(inputs, "whoareyou_challenge_data")))
                let header = PacketHeader(
                    nonce: try DiscV5Vectors.hex(inputs, "whoareyou_request_nonce"),
                    authData: .whoAreYou(WhoAreYouAuthData(
                        idNonce: try DiscV5Vectors.hex(inputs, "whoareyou_id_nonce"),
                        enrSeq: try DiscV5Vectors.int(inputs, "whoareyou_enr_seq"))))
                reencoded = try PacketCodec.encode(header: header, maskingIV: maskingIV, destination: destination)
            case .handshake(let handshake):
                let source = try DiscV5Vectors.nodeID(inputs, "src_node_id")
                let challenge = try DiscV5Vectors.hex(inputs, "whoareyou_challenge_data")
                #expect(handshake.source == source)
                #expect(handshake.idSignature == (try DiscV5Vectors.hex(expected, "id_signature")))
                #expect(handshake.ephemeralPublicKey == (try DiscV5Vectors.hex(inputs, "ephemeral_pubkey")))
                #expect(handshake.record == (try DiscV5Vectors.hex(expected, "record")))
                // Node B's view: verify the signature, derive the keys, decrypt.
                #expect(IDSignature.isValid(
                    handshake.idSignature, publicKey: nodeAKey.publicKey, challengeData: challenge,
                    ephemeralPublicKey: handshake.ephemeralPublicKey, recipient: nodeB))
                let sessionKeys = try SessionKeys.deriveAsRecipient(
                    staticKey: nodeBKey, ephemeralPublicKey: handshake.ephemeralPublicKey,
                    initiator: handshake.source, recipient: nodeB, challengeData: challenge)
                #expect(sessionKeys.initiatorKey == (try DiscV5Vectors.hex(inputs, "read_key")))
                let plaintext = try decoded.openMessage(key: sessionKeys.initiatorKey)
                #expect(plaintext == (try DiscV5Vectors.hex(expected, "message_plaintext")))
                try expectPing(plaintext, inputs)
                // Node A's view: build the same packet from the inputs.
                let ephemeral = try DiscV5Vectors.privateKey(inputs, "ephemeral_key")
                #expect(ephemeral.publicKey.compressedRepresentation == handshake.ephemeralPublicKey)
                let signature = try IDSignature.sign(
                    staticKey: nodeAKey, challengeData: challenge,
                    ephemeralPublicKey: ephemeral.publicKey.compressedRepresentation, recipient: destination)
                let header = PacketHeader(
                    nonce: try DiscV5Vectors.hex(inputs, "nonce"),
                    authData: .handshake(HandshakeAuthData(
                        source: source, idSignature: signature,
                        ephemeralPublicKey: ephemeral.publicKey.compressedRepresentation)))
                let initiatorKeys = try SessionKeys.deriveAsInitiator(
                    ephemeralKey: ephemeral, recipientPublicKey: nodeBKey.publicKey, initiator: source,
                    recipient: destination, challengeData: challenge)
                reencoded = try PacketCodec.seal(
                    header: header, maskingIV: maskingIV, destination: destination,
                    plaintext: try pingPlaintext(inputs), key: initiatorKeys.initiatorKey)
            }
            #expect(reencoded == encoded, "\(name): encoding differs")
            checked += 1
        }
        ConformanceVectors.report("discv5/packets", checked: checked, detail: "decoded with node B's key and re-encoded byte for byte")
        #expect(checked == 3)
    }

    private func pingPlaintext(_ inputs: [String: Any]) throws -> [UInt8] {
        MessageCodec.encode(.ping(Ping(
            requestID: try RequestID(try DiscV5Vectors.hex(inputs, "ping_req_id")),
            enrSeq: try DiscV5Vectors.int(inputs, "ping_enr_seq"))))
    }

    private func expectPing(_ plaintext: [UInt8], _ inputs: [String: Any]) throws {
        let message = try MessageCodec.decode(plaintext)
        #expect(message == .ping(Ping(
            requestID: try RequestID(try DiscV5Vectors.hex(inputs, "ping_req_id")),
            enrSeq: try DiscV5Vectors.int(inputs, "ping_enr_seq"))))
    }
}
