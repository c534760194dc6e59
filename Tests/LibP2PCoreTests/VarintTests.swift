import Testing
@testable import LibP2PCore
@testable import Multiformats

@Suite struct VarintTests {
    @Test func specExamples() throws {
        let examples: [(UInt64, [UInt8])] = [
            (1, [0x01]), (127, [0x7f]), (128, [0x80, 0x01]), (255, [0xff, 0x01]), (300, [0xac, 0x02]),
            (16384, [0x80, 0x80, 0x01]), (0, [0x00]),
        ]
        for (value, bytes) in examples {
            #expect(UVarint.encode(value) == bytes)
            #expect(UVarint.encodedLength(value) == bytes.count)
            let decoded = try UVarint.decode(bytes)
            #expect(decoded.value == value && decoded.length == bytes.count)
        }
    }

    @Test func roundTripsAcrossLengths() throws {
        for shift in 0..<63 {
            for value in [UInt64(1) << shift, (UInt64(1) << shift) - 1, (UInt64(1) << shift) + 1] {
                let bytes = UVarint.encode(value)
                #expect(bytes.count == UVarint.encodedLength(value))
                #expect(bytes.count <= 9)
                #expect(try UVarint.decode(bytes).value == value)
            }
        }
        // 2^63 and above need 10 bytes: protobuf only.
        let big = UVarint.encode(UInt64.max)
        #expect(big.count == 10)
        #expect(try UVarint.decode(big, rules: .protobuf).value == UInt64.max)
        #expect(throws: VarintError.tooLong) { try UVarint.decode(big) }
    }

    @Test func rejectsTruncated() {
        #expect(throws: VarintError.truncated) { try UVarint.decode([UInt8]()) }
        #expect(throws: VarintError.truncated) { try UVarint.decode([0x80]) }
        #expect(throws: VarintError.truncated) { try UVarint.decode([0xff, 0xff]) }
    }

    @Test func rejectsOverlong() {
        let nine = [UInt8](repeating: 0xff, count: 9) + [0x01]
        #expect(throws: VarintError.tooLong) { try UVarint.decode(nine) }
        // Ten bytes whose last carries more than one bit overflow 64 bits.
        let overflow = [UInt8](repeating: 0xff, count: 9) + [0x02]
        #expect(throws: VarintError.overflow) { try UVarint.decode(overflow, rules: .protobuf) }
        // An eleventh byte is impossible: the tenth would need its continuation bit.
        #expect(throws: VarintError.overflow) {
            try UVarint.decode([UInt8](repeating: 0x80, count: 10) + [0], rules: .protobuf)
        }
        #expect(throws: VarintError.tooLong) {
            try UVarint.decode([0x80, 0x80, 0x01], rules: UVarint.Rules(maxBytes: 2, requireMinimal: true))
        }
    }

    @Test func rejectsNonMinimal() throws {
        #expect(throws: VarintError.notMinimal) { try UVarint.decode([0x81, 0x00]) }
        #expect(throws: VarintError.notMinimal) { try UVarint.decode([0x80, 0x80, 0x00]) }
        // Protobuf tolerates it.
        #expect(try UVarint.decode([0x81, 0x00], rules: .protobuf).value == 1)
    }

    @Test func exactDecodeRejectsTrailingBytes() throws {
        #expect(try UVarint.decodeExactly([0xac, 0x02]) == 300)
        #expect(throws: VarintError.trailingBytes) { try UVarint.decodeExactly([0x01, 0x00]) }
    }
}
