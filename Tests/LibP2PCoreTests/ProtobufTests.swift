import Testing
@testable import LibP2PCore
@testable import Multiformats

@Suite struct ProtobufTests {
    @Test func writesAndReadsEveryWireType() throws {
        var writer = ProtobufWriter()
        writer.writeVarint(150, field: 1)
        writer.writeString("testing", field: 2)
        writer.writeFixed32(0xdead_beef, field: 3)
        writer.writeFixed64(0x0102_0304_0506_0708, field: 4)
        writer.writeInt64(-2, field: 5)
        writer.writeBool(true, field: 6)
        // The protobuf documentation's example: field 1 = 150 is 08 96 01.
        #expect(Array(writer.bytes.prefix(3)) == [0x08, 0x96, 0x01])

        var reader = try ProtobufReader(writer.bytes)
        var seen = [Int]()
        while let field = try reader.next() {
            seen.append(field.number)
            switch field.number {
            case 1: #expect(try field.uint32() == 150)
            case 2: #expect(try field.string() == "testing")
            case 3: #expect(try field.fixed32() == 0xdead_beef)
            case 4: #expect(try field.fixed64() == 0x0102_0304_0506_0708)
            case 5:
                #expect(try field.int64() == -2)
                #expect(try field.int32() == -2)
            case 6: #expect(try field.bool())
            default: Issue.record("unexpected field \(field.number)")
            }
        }
        #expect(seen == [1, 2, 3, 4, 5, 6])
        #expect(reader.isAtEnd)
    }

    @Test func nestedMessagesWithBackpatchedLengths() throws {
        for size in [0, 1, 127, 128, 300, 20000] {
            var writer = ProtobufWriter()
            writer.writeMessage(field: 7) { inner in
                inner.writeBytes([UInt8](repeating: 0xab, count: size), field: 1)
            }
            writer.writeVarint(9, field: 8)
            var reader = try ProtobufReader(writer.bytes)
            let outer = try #require(try reader.next())
            #expect(outer.number == 7)
            var inner = try reader.nested(outer)
            #expect(inner.depth == 1)
            let payload = try #require(try inner.next())
            #expect(try payload.bytes().count == size)
            #expect(try inner.next() == nil)
            #expect(try reader.next()?.uint64() == 9)
        }
    }

    @Test func unknownFieldsAreSkippable() throws {
        var writer = ProtobufWriter()
        writer.writeFixed64(1, field: 100)
        writer.writeBytes([1, 2, 3], field: 101)
        writer.writeVarint(5, field: 1)
        var second = try ProtobufReader(writer.bytes)
        var found: UInt64?
        while let field = try second.next() {
            if field.number == 1 { found = try field.uint64() }
        }
        #expect(found == 5)
    }

    @Test func rejectsMalformedInput() throws {
        func firstError(_ bytes: [UInt8], limits: ProtobufLimits = .default) -> ProtobufError? {
            do throws(ProtobufError) {
                var reader = try ProtobufReader(bytes, limits: limits)
                while try reader.next() != nil {}
                return nil
            } catch {
                return error
            }
        }
        #expect(firstError([0x08]) == .truncated)  // varint value missing
        #expect(firstError([0x08, 0x80]) == .truncated)  // truncated varint
        #expect(firstError([0x12, 0x05, 0x01]) == .truncated)  // length beyond input
        #expect(firstError([0x0d, 0x01, 0x02]) == .truncated)  // fixed32 cut short
        #expect(firstError([0x00, 0x01]) == .invalidFieldNumber(0))
        #expect(firstError([0x0b]) == .unsupportedWireType(3))  // start group
        #expect(firstError([0x0e]) == .unsupportedWireType(6))
        #expect(firstError([0x08] + [UInt8](repeating: 0xff, count: 9) + [0x7f]) == .malformedVarint(.overflow))
        // A huge announced length is rejected against the limit before anything is allocated.
        #expect(firstError([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f])
            == .fieldTooLong(field: 2, length: 0xffff_ffff))
        let small = ProtobufLimits(maxMessageLength: 4, maxFieldLength: 2, maxDepth: 0)
        #expect(firstError([0x12, 0x03, 1, 2, 3], limits: small) == .messageTooLong(5))
        #expect(firstError([0x12, 0x03, 1, 2], limits: small) == .fieldTooLong(field: 2, length: 3))
        let reader = try ProtobufReader([0x0a, 0x00], limits: small)
        #expect(throws: ProtobufError.nestingTooDeep) { try reader.nested([][...]) }
    }

    @Test func typedAccessorsCheckWireTypeAndRange() {
        let varint = ProtobufField(number: 1, value: .varint(1 << 40))
        #expect(throws: ProtobufError.wrongWireType(field: 1)) { try varint.bytes() }
        #expect(throws: ProtobufError.valueOutOfRange(field: 1)) { try varint.uint32() }
        #expect(throws: ProtobufError.valueOutOfRange(field: 1)) { try varint.int32() }
        let text = ProtobufField(number: 2, value: .lengthDelimited([0xff, 0xfe][...]))
        #expect(throws: ProtobufError.invalidUTF8(field: 2)) { try text.string() }
        #expect(throws: ProtobufError.wrongWireType(field: 2)) { try text.uint64() }
    }
}
