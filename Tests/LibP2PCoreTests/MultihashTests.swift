import ConformanceSupport
import Testing
@testable import LibP2PCore

@Suite struct MultihashTests {
    @Test(.enabled(if: ConformanceVectors.shouldRun("peer-ids")))
    func vectors() throws {
        let lines = try VectorFiles.text("peer-ids", "multihash/test_cases.csv").split(whereSeparator: \.isNewline)
        #expect(lines.first == "algorithm,bits,input,multihash")
        var checked = 0
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            try #require(fields.count == 4)
            let code: MultihashCode = switch fields[0] {
            case "sha1": .sha1
            case "sha2-256": .sha2_256
            case "sha2-512": .sha2_512
            case "sha3": .sha3_512
            default: .identity
            }
            try #require(code != .identity, "unknown algorithm \(fields[0])")
            let bits = try #require(Int(fields[1]))
            let expected = try #require(Hex.decode(fields[3]))
            let computed = try Multihash(hashing: Array(fields[2].utf8), with: code, truncatedTo: bits / 8)
            #expect(computed.bytes == expected, "\(line)")
            let decoded = try Multihash(decoding: expected)
            #expect(decoded == computed)
            #expect(decoded.code == code && decoded.digest.count == bits / 8)
            checked += 1
        }
        #expect(checked > 0)
        ConformanceVectors.report("peer-ids/multihash", checked: checked)
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
