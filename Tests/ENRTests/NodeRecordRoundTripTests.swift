import ENR
import P2PCrypto
import RLP
import Testing
import TestSupport

@Suite struct NodeRecordRoundTripTests {
    @Test func buildSignDecodeWithEveryTypedKey() throws {
        var generator = SeededRandom(seed: 1)
        let key = Secp256k1.PrivateKey.generate(using: &generator)
        var builder = NodeRecordBuilder(sequenceNumber: 7)
        try builder.setIP([10, 0, 0, 1])
        try builder.setIP6(Array(1...16))
        builder.setTCP(40400)
        builder.setUDP(40401)
        builder.setTCP6(0)
        builder.setUDP6(65535)
        builder.setAztecChainID(1_337)
        builder.setEthereumChainID(11_155_111)
        let record = try builder.signed(with: key)
        for decoded in [try NodeRecord(rlp: record.rlpEncoding), try NodeRecord(text: record.textEncoding)] {
            #expect(decoded == record)
            #expect(decoded.sequenceNumber == 7)
            #expect(decoded.publicKey == key.publicKey)
            #expect(decoded.nodeID == Keccak256.hash(key.publicKey.rawXYRepresentation))
            #expect(try decoded.ip == [10, 0, 0, 1])
            #expect(try decoded.ip6 == Array(1...16))
            #expect(try decoded.tcp == 40400)
            #expect(try decoded.udp == 40401)
            #expect(try decoded.tcp6 == 0)
            #expect(try decoded.udp6 == 65535)
            #expect(try decoded.aztecChainID == 1_337)
            #expect(try decoded.ethereumChainID == 11_155_111)
            #expect(decoded.encodedValue(forKey: "eth2") == nil)
            #expect(decoded.keys.map { String(decoding: $0, as: UTF8.self) }
                    == ["aztec", "eth", "id", "ip", "ip6", "secp256k1", "tcp", "tcp6", "udp", "udp6"])
        }
        // The zero port is the empty string, as integers are minimal big-endian.
        #expect(record.encodedValue(forKey: "tcp6").map(Array.init) == [0x80])
        #expect(try NodeRecord(rlp: record.rlpEncoding).publicKey.isValidSignature(
            Secp256k1.Signature(compactRepresentation: record.signature), forDigest: Keccak256.hash(record.signingContent)))
    }

    @Test func updateIncrementsSequenceAndResigns() throws {
        var generator = SeededRandom(seed: 2)
        let key = Secp256k1.PrivateKey.generate(using: &generator)
        var builder = NodeRecordBuilder(sequenceNumber: 1)
        builder.setUDP(30303)
        let first = try builder.signed(with: key)
        let second = try first.updated(signingWith: key) { (builder: inout NodeRecordBuilder) throws(ENRError) in
            builder.setUDP(30304)
            try builder.setIP([192, 168, 1, 2])
        }
        #expect(second.sequenceNumber == 2)
        #expect(try second.udp == 30304)
        #expect(try second.ip == [192, 168, 1, 2])
        #expect(second.signature != first.signature)
        #expect(try NodeRecord(text: second.textEncoding) == second)
        let third = try second.updated(signingWith: key) { (builder: inout NodeRecordBuilder) throws(ENRError) in
            builder.remove(ENRKey.ip)
            try builder.setIP6(nil)
        }
        #expect(third.sequenceNumber == 3)
        #expect(try third.ip == nil)
        // Updating with another key moves the record to that key.
        let otherKey = Secp256k1.PrivateKey.generate(using: &generator)
        let moved = try third.updated(signingWith: otherKey) { _ in }
        #expect(moved.publicKey == otherKey.publicKey && moved.nodeID != third.nodeID)
    }

    @Test func unknownKeysArePreservedByteForByte() throws {
        var generator = SeededRandom(seed: 3)
        let key = Secp256k1.PrivateKey.generate(using: &generator)
        // A list value (like `client`), a key that is not ASCII, and an unusual but canonical value.
        let client = RLPItem.list([.bytes(Array("swift".utf8)), .bytes(Array("0.1".utf8)), .list([])]).encoded
        var builder = NodeRecordBuilder()
        try builder.set(key: Array("client".utf8), encodedValue: client)
        try builder.set(key: [0xff, 0x00], encodedValue: [0x80])
        builder.set("eth2", bytes: [1, 2, 3, 4])
        let record = try builder.signed(with: key)
        let decoded = try NodeRecord(rlp: record.rlpEncoding)
        #expect(decoded.encodedValue(forKey: "client").map(Array.init) == client)
        #expect(decoded.encodedValue(forKey: [0xff, 0x00]).map(Array.init) == [0x80])
        #expect(try decoded.bytes(forKey: "eth2").map(Array.init) == [1, 2, 3, 4])
        let updated = try decoded.updated(signingWith: key) { $0.setUDP(9000) }
        #expect(updated.encodedValue(forKey: "client").map(Array.init) == client)
        #expect(updated.encodedValue(forKey: [0xff, 0x00]).map(Array.init) == [0x80])
        // Typed accessors refuse values of the wrong shape instead of guessing.
        #expect(throws: ENRError.invalidValue(key: "client")) { _ = try decoded.bytes(forKey: "client") }
        #expect(throws: ENRError.invalidEntry(key: "bad")) { try builder.set(key: Array("bad".utf8), encodedValue: [0x81, 0x01]) }
        #expect(throws: ENRError.invalidEntry(key: "ip")) { try builder.setIP([1, 2, 3]) }
    }

    @Test func malformedKnownValuesAreReportedByAccessors() throws {
        var generator = SeededRandom(seed: 4)
        let key = Secp256k1.PrivateKey.generate(using: &generator)
        var builder = NodeRecordBuilder()
        builder.set(ENRKey.ip, bytes: [1, 2, 3, 4, 5])
        builder.set(ENRKey.udp, uint: 70_000)
        builder.set(ENRKey.tcp, bytes: [0x00, 0x50])
        builder.set(ENRKey.aztec, bytes: [UInt8](repeating: 1, count: 9))
        let record = try builder.signed(with: key)
        #expect(throws: ENRError.invalidValue(key: "ip")) { _ = try record.ip }
        #expect(throws: ENRError.invalidValue(key: "udp")) { _ = try record.udp }
        #expect(throws: ENRError.invalidValue(key: "tcp")) { _ = try record.tcp }
        #expect(throws: ENRError.invalidValue(key: "aztec")) { _ = try record.aztecChainID }
    }

    @Test func randomRecordsRoundTrip() throws {
        var generator = SeededRandom(seed: 5)
        for _ in 0..<30 {
            let key = Secp256k1.PrivateKey.generate(using: &generator)
            var builder = NodeRecordBuilder(sequenceNumber: generator.next() >> UInt64(generator.next() % 64))
            for _ in 0..<Int(generator.next() % 5) {
                let name = String(UnicodeScalar(UInt8(97 + generator.next() % 26)))
                let length = Int(generator.next() % 20)
                builder.set(name, bytes: (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
            }
            let record = try builder.signed(with: key)
            #expect(try NodeRecord(text: record.textEncoding) == record)
            #expect(Base64URL.decode(Array(record.textEncoding.utf8.dropFirst(4))) == record.rlpEncoding)
        }
    }
}

@Suite struct Base64URLTests {
    /// RFC 4648 section 10 vectors, unpadded.
    @Test func rfc4648Vectors() {
        let cases = [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in cases {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64URL.decode(Array(encoded.utf8)) == Array(plain.utf8))
        }
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64URL.decode(Array("-_8".utf8)) == [0xfb, 0xff])
    }

    @Test func rejectsNonCanonicalText() {
        for bad in ["Zg==", "Zg=", "Z", "Zh", "Zm9", "+_8", "/_8", "Zm9v\n", "Zm 9v", "Zm9vY"] {
            #expect(Base64URL.decode(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test func roundTripsAllLengths() {
        var generator = SeededRandom(seed: 6)
        for length in 0..<100 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(Base64URL.decode(Array(Base64URL.encode(bytes).utf8)) == bytes)
        }
    }
}
