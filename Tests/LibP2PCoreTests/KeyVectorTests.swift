import ConformanceSupport
import Testing
@testable import LibP2PCore
@testable import Multiformats

@Suite struct KeyVectorTests {
    private func hex(_ object: [String: Any], _ key: String) throws -> [UInt8] {
        let text = try #require(object[key] as? String, "missing \(key)")
        return try #require(Hex.decode(text), "bad hex in \(key)")
    }

    @Test(.enabled(if: ConformanceVectors.shouldRun("peer-ids")))
    func peerIDKeys() throws {
        try VectorFiles.requireFile("peer-ids", "peer_id_keys.json")
        let root = try #require(try ConformanceVectors.json("peer-ids", "peer_id_keys.json") as? [String: Any])
        let keys = (root["keys"] as? [[String: Any]]) ?? []
        var tally = ConformanceTally()
        for entry in keys {
            let typeValue = try #require(entry["key_type_enum"] as? Int)
            guard KeyType(rawValue: typeValue) != nil else {
                tally.skip("key type \(typeValue) not supported")
                continue
            }
            let privateBytes = try hex(entry, "private_key_protobuf")
            let publicBytes = try hex(entry, "public_key_protobuf")
            let publicData = try hex(entry, "public_key_data")
            let derived = try #require(entry["derived"] as? [String: Any])
            let name = entry["key_type"] as? String ?? "?"

            let privateKey = try PrivateKey(protobuf: privateBytes, encoding: .canonical)
            #expect(privateKey.type.rawValue == typeValue, "\(name)")
            #expect(privateKey.protobufEncoded == privateBytes, "\(name) private round trip")

            let publicKey = try PublicKey(protobuf: publicBytes, encoding: .canonical)
            #expect(publicKey.type.rawValue == typeValue)
            #expect(publicKey.data == publicData)
            #expect(publicKey.protobufEncoded == publicBytes, "\(name) public round trip")
            // The spec: implementations should derive the given public key from the private key.
            #expect(privateKey.publicKey == publicKey, "\(name) public key derivation")

            let peer = PeerID(publicKey: publicKey)
            #expect(peer.multihashBytes == (try hex(derived, "peer_id_multihash")), "\(name) multihash")
            #expect(peer.base58 == derived["peer_id_base58btc"] as? String, "\(name) base58")
            #expect(peer.cidString() == derived["peer_id_cidv1_base32"] as? String, "\(name) cid")
            #expect(try PeerID(peer.base58) == peer)
            #expect(try PeerID(peer.cidString()) == peer)
            if peer.hasInlinePublicKey {
                #expect(try peer.inlinePublicKey() == publicKey)
            } else {
                #expect(try peer.inlinePublicKey() == nil)
            }
            #expect(peer.matches(publicKey))

            // Sign and verify with the vector key.
            let message = Array("libp2p vector message".utf8)
            let signature = try privateKey.signature(for: message)
            #expect(publicKey.isValidSignature(signature, for: message), "\(name) sign/verify")
            #expect(!publicKey.isValidSignature(signature, for: message + [0]))
            tally.check()
        }
        ConformanceVectors.report("peer-ids/keys", tally)

        // Optional: peer-id texts and their multihashes.
        let examples = (root["text_examples"] as? [[String: Any]]) ?? []
        #expect(tally.checked + examples.count > 0, "peer_id_keys.json has neither keys nor text examples")
        var textChecked = 0
        for example in examples {
            let text = try #require(example["text"] as? String)
            let peer = try PeerID(text)
            #expect(peer.multihashBytes == (try hex(example, "peer_id_multihash")), "\(text)")
            if text.hasPrefix("b") {
                #expect(peer.cidString() == text)
            } else {
                #expect(peer.base58 == text)
            }
            textChecked += 1
        }
        ConformanceVectors.report("peer-ids/text_examples", checked: textChecked)
    }

    @Test(.enabled(if: ConformanceVectors.shouldRun("peer-ids")))
    func goFixtures() throws {
        try VectorFiles.requireFile("peer-ids", "go_libp2p_crypto_fixtures.json")
        let root = try #require(
            try ConformanceVectors.json("peer-ids", "go_libp2p_crypto_fixtures.json") as? [String: Any])
        let fixtures = try #require(root["fixtures"] as? [[String: Any]])
        #expect(fixtures.count > 0)
        var tally = ConformanceTally()
        var binaryChecked = 0
        for fixture in fixtures {
            let typeValue = try #require(fixture["key_type_enum"] as? Int)
            guard KeyType(rawValue: typeValue) != nil else {
                tally.skip("key type \(typeValue) not supported")
                continue
            }
            let privateBytes = try hex(fixture, "private_key_protobuf")
            let publicBytes = try hex(fixture, "public_key_protobuf")
            let message = try hex(fixture, "message")
            let signature = try hex(fixture, "signature")
            // The JSON matches the original binary files, when they are there.
            for (suffix, bytes) in [("priv", privateBytes), ("pub", publicBytes), ("sig", signature)] {
                let path = "go-libp2p-crypto-test_data/\(typeValue).\(suffix)"
                if ConformanceVectors.file("peer-ids", path) != nil {
                    #expect(try ConformanceVectors.data("peer-ids", path) == bytes, "\(path)")
                    binaryChecked += 1
                }
            }

            let publicKey = try PublicKey(protobuf: publicBytes, encoding: .canonical)
            #expect(publicKey.type.rawValue == typeValue)
            #expect(publicKey.protobufEncoded == publicBytes)
            #expect(publicKey.isValidSignature(signature, for: message), "type \(typeValue) verifies")
            var tampered = message
            tampered[0] ^= 1
            #expect(!publicKey.isValidSignature(signature, for: tampered), "type \(typeValue) tampered message")
            var badSignature = signature
            badSignature[badSignature.count - 1] ^= 1
            #expect(!publicKey.isValidSignature(badSignature, for: message))

            let privateKey = try PrivateKey(protobuf: privateBytes, encoding: .canonical)
            #expect(privateKey.publicKey == publicKey, "type \(typeValue) public key derivation")
            if let derived = fixture["derived"] as? [String: Any], let base58 = derived["peer_id_base58btc"] as? String {
                #expect(publicKey.peerID.base58 == base58)
            }
            // Our own signature with the fixture key verifies too.
            let ours = try privateKey.signature(for: message)
            #expect(publicKey.isValidSignature(ours, for: message))
            tally.check()
        }
        #expect(tally.checked > 0)
        ConformanceVectors.report(
            "peer-ids/go_libp2p_crypto_fixtures", tally, detail: "\(binaryChecked) binary files compared with the JSON")
    }
}
