import ConformanceSupport
import Testing
@testable import LibP2PCore
@testable import Multiformats

@Suite struct MultihashTests {
    /// `multihash/test_cases.csv`, its columns found by the header's names; an algorithm this
    /// package lacks is skipped.
    @Test(.enabled(if: ConformanceVectors.shouldRun("peer-ids")))
    func vectors() throws {
        try VectorFiles.requireFile("peer-ids", "multihash/test_cases.csv")
        let lines = try VectorFiles.text("peer-ids", "multihash/test_cases.csv").split(whereSeparator: \.isNewline)
        let header = try #require(lines.first).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name), "no \(name) column") }
        let (algorithmColumn, bitsColumn, inputColumn, multihashColumn) =
            (try column("algorithm"), try column("bits"), try column("input"), try column("multihash"))
        let codes: [String: MultihashCode] = ["sha1": .sha1, "sha2-256": .sha2_256, "sha2-512": .sha2_512, "sha3": .sha3_512, "sha3-512": .sha3_512]
        var tally = ConformanceTally()
        for line in lines.dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count == header.count, "\(line)")
            guard let code = codes[fields[algorithmColumn]] else {
                tally.skip("algorithm \(fields[algorithmColumn]) not supported")
                continue
            }
            let bits = try #require(Int(fields[bitsColumn]))
            let expected = try #require(Hex.decode(fields[multihashColumn]))
            let computed = try Multihash(hashing: Array(fields[inputColumn].utf8), with: code, truncatedTo: bits / 8)
            #expect(computed.bytes == expected, "\(line)")
            let decoded = try Multihash(decoding: expected)
            #expect(decoded == computed)
            #expect(decoded.code == code && decoded.digest.count == bits / 8)
            tally.check()
        }
        #expect(tally.checked > 0)
        ConformanceVectors.report("peer-ids/multihash", tally)
    }

    @Test func identityAndRoundTrip() throws {
        let identity = try Multihash(code: .identity, digest: [1, 2, 3])
        #expect(identity.bytes == [0x00, 0x03, 1, 2, 3])
        #expect(try Multihash(decoding: identity.bytes) == identity)
        let (prefix, used) = try Multihash.decodePrefix((identity.bytes + [9, 9])[...])
        #expect(prefix == identity && used == 5)
    }

    @Test func rejectsBadInput() {
        #expect(throws: MultihashError.unsupportedCode(0x99)) { try Multihash(decoding: [0x99, 0x01, 0x00]) }
        #expect(throws: MultihashError.digestTooLong(code: 0x12, length: 33)) {
            try Multihash(decoding: [0x12, 33] + [UInt8](repeating: 0, count: 33))
        }
        #expect(throws: MultihashError.truncatedDigest) { try Multihash(decoding: [0x12, 0x20, 0x00]) }
        #expect(throws: MultihashError.trailingBytes) { try Multihash(decoding: [0x00, 0x01, 0x00, 0x00]) }
        #expect(throws: MultihashError.malformedVarint(.truncated)) { try Multihash(decoding: [0x12]) }
        #expect(throws: MultihashError.malformedVarint(.notMinimal)) { try Multihash(decoding: [0x92, 0x00, 0x00]) }
        #expect(throws: MultihashError.digestTooLong(code: 0, length: 5000)) {
            try Multihash(decoding: [0x00] + UVarint.encode(5000))
        }
        #expect(throws: MultihashError.invalidTruncation) {
            try Multihash(hashing: [1], with: .sha1, truncatedTo: 21)
        }
        #expect(throws: MultihashError.digestTooLong(code: 0x11, length: 21)) {
            try Multihash(code: .sha1, digest: [UInt8](repeating: 0, count: 21))
        }
    }
}
