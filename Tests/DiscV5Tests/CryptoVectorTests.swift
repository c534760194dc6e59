import ConformanceSupport
import DiscV5
import P2PCrypto
import Testing
import TestSupport

@Suite("discv5 crypto primitives")
struct CryptoVectorTests {
    /// The `crypto` primitives (each of `ecdh`, `key_derivation`, `encryption` when present) and,
    /// for every handshake packet, the id-nonce signature and the read key from its inputs.
    @Test(.enabled(if: ConformanceVectors.shouldRun("discv5")))
    func officialCryptoVectors() throws {
        let wire = try DiscV5Vectors.wire()
        let crypto = (wire["crypto"] as? [String: Any]) ?? [:]
        var tally = ConformanceTally()

        if let ecdh = crypto["ecdh"] as? [String: Any] {
            let secretKey = try DiscV5Vectors.privateKey(ecdh, "secret_key")
            let publicKey = try Secp256k1.PublicKey(sec1: try DiscV5Vectors.hex(ecdh, "public_key"))
            #expect(try secretKey.sharedSecret(with: publicKey) == (try DiscV5Vectors.hex(ecdh, "shared_secret")))
            tally.check()
        } else {
            tally.skip("no crypto.ecdh")
        }

        if let kdf = crypto["key_derivation"] as? [String: Any] {
            let ephemeral = try DiscV5Vectors.privateKey(kdf, "ephemeral_key")
            let destination = try Secp256k1.PublicKey(sec1: try DiscV5Vectors.hex(kdf, "dest_pubkey"))
            let keys = try SessionKeys.deriveAsInitiator(
                ephemeralKey: ephemeral, recipientPublicKey: destination,
                initiator: try DiscV5Vectors.nodeID(kdf, "node_id_a"), recipient: try DiscV5Vectors.nodeID(kdf, "node_id_b"),
                challengeData: try DiscV5Vectors.hex(kdf, "challenge_data"))
            #expect(keys.initiatorKey == (try DiscV5Vectors.hex(kdf, "initiator_key")))
            #expect(keys.recipientKey == (try DiscV5Vectors.hex(kdf, "recipient_key")))
            tally.check()
        } else {
            tally.skip("no crypto.key_derivation")
        }

        if let gcm = crypto["encryption"] as? [String: Any] {
            let key = try DiscV5Vectors.hex(gcm, "encryption_key")
            let nonce = try DiscV5Vectors.hex(gcm, "nonce")
            let ad = try DiscV5Vectors.hex(gcm, "ad")
            let expected = try DiscV5Vectors.hex(gcm, "message_ciphertext")
            let plaintext = try DiscV5Vectors.hex(gcm, "pt")
            #expect(try MessageCipher.seal(plaintext, key: key, nonce: nonce, authenticating: ad) == expected)
            #expect(try MessageCipher.open(expected, key: key, nonce: nonce, authenticating: ad) == plaintext)
            tally.check()
        } else {
            tally.skip("no crypto.encryption")
        }

        // Every handshake packet: the initiator's id-nonce signature over node B's challenge
        // verifies, one made here with the same key verifies too (ECDSA signatures need not be
        // equal byte for byte), and the ephemeral key derives the read key.
        let keysObject = try DiscV5Vectors.object(wire, "keys")
        let nodeKeys = try [DiscV5Vectors.privateKey(keysObject, "node_a_key"), DiscV5Vectors.privateKey(keysObject, "node_b_key")]
        let nodeBKey = nodeKeys[1]
        let packets = (wire["packets"] as? [[String: Any]]) ?? []
        for handshake in packets where (handshake["flag"] as? Int) == 2 {
            let name = handshake["name"] as? String ?? "?"
            let inputs = try DiscV5Vectors.object(handshake, "inputs")
            let decoded = try DiscV5Vectors.object(handshake, "decoded")
            let source = try DiscV5Vectors.nodeID(inputs, "src_node_id")
            guard let staticKey = nodeKeys.first(where: { NodeID(publicKey: $0.publicKey) == source }) else {
                tally.skip("handshake from a node without a key in the file")
                continue
            }
            let challenge = try DiscV5Vectors.hex(inputs, "whoareyou_challenge_data")
            let ephemeralPublic = try DiscV5Vectors.hex(inputs, "ephemeral_pubkey")
            let nodeB = try DiscV5Vectors.nodeID(inputs, "dest_node_id")
            #expect(IDSignature.isValid(
                try DiscV5Vectors.hex(decoded, "id_signature"), publicKey: staticKey.publicKey, challengeData: challenge,
                ephemeralPublicKey: ephemeralPublic, recipient: nodeB), "\(name)")
            let signature = try IDSignature.sign(
                staticKey: staticKey, challengeData: challenge, ephemeralPublicKey: ephemeralPublic, recipient: nodeB)
            #expect(IDSignature.isValid(
                signature, publicKey: staticKey.publicKey, challengeData: challenge, ephemeralPublicKey: ephemeralPublic,
                recipient: nodeB), "\(name)")
            if inputs["ephemeral_key"] != nil, inputs["read_key"] != nil {
                let derived = try SessionKeys.deriveAsInitiator(
                    ephemeralKey: try DiscV5Vectors.privateKey(inputs, "ephemeral_key"), recipientPublicKey: nodeBKey.publicKey,
                    initiator: source, recipient: nodeB, challengeData: challenge)
                #expect(derived.initiatorKey == (try DiscV5Vectors.hex(inputs, "read_key")), "\(name)")
            }
            tally.check()
        }

        ConformanceVectors.report("discv5/crypto", tally, detail: "ecdh, kdf, aes-gcm, then id-signature and keys per handshake packet")
        #expect(tally.checked > 0)
    }

    @Test func idSignatureRejectsTampering() throws {
        var generator = SeededRandom(seed: 7)
        let key = Secp256k1.PrivateKey.generate(using: &generator)
        let other = Secp256k1.PrivateKey.generate(using: &generator)
        let challenge = (0..<63).map { UInt8($0) }
        let ephemeral = Secp256k1.PrivateKey.generate(using: &generator).publicKey.compressedRepresentation
        let recipient = NodeID(publicKey: other.publicKey)
        let signature = try IDSignature.sign(
            staticKey: key, challengeData: challenge, ephemeralPublicKey: ephemeral, recipient: recipient)
        #expect(IDSignature.isValid(signature, publicKey: key.publicKey, challengeData: challenge,
                                    ephemeralPublicKey: ephemeral, recipient: recipient))
        #expect(!IDSignature.isValid(signature, publicKey: other.publicKey, challengeData: challenge,
                                     ephemeralPublicKey: ephemeral, recipient: recipient))
        var changedChallenge = challenge
        changedChallenge[20] ^= 1
        #expect(!IDSignature.isValid(signature, publicKey: key.publicKey, challengeData: changedChallenge,
                                     ephemeralPublicKey: ephemeral, recipient: recipient))
        #expect(!IDSignature.isValid(signature, publicKey: key.publicKey, challengeData: challenge,
                                     ephemeralPublicKey: ephemeral, recipient: NodeID(publicKey: key.publicKey)))
        #expect(!IDSignature.isValid(signature.dropLast(), publicKey: key.publicKey, challengeData: challenge,
                                     ephemeralPublicKey: ephemeral, recipient: recipient))
    }

    @Test func gcmRejectsWrongKeyAdOrTag() throws {
        let key = [UInt8](repeating: 1, count: 16)
        let nonce = [UInt8](repeating: 2, count: 12)
        let sealed = try MessageCipher.seal([1, 2, 3], key: key, nonce: nonce, authenticating: [9])
        #expect(throws: DiscV5Error.decryptionFailed) {
            try MessageCipher.open(sealed, key: key, nonce: nonce, authenticating: [8])
        }
        #expect(throws: DiscV5Error.decryptionFailed) {
            try MessageCipher.open(sealed, key: [UInt8](repeating: 3, count: 16), nonce: nonce, authenticating: [9])
        }
        var flipped = sealed
        flipped[flipped.count - 1] ^= 0x80
        #expect(throws: DiscV5Error.decryptionFailed) {
            try MessageCipher.open(flipped, key: key, nonce: nonce, authenticating: [9])
        }
        #expect(throws: DiscV5Error.messageTooShort(15)) {
            try MessageCipher.open(sealed.prefix(15), key: key, nonce: nonce, authenticating: [9])
        }
        #expect(throws: DiscV5Error.invalidFieldLength(field: "key", length: 15)) {
            try MessageCipher.seal([1], key: key.dropLast(), nonce: nonce, authenticating: [])
        }
    }

    @Test func sessionKeysAgreeOnBothSides() throws {
        var generator = SeededRandom(seed: 11)
        let initiatorStatic = Secp256k1.PrivateKey.generate(using: &generator)
        let recipientStatic = Secp256k1.PrivateKey.generate(using: &generator)
        let ephemeral = Secp256k1.PrivateKey.generate(using: &generator)
        let a = NodeID(publicKey: initiatorStatic.publicKey)
        let b = NodeID(publicKey: recipientStatic.publicKey)
        let challenge = [UInt8](repeating: 5, count: 63)
        let initiatorSide = try SessionKeys.deriveAsInitiator(
            ephemeralKey: ephemeral, recipientPublicKey: recipientStatic.publicKey, initiator: a, recipient: b,
            challengeData: challenge)
        let recipientSide = try SessionKeys.deriveAsRecipient(
            staticKey: recipientStatic, ephemeralPublicKey: ephemeral.publicKey.compressedRepresentation,
            initiator: a, recipient: b, challengeData: challenge)
        #expect(initiatorSide == recipientSide)
        #expect(initiatorSide.initiatorKey != initiatorSide.recipientKey)
        #expect(throws: DiscV5Error.invalidPublicKey) {
            try SessionKeys.deriveAsRecipient(
                staticKey: recipientStatic, ephemeralPublicKey: [UInt8](repeating: 0, count: 33),
                initiator: a, recipient: b, challengeData: challenge)
        }
    }

    @Test func logDistance() throws {
        let zero = try #require(NodeID(bytes: [UInt8](repeating: 0, count: 32)))
        var bytes = [UInt8](repeating: 0, count: 32)
        #expect(zero.logDistance(to: zero) == 0)
        bytes[31] = 1
        #expect(zero.logDistance(to: try #require(NodeID(bytes: bytes))) == 1)
        bytes[0] = 0x80
        #expect(zero.logDistance(to: try #require(NodeID(bytes: bytes))) == 256)
        bytes[0] = 0x01
        #expect(zero.logDistance(to: try #require(NodeID(bytes: bytes))) == 249)
        #expect(NodeID(bytes: [UInt8](repeating: 0, count: 31)) == nil)
    }
}

