import ENR
import P2PCrypto
import RLP
import Testing
import TestSupport

/// One correctly signed (unless the rule is the signature) record per rule a decoder enforces.
@Suite struct NodeRecordRuleTests {
    let key: Secp256k1.PrivateKey
    init() throws { key = try Secp256k1.PrivateKey(rawRepresentation: exampleKey) }

    @Test func wellFormedRawRecordIsAccepted() throws {
        let record = try NodeRecord(rlp: rawRecord(items: v4Items(key), key: key))
        #expect(record.publicKey == key.publicKey)
    }

    @Test func recordLargerThan300BytesIsRejected() throws {
        // A 200-byte extra value puts the record over the limit; 150 bytes keeps it under.
        let under = try rawRecord(items: v4Items(key) + [rlpString("z"), rlpBytes([UInt8](repeating: 7, count: 150))], key: key)
        #expect(under.count <= 300)
        #expect(throws: Never.self) { try NodeRecord(rlp: under) }
        let over = try rawRecord(items: v4Items(key) + [rlpString("z"), rlpBytes([UInt8](repeating: 7, count: 200))], key: key)
        #expect(over.count > 300)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: over) } == .recordTooLarge(over.count))
        var builder = NodeRecordBuilder()
        builder.set("z", bytes: [UInt8](repeating: 7, count: 200))
        #expect(enrError { () throws(ENRError) in try builder.signed(with: key) } == .recordTooLarge(over.count))
    }

