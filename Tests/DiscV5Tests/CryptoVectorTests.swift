import ConformanceSupport
import DiscV5
import P2PCrypto
import Testing
import TestSupport

@Suite("discv5 crypto primitives")
struct CryptoVectorTests {
    @Test(.enabled(if: ConformanceVectors.shouldRun("discv5")))
    func officialCryptoVectors() throws {
        let crypto = try DiscV5Vectors.object(try DiscV5Vectors.wire(), "crypto")
        var checked = 0

        let ecdh = try DiscV5Vectors.object(crypto, "ecdh")
        let secretKey = try DiscV5Vectors.privateKey(ecdh, "secret_key")
        let publicKey = try Secp256k1.PublicKey(sec1: try DiscV5Vectors.hex(ecdh, "public_key"))
        #expect(try secretKey.sharedSecret(with: publicKey) == (try DiscV5Vectors.hex(ecdh, "shared_secret")))
        checked += 1

        let kdf = try DiscV5Vectors.object(crypto, "key_derivation")
        let ephemeral = try DiscV5Vectors.privateKey(kdf, "ephemeral_key")
        let destination = try Secp256k1.PublicKey(sec1: try DiscV5Vectors.hex(kdf, "dest_pubkey"))
        let keys = try SessionKeys.deriveAsInitiator(
            ephemeralKey: ephemeral, recipientPublicKey: destination,
            initiator: try DiscV5Vectors.nodeID(kdf, "node_id_a"), recipient: try DiscV5Vectors.nodeID(kdf, "node_id_b"),
            challengeData: try DiscV5Vectors.hex(kdf, "challenge_data"))
        #expect(keys.initiatorKey == (try DiscV5Vectors.hex(kdf, "initiator_key")))
        #expect(keys.recipientKey == (try DiscV5Vectors.hex(kdf, "recipient_key")))
        checked += 1

        let gcm = try DiscV5Vectors.object(crypto, "encryption")
        let key = try DiscV5Vectors.hex(gcm, "encryption_key")
        let nonce = try DiscV5Vectors.hex(gcm, "nonce")
        let ad = try DiscV5Vectors.hex(gcm, "ad")
        let expected = try DiscV5Vectors.hex(gcm, "message_ciphertext")
        let plaintext = try DiscV5Vectors.hex(gcm, "pt")
        #expect(try MessageCipher.seal(plaintext, key: key, nonce: nonce, authenticating: ad) == expected)
        #expect(try MessageCipher.open(expected, key: key, nonce: nonce, authenticating: ad) == plaintext)
        checked += 1

        // The id-nonce signature of the handshake vector: node A signs node B's challenge.
        let wire = try DiscV5Vectors.wire()
        let keysObject = try DiscV5Vectors.object(wire, "keys")
        let nodeA = try DiscV5Vectors.privateKey(keysObject, "node_a_key")
        let packets = try #require(wire["packets"] as? [[String: Any]])
        let handshake = try #require(packets.first { ($0["flag"] as? Int) == 2 })
        let inputs = try DiscV5Vectors.object(handshake, "inputs")
        let decoded = try DiscV5Vectors.object(handshake, "decoded")
        let challenge = try DiscV5Vectors.hex(inputs, "whoareyou_challenge_data")
        let ephemeralPublic = try DiscV5Vectors.hex(inputs, "ephemeral_pubkey")
        let nodeB = try DiscV5Vectors.nodeID(inputs, "dest_node_id")
        let signature = try IDSignature.sign(
            staticKey: nodeA, challengeData: challenge, ephemeralPublicKey: ephemeralPublic, recipient: nodeB)
        #expect(signature == (try DiscV5Vectors.hex(decoded, "id_signature")))
        #expect(IDSignature.isValid(
            signature, publicKey: nodeA.publicKey, challengeData: challenge, ephemeralPublicKey: ephemeralPublic,
            recipient: nodeB))
        // The ephemeral key of the vector derives the packet's read key with node B's public key.
        let nodeBKey = try DiscV5Vectors.privateKey(keysObject, "node_b_key")
        let derived = try SessionKeys.deriveAsInitiator(
            ephemeralKey: try DiscV5Vectors.privateKey(inputs, "ephemeral_key"), recipientPublicKey: nodeBKey.publicKey,
            initiator: try DiscV5Vectors.nodeID(inputs, "src_node_id"), recipient: nodeB, challengeData: challenge)
        #expect(derived.initiatorKey == (try DiscV5Vectors.hex(inputs, "read_key")))
        checked += 2

        ConformanceVectors.report("discv5/crypto", checked: checked, detail: "ecdh, kdf, aes-gcm, id-signature, handshake keys")
        #expect(checked == 5)
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

