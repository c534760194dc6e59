import ConformanceSupport
import ENR
import Foundation
import P2PCrypto
import RLP
import Testing

@Suite(.enabled(if: ConformanceVectors.shouldRun("enr")))
struct ENRConformanceTests {
    /// The pairs of a vector as `key: RLP-encoded value` (`value` is hex of a byte string,
    /// `value_rlp` hex of an already encoded value such as a list).
    static func pairs(_ vector: [String: Any], _ name: String) throws -> [(key: String, encoded: [UInt8])] {
        let pairs = try #require(vector["pairs"] as? [[String: Any]], "\(name)")
        return try pairs.map { pair in
            let key = try #require(pair["key"] as? String, "\(name)")
            if let value = pair["value"] as? String {
                return (key, RLPItem.bytes(try #require(Hex.decode(value), "\(name): \(key)")).encoded)
            }
            let valueRLP = try #require(pair["value_rlp"] as? String, "\(name): \(key)")
            return (key, try #require(Hex.decode(valueRLP), "\(name): \(key)"))
        }
    }

    /// The `rlp` field's bytes (required in every record).
    static func rlp(_ vector: [String: Any], _ name: String) throws -> [UInt8] {
        let text = try #require(vector["rlp"] as? String, "\(name): no rlp")
        return try #require(Hex.decode(text), "\(name): rlp is not hex")
    }

    /// Compares a decoded valid record with the vector's fields; the derived fields
    /// (`signature`, `signing_content_rlp`, ...) are compared when present.
    static func checkValid(_ record: NodeRecord, _ vector: [String: Any], _ name: String) throws {
        let rlp = try Self.rlp(vector, name)
        #expect(record.rlpEncoding == rlp, "\(name): re-encodes byte-identically")
        if let text = vector["text"] as? String {
            #expect(try NodeRecord(text: text) == record, "\(name)")
            #expect(record.textEncoding == text, "\(name): text re-encodes identically")
        }
        if let seq = vector["seq"] as? NSNumber { #expect(record.sequenceNumber == seq.uint64Value, "\(name): seq") }
        let derived: [(String, String)] = [
            ("signature", Hex.encode(record.signature)),
            ("signing_content_rlp", Hex.encode(record.signingContent)),
            ("signing_hash_keccak256", Hex.encode(Keccak256.hash(record.signingContent))),
            ("public_key_compressed", Hex.encode(record.compressedPublicKey)),
            ("node_id", Hex.encode(record.nodeID)),
        ]
        for (field, actual) in derived {
            if let value = vector[field] as? String { #expect(Hex.decode(value).map(Hex.encode) == actual, "\(name): \(field)") }
        }
        if vector["pairs"] != nil {
            let pairs = try Self.pairs(vector, name)
            #expect(record.keys.map { String(decoding: $0, as: UTF8.self) } == pairs.map(\.key), "\(name): keys")
            for pair in pairs {
                #expect(record.encodedValue(forKey: pair.key).map(Array.init) == pair.encoded, "\(name): \(pair.key)")
            }
        }
    }

    @Test func eip778Example() throws {
        guard ConformanceVectors.file("enr", "enr_eip778_example.json") != nil else {
            ConformanceVectors.reportSkipped("enr/eip778-example", reason: "enr_eip778_example.json absent")
            try Test.cancel("enr_eip778_example.json absent")
        }
        let root = try #require(try ConformanceVectors.json("enr", "enr_eip778_example.json") as? [String: Any])
        let vector = try #require(root["record"] as? [String: Any])
        let name = "EIP-778 example"
        let rlp = try Self.rlp(vector, name)
        let record = try NodeRecord(rlp: rlp)
        try Self.checkValid(record, vector, name)
        #expect(record.identityScheme == "v4")
        // The private key derives the record's key; the same pairs and sequence number signed
        // with it give the same signing content and a record that verifies.
        if let keyHex = vector["private_key"] as? String {
            let key = try Secp256k1.PrivateKey(rawRepresentation: try #require(Hex.decode(keyHex)))
            #expect(key.publicKey == record.publicKey)
            var builder = NodeRecordBuilder(sequenceNumber: record.sequenceNumber)
            for pair in try Self.pairs(vector, name) where pair.key != "id" && pair.key != "secp256k1" {
                try builder.set(key: Array(pair.key.utf8), encodedValue: pair.encoded)
            }
            let rebuilt = try builder.signed(with: key)
            #expect(rebuilt.signingContent == record.signingContent)
            #expect(rebuilt.publicKey == record.publicKey)
        }
        ConformanceVectors.report("enr/eip778-example", checked: 1)
    }

    @Test func records() throws {
        guard ConformanceVectors.file("enr", "enr_records.json") != nil else {
            ConformanceVectors.reportSkipped("enr/records", reason: "enr_records.json absent")
            try Test.cancel("enr_records.json absent")
        }
        let root = try #require(try ConformanceVectors.json("enr", "enr_records.json") as? [String: Any])
        let records = try #require(root["records"] as? [[String: Any]])
        var valid = 0
        var invalid = 0
        var mapped = 0
        var unmappedRules = Set<String>()
        for vector in records {
            let name = vector["name"] as? String ?? "?"
            let rlp = try Self.rlp(vector, name)
            let text = vector["text"] as? String
            if try #require(vector["valid"] as? Bool, "\(name)") {
                try Self.checkValid(try NodeRecord(rlp: rlp), vector, name)
                valid += 1
            } else {
                // Rejected, whatever the rule; a rule this test knows must be the reason.
                let fromRLP = enrError { () throws(ENRError) in try NodeRecord(rlp: rlp) }
                #expect(fromRLP != nil, "\(name) accepted")
                if let text {
                    let fromText = enrError { () throws(ENRError) in try NodeRecord(text: text) }
                    #expect(fromText != nil, "\(name) accepted from its text")
                    #expect(fromText == fromRLP, "\(name): text and RLP rejected alike")
                }
                let rule = vector["violated_rule"] as? String ?? "(no rule given)"
                if let matches = Self.ruleErrors[rule] {
                    if let fromRLP { #expect(matches(fromRLP), "\(name): \(rule) rejected as \(fromRLP)") }
                    mapped += 1
                } else {
                    unmappedRules.insert(rule)
                }
                invalid += 1
            }
        }
        #expect(valid + invalid > 0)
        ConformanceVectors.report("enr/records-valid", checked: valid)
        let unmapped = unmappedRules.isEmpty ? "" : "; rejected for another reason than named, rules: \(unmappedRules.sorted().joined(separator: "; "))"
        ConformanceVectors.report("enr/records-invalid", checked: invalid, detail: "\(mapped) with the named rule's error\(unmapped)")
    }

    /// Rule texts of the vector files this test maps to the error that must be thrown.
    static let ruleErrors: [String: @Sendable (ENRError) -> Bool] = [
        "signature must verify (v4 scheme)": { $0 == .signatureVerificationFailed },
        "keys must be sorted": { $0 == .keysNotSorted },
        "record must be exactly one RLP list": {
            if case .malformedRLP(let error) = $0 { error.code == .trailingBytes } else { false }
        },
    ]
}
