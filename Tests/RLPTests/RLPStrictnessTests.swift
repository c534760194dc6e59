import Testing
@testable import RLP

func bytes(_ hex: String) -> [UInt8] {
    var out = [UInt8]()
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        out.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return out
}

@Suite struct RLPStrictnessTests {
    /// One malformed input per rejection class, with the code it must produce.
    @Test(arguments: [
        ("", RLPError.Code.truncated),
        ("83646f", .truncated),                       // payload past the end
        ("b8", .truncated),                           // length bytes past the end
        ("b9ffff", .truncated),                       // long length past the end
        ("c3c2c0", .truncated),                       // inner list past its parent
        ("8100", .nonCanonicalSingleByte),
        ("817f", .nonCanonicalSingleByte),
        ("b80100", .nonCanonicalLongLength),          // long form for a 1-byte string
        ("b837" + String(repeating: "00", count: 55), .nonCanonicalLongLength),
        ("f837" + String(repeating: "c0", count: 55), .nonCanonicalLongLength),
        ("b90038" + String(repeating: "00", count: 56), .leadingZeroInLength),
        ("bf" + "ffffffffffffffff", .lengthOverflow), // 2^64 - 1 > Int.max
        ("8000", .trailingBytes),
        ("c0c0", .trailingBytes),
    ])
    func rejects(hex: String, code: RLPError.Code) {
        #expect(throws: RLPError.self) { try RLP.decode(bytes(hex)) }
        do {
            _ = try RLP.decode(bytes(hex))
        } catch {
            #expect(error.code == code, "\(hex)")
        }
    }

    @Test func depthLimit() throws {
        let limits = RLPLimits(maximumDepth: 3)
        #expect(try RLP.decode(bytes("c2c1c0"), limits: limits) == .list([.list([.list([])])]))
        #expect(throws: RLPError(.depthLimitExceeded, at: 3)) { try RLP.decode(bytes("c3c2c1c0"), limits: limits) }
        #expect(throws: RLPError(.depthLimitExceeded, at: 3)) { try RLP.validate(bytes("c3c2c1c0")[...], limits: limits) }
        var reader = RLPReader(bytes("c3c2c1c0")[...], limits: limits)
        var level1 = try reader.readList()
        var level2 = try level1.readList()
        var level3 = try level2.readList()
        #expect(throws: RLPError(.depthLimitExceeded, at: 3)) { _ = try level3.readList() }
        // 100 nested lists exceed the default limit of 32: refused before recursing further.
        var deep = RLPItem.list([])
        for _ in 0..<99 { deep = .list([deep]) }
        do {
            _ = try RLP.decode(deep.encoded)
            Issue.record("deep nesting accepted")
        } catch {
            #expect(error.code == .depthLimitExceeded)
        }
    }

    @Test func itemAndInputLimits() throws {
        let list = RLPItem.list((0..<10).map { .uint(UInt64($0)) })
        let encoded = list.encoded
        #expect(try RLP.decode(encoded, limits: RLPLimits(maximumItemCount: 11)) == list)
        #expect(throws: RLPError.self) { try RLP.decode(encoded, limits: RLPLimits(maximumItemCount: 10)) }
        #expect(throws: RLPError(.inputTooLong, at: 0)) { try RLP.decode(encoded, limits: RLPLimits(maximumInputLength: 5)) }
    }

    @Test func integers() throws {
        for value: UInt64 in [0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 1 << 32, .max] {
            var encoder = RLPEncoder()
            encoder.appendUInt(value)
            #expect(encoder.bytes == RLPItem.uint(value).encoded)
            var reader = RLPReader(encoder.bytes[...])
            #expect(try reader.readUInt64() == value)
            #expect(reader.isAtEnd)
        }
        #expect(RLP.minimalBigEndian(0) == [])
        #expect(RLP.minimalBigEndian(0x0102) == [1, 2])
        // Leading zeros, the single byte 0x00 as an integer, and 9-byte values are refused.
        var leadingZero = RLPReader(bytes("820001")[...])
        #expect(throws: RLPError(.integerLeadingZero, at: 1)) { _ = try leadingZero.readUInt64() }
        var zeroByte = RLPReader(bytes("00")[...])
        #expect(throws: RLPError(.integerLeadingZero, at: 0)) { _ = try zeroByte.readUInt64() }
        var tooWide = RLPReader(bytes("89010000000000000000")[...])
        #expect(throws: RLPError(.integerOverflow, at: 1)) { _ = try tooWide.readUInt64() }
    }

    @Test func readerIsZeroCopyAndTyped() throws {
        let encoded = RLPItem.list([.bytes(Array("dog".utf8)), .list([.uint(1000)]), .bytes([])]).encoded
        var reader = try RLPReader(list: encoded[...])
        let dog = try reader.readBytes()
        #expect(Array(dog) == Array("dog".utf8))
        #expect(dog.startIndex == 2, "payload is a slice of the input, indexed like it")
        #expect(throws: RLPError.self) { var copy = reader; _ = try copy.readBytes() }
        let nested = try reader.readEncodedItem()
        #expect(Array(nested) == bytes("c38203e8"))
        #expect(try reader.readBytes().isEmpty)
        #expect(reader.isAtEnd)
        #expect(throws: RLPError(.endOfList, at: encoded.count)) { _ = try reader.readBytes() }
        #expect(throws: RLPError.self) { _ = try RLPReader(list: bytes("83646f67")[...]) }
        #expect(throws: RLPError(.trailingBytes, at: 1)) { _ = try RLPReader(list: bytes("c0c0")[...]) }
        // readEncodedItem validates what is nested inside.
        var bad = RLPReader(bytes("c28100")[...])
        #expect(throws: RLPError(.nonCanonicalSingleByte, at: 1)) { _ = try bad.readEncodedItem() }
    }

    /// Random trees round-trip through both encoders and the decoder.
    @Test func randomTreesRoundTrip() throws {
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        func randomItem(depth: Int) -> RLPItem {
            if depth > 3 || next() % 3 != 0 {
                let length = [0, 1, 1, 2, 55, 56, 57, 300][Int(next() % 8)]
                return .bytes((0..<length).map { _ in UInt8(truncatingIfNeeded: next()) })
            }
            return .list((0..<Int(next() % 6)).map { _ in randomItem(depth: depth + 1) })
        }
        func appendViaClosures(_ item: RLPItem, _ encoder: inout RLPEncoder) {
            switch item {
            case .bytes(let payload): encoder.appendBytes(payload)
            case .list(let items): encoder.appendList { inner in for element in items { appendViaClosures(element, &inner) } }
            }
        }
        for _ in 0..<300 {
            let value = randomItem(depth: 0)
            let encoded = value.encoded
            var viaClosures = RLPEncoder()
            appendViaClosures(value, &viaClosures)
            #expect(viaClosures.bytes == encoded)
            #expect(try RLP.decode(encoded) == value)
            // Every strict prefix is rejected.
            if encoded.count > 1 {
                let cut = Int(next() % UInt64(encoded.count))
                #expect(throws: RLPError.self) { try RLP.decode(Array(encoded[0..<cut])) }
            }
        }
    }
}
