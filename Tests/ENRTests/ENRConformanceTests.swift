import ConformanceSupport
import ENR
import Foundation
import P2PCrypto
import RLP
import Testing

@Suite(.enabled(if: ConformanceVectors.shouldRun("enr")))
struct ENRConformanceTests {
    @Test func eip778Example() throws {
        let root = try #require(try ConformanceVectors.json("enr", "enr_eip778_example.json") as? [String: Any])
        let vector = try #require(root["record"] as? [String: Any])
        func field(_ name: String) throws -> String { try #require(vector[name] as? String, "\(name)") }
        let rlpHex = try field("rlp")
        let rlp = try #require(Hex.decode(rlpHex))
        let text = try field("text")
        let fromText = try NodeRecord(text: text)
        let fromRLP = try NodeRecord(rlp: rlp)
        #expect(fromText == fromRLP)
        #expect(fromRLP.rlpEncoding == rlp)
        #expect(fromRLP.textEncoding == text)
        #expect(Hex.encode(fromRLP.signingContent) == (try field("signing_content_rlp")))
        #expect(Hex.encode(Keccak256.hash(fromRLP.signingContent)) == (try field("signing_hash_keccak256")))
        #expect(Hex.encode(fromRLP.signature) == (try field("signature")))
        #expect(Hex.encode(fromRLP.nodeID) == (try field("node_id")))
        #expect(Hex.encode(fromRLP.compressedPublicKey) == (try field("public_key_compressed")))
        #expect(fromRLP.sequenceNumber == 1)
        #expect(fromRLP.identityScheme == "v4")
        #expect(try fromRLP.ip == [127, 0, 0, 1])
        #expect(try fromRLP.udp == 30303)
        #expect(try fromRLP.tcp == nil)
        #expect(try fromRLP.ip6 == nil)
        // The private key derives the record's key, and re-signing the same content with it
        // (RFC 6979, deterministic) reproduces the published record byte for byte.
        let keyHex = try field("private_key")
        let key = try Secp256k1.PrivateKey(rawRepresentation: try #require(Hex.decode(keyHex)))
        #expect(key.publicKey == fromRLP.publicKey)
        var builder = NodeRecordBuilder(sequenceNumber: 1)
        try builder.setIP([127, 0, 0, 1])
        builder.setUDP(30303)
        let rebuilt = try builder.signed(with: key)
        #expect(rebuilt.rlpEncoding == rlp)
        ConformanceVectors.report("enr/eip778-example", checked: 1)
    }

    @Test func records() throws {
        let root = try #require(try ConformanceVectors.json("enr", "enr_records.json") as? [String: Any])
        let records = try #require(root["records"] as? [[String: Any]])
        #expect(records.count > 0)
        var valid = 0
        var invalid = 0
        var rulesSeen = Set<String>()
        for vector in records {
            let name = vector["name"] as? String ?? "?"
            let rlpHex = try #require(vector["rlp"] as? String, "\(name)")
            let rlp = try #require(Hex.decode(rlpHex), "\(name)")
            let text = try #require(vector["text"] as? String, "\(name)")
            if try #require(vector["valid"] as? Bool, "\(name)") {
                let record = try NodeRecord(rlp: rlp)
                #expect(try NodeRecord(text: text) == record, "\(name)")
                #expect(record.rlpEncoding == rlp, "\(name): re-encodes byte-identically")
                #expect(record.textEncoding == text, "\(name): text re-encodes identically")
                let seq = try #require(vector["seq"] as? Int, "\(name)")
                #expect(record.sequenceNumber == UInt64(seq), "\(name)")
                #expect(Hex.encode(record.signature) == vector["signature"] as? String, "\(name)")
                #expect(Hex.encode(record.signingContent) == vector["signing_content_rlp"] as? String, "\(name)")
                #expect(Hex.encode(Keccak256.hash(record.signingContent)) == vector["signing_hash_keccak256"] as? String, "\(name)")
                #expect(Hex.encode(record.compressedPublicKey) == vector["public_key_compressed"] as? String, "\(name)")
                #expect(Hex.encode(record.nodeID) == vector["node_id"] as? String, "\(name)")
                let pairs = try #require(vector["pairs"] as? [[String: Any]], "\(name)")
                #expect(record.keys.map { String(decoding: $0, as: UTF8.self) } == pairs.map { $0["key"] as? String ?? "" }, "\(name)")
                for pair in pairs {
                    let key = try #require(pair["key"] as? String)
                    let expected: [UInt8]
                    if let value = pair["value"] as? String {
                        expected = RLPItem.bytes(try #require(Hex.decode(value))).encoded
                    } else {
                        let valueRLP = try #require(pair["value_rlp"] as? String, "\(name): \(key)")
                        expected = try #require(Hex.decode(valueRLP))
                    }
                    #expect(record.encodedValue(forKey: key).map(Array.init) == expected, "\(name): \(key)")
                }
                valid += 1
            } else {
                let rule = try #require(vector["violated_rule"] as? String, "\(name)")
                rulesSeen.insert(rule)
                let fromRLP = enrError { () throws(ENRError) in try NodeRecord(rlp: rlp) }
                let fromText = enrError { () throws(ENRError) in try NodeRecord(text: text) }
                #expect(fromRLP != nil && fromText != nil, "\(name) accepted")
                // The rejection names the rule the vector violates.
                if let fromRLP {
                    #expect(Self.matches(rule: rule, error: fromRLP), "\(name): \(rule) rejected as \(fromRLP)")
                }
                #expect(fromText == fromRLP, "\(name): text and RLP rejected alike")
                invalid += 1
            }
        }
        // Every rule named by the invalid vectors is one this test maps to an error.
        for rule in rulesSeen { #expect(Self.ruleErrors.keys.contains(rule), "unmapped rule: \(rule)") }
        ConformanceVectors.report("enr/records-valid", checked: valid)
        ConformanceVectors.report("enr/records-invalid", checked: invalid, detail: "rules: \(rulesSeen.sorted().joined(separator: "; "))")
    }

    static let ruleErrors: [String: @Sendable (ENRError) -> Bool] = [
        "signature must verify (v4 scheme)": { $0 == .signatureVerificationFailed },
        "keys must be sorted": { $0 == .keysNotSorted },
        "record must be exactly one RLP list": {
            if case .malformedRLP(let error) = $0 { error.code == .trailingBytes } else { false }
        },
    ]

    static func matches(rule: String, error: ENRError) -> Bool {
        ruleErrors[rule]?(error) ?? false
    }
}