    @Test func keysMustBeSortedAndUnique() throws {
        let items = v4Items(key)
        let unsorted = try rawRecord(items: [items[2], items[3], items[0], items[1]], key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: unsorted) } == .keysNotSorted)
        let duplicate = try rawRecord(items: items + [rlpString("secp256k1"), items[3]], key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: duplicate) } == .duplicateKey(Array("secp256k1".utf8)))
    }

    @Test func everyKeyNeedsAValue() throws {
        let odd = try rawRecord(items: v4Items(key) + [rlpString("udp")], key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: odd) } == .missingField)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: [0xc0]) } == .missingField)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: [0xc1, 0x01]) } == .missingField)
    }

    @Test func identitySchemeMustBePresentAndV4() throws {
        let items = v4Items(key)
        let missing = try rawRecord(items: [items[2], items[3]], key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: missing) } == .missingIdentityScheme)
        let v5 = try rawRecord(items: [items[0], rlpString("v5"), items[2], items[3]], key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: v5) } == .unsupportedIdentityScheme(rlpString("v5")))
    }

    @Test func publicKeyMustBeAValidCompressedKey() throws {
        let items = v4Items(key)
        let missing = try rawRecord(items: [items[0], items[1]], key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: missing) } == .invalidPublicKey)
        let uncompressed = try rawRecord(items: [items[0], items[1], items[2], rlpBytes(key.publicKey.uncompressedRepresentation)], key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: uncompressed) } == .invalidPublicKey)
        let offCurve = try rawRecord(items: [items[0], items[1], items[2], rlpBytes([0x02] + [UInt8](repeating: 0xff, count: 32))], key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: offCurve) } == .invalidPublicKey)
        let asList = try rawRecord(items: [items[0], items[1], items[2], [0xc1, 0x01]], key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: asList) } == .invalidPublicKey)
    }

    @Test func signatureMustBe64BytesAndVerify() throws {
        let items = v4Items(key)
        let short = try rawRecord(items: items, key: key) { Array($0.dropLast()) }
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: short) } == .invalidSignatureEncoding)
        let overflow = try rawRecord(items: items, key: key) { _ in [UInt8](repeating: 0xff, count: 64) }
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: overflow) } == .invalidSignatureEncoding)
        var generator = SeededRandom(seed: 99)
        let other = Secp256k1.PrivateKey.generate(using: &generator)
        let wrongSigner = try rawRecord(items: items, key: other)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: wrongSigner) } == .signatureVerificationFailed)
        // The malleable twin (r, n - s) of a valid signature is refused, as go-ethereum does.
        let order = hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        let highS = try rawRecord(items: items, key: key) { signature in
            var s = [UInt8](repeating: 0, count: 32)
            var borrow = 0
            for i in stride(from: 31, through: 0, by: -1) {
                var d = Int(order[i]) - Int(signature[32 + i]) - borrow
                borrow = d < 0 ? 1 : 0
                if d < 0 { d += 256 }
                s[i] = UInt8(d)
            }
            return Array(signature[0..<32]) + s
        }
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: highS) } == .signatureVerificationFailed)
    }

    @Test func sequenceNumberMustBeACanonicalUInt64() throws {
        let items = v4Items(key)
        let leadingZero = try rawRecord(seq: [0x82, 0x00, 0x01], items: items, key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: leadingZero) } == .malformedRLP(RLPError(.integerLeadingZero, at: 69)))
        let nineBytes = try rawRecord(seq: [0x89, 1, 0, 0, 0, 0, 0, 0, 0, 0], items: items, key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: nineBytes) } == .malformedRLP(RLPError(.integerOverflow, at: 69)))
        let list = try rawRecord(seq: [0xc0], items: items, key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: list) } == .malformedRLP(RLPError(.expectedBytes, at: 68)))
        let maxSeq = try NodeRecord(rlp: rawRecord(seq: RLPItem.uint(.max).encoded, items: items, key: key))
        #expect(maxSeq.sequenceNumber == .max)
        #expect(enrError { () throws(ENRError) in try maxSeq.updated(signingWith: key) { _ in } } == .invalidEntry(key: "seq"))
    }

    @Test func deeplyNestedValuesWithinTheSizeLimitAreAccepted() throws {
        var value = RLPItem.list([])
        for _ in 0..<100 { value = .list([value]) }
        let record = try rawRecord(items: v4Items(key) + [rlpString("z"), value.encoded], key: key)
        #expect(try NodeRecord(rlp: record).encodedValue(forKey: "z").map(Array.init) == value.encoded)
    }

    @Test func nonCanonicalRLPAnywhereIsRejected() throws {
        let items = v4Items(key)
        // A value with a non-canonical single byte nested in a list.
        let nested = try rawRecord(items: items + [rlpString("z"), [0xc2, 0x81, 0x01]], key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: nested) } == .malformedRLP(RLPError(.nonCanonicalSingleByte, at: nested.count - 2)))
        // A key that is a list.
        let listKey = try rawRecord(items: items + [[0xc1, 0x7a], rlpString("x")], key: key)
        if case .malformedRLP(let error) = enrError({ () throws(ENRError) in try NodeRecord(rlp: listKey) }) {
            #expect(error.code == .expectedBytes)
        } else {
            Issue.record("a list key was accepted")
        }
        // Not a list at all; truncated.
        let good = try rawRecord(items: items, key: key)
        #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: rlpBytes(good)) } == .malformedRLP(RLPError(.expectedList, at: 0)))
        for cut in [0, 1, 2, good.count / 2, good.count - 1] {
            #expect(enrError { () throws(ENRError) in try NodeRecord(rlp: Array(good[0..<cut])) } != nil, "prefix \(cut)")
        }
    }

    @Test func textFormIsStrict() throws {
        let record = try NodeRecord(rlp: rawRecord(items: v4Items(key), key: key))
        let text = record.textEncoding
        #expect(try NodeRecord(text: text) == record)
        let body = String(text.dropFirst(4))
        for bad in ["ENR:" + body, "enr" + body, body, text + "=", text + "==", "enr:" + body.replacingOccurrences(of: "-", with: "+"),
                    "enr:" + body.replacingOccurrences(of: "_", with: "/"), text + " ", "enr:" + String(repeating: "A", count: 500)] where bad != text {
            #expect(enrError { () throws(ENRError) in try NodeRecord(text: bad) } != nil, "\(bad)")
        }
        #expect(enrError { () throws(ENRError) in try NodeRecord(text: "enr:") } == .malformedRLP(RLPError(.truncated, at: 0)))
        #expect(enrError { () throws(ENRError) in try NodeRecord(text: "enr:A") } == .invalidText)
    }
}

