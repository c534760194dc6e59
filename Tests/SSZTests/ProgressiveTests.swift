import Testing
@testable import SSZ
import TestSupport

@SSZProgressiveContainer(activeFields: [1, 0, 1])
struct Square: Equatable {
    var side: UInt16
    var color: UInt8
}

@SSZProgressiveContainer(activeFields: [0, 1, 1])
struct Circle: Equatable {
    var radius: UInt16
    var color: UInt8
}

@SSZProgressiveContainer(activeFields: [1, 0, 1, 0, 1])
struct ProgressiveVarTestStruct: Equatable {
    var A: UInt8
    var B: SSZList<UInt16, 123>
    var C: ProgressiveBitlist
}

@Suite struct ProgressiveTests {
    var generator = SeededRandom(seed: 0x5eed_0001)

    @Test mutating func progressiveListOfUInt64MatchesReference() throws {
        for count in [0, 1, 2, 4, 5, 8, 21, 22, 100, 341, 342, 400] {
            let values = (0 ..< count).map { _ in UInt64.random(in: .min ... .max, using: &generator) }
            let list = ProgressiveList(values)
            let bytes = list.sszEncoded()
            #expect(try ProgressiveList<UInt64>(sszEncoded: bytes) == list)
            let serialized = values.flatMap { v in (0 ..< 8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
            #expect(bytes == serialized)
            let expected = ReferenceMerkle.mixInLength(ReferenceMerkle.merkleizeProgressive(ReferenceMerkle.pack(serialized)), count)
            #expect(list.hashTreeRoot().bytes == expected, "count \(count)")
        }
    }

    @Test mutating func progressiveListOfContainersMatchesReference() throws {
        for count in [0, 1, 3, 5, 6, 21, 30] {
            let values = (0 ..< count).map { _ in SmallTestStruct(A: .random(in: 0 ... .max, using: &generator), B: .random(in: 0 ... .max, using: &generator)) }
            let list = ProgressiveList(values)
            #expect(try ProgressiveList<SmallTestStruct>(sszEncoded: list.sszEncoded()) == list)
            let chunks = values.map { v in
                ReferenceMerkle.merkleize([ReferenceMerkle.uint64Chunk(UInt64(v.A)), ReferenceMerkle.uint64Chunk(UInt64(v.B))])
            }
            let expected = ReferenceMerkle.mixInLength(ReferenceMerkle.merkleizeProgressive(chunks), count)
            #expect(list.hashTreeRoot().bytes == expected)
        }
    }

    @Test mutating func progressiveBitlistMatchesReference() throws {
        for count in [0, 1, 7, 8, 9, 255, 256, 257, 1280, 1281, 5000] {
            let bits = (0 ..< count).map { _ in Bool.random(using: &generator) }
            let list = ProgressiveBitlist(bits)
            let bytes = list.sszEncoded()
            let decoded = try ProgressiveBitlist(sszEncoded: bytes)
            #expect(decoded == list)
            #expect(decoded.bits == bits)
            var packed = [UInt8](repeating: 0, count: (count + 7) / 8)
            for (index, bit) in bits.enumerated() where bit { packed[index / 8] |= 1 << UInt8(index % 8) }
            let expected = ReferenceMerkle.mixInLength(ReferenceMerkle.merkleizeProgressive(ReferenceMerkle.pack(packed)), count)
            #expect(list.hashTreeRoot().bytes == expected, "count \(count)")
        }
        #expect(throws: SSZError.make(.missingBitlistDelimiter)) { try ProgressiveBitlist(sszEncoded: [0x05, 0x00]) }
        #expect(throws: SSZError.make(.missingBitlistDelimiter)) { try ProgressiveBitlist(sszEncoded: []) }
    }

    @Test func progressiveContainerRootsMatchReference() throws {
        let square = Square(side: 0x1234, color: 7)
        #expect(try Square(sszEncoded: square.sszEncoded()) == square)
        #expect(square.sszEncoded() == [0x34, 0x12, 7])
        let zero = [UInt8](repeating: 0, count: 32)
        let sideChunk = ReferenceMerkle.pack([0x34, 0x12])[0]
        let colorChunk = ReferenceMerkle.pack([7])[0]
        let squareExpected = ReferenceMerkle.mixInActiveFields(
            ReferenceMerkle.merkleizeProgressive([sideChunk, zero, colorChunk]), [1, 0, 1])
        #expect(square.hashTreeRoot().bytes == squareExpected)

        let circle = Circle(radius: 0x1234, color: 7)
        let circleExpected = ReferenceMerkle.mixInActiveFields(
            ReferenceMerkle.merkleizeProgressive([zero, sideChunk, colorChunk]), [0, 1, 1])
        #expect(circle.hashTreeRoot().bytes == circleExpected)
        #expect(circle.hashTreeRoot() != square.hashTreeRoot())

        let variable = ProgressiveVarTestStruct(A: 9, B: try SSZList([1, 2, 3]), C: ProgressiveBitlist([true, false, true]))
        let bytes = variable.sszEncoded()
        #expect(try ProgressiveVarTestStruct(sszEncoded: bytes) == variable)
        #expect(bytes == [9, 9, 0, 0, 0, 15, 0, 0, 0, 1, 0, 2, 0, 3, 0, 0b1101])
        let listRoot = ReferenceMerkle.mixInLength(ReferenceMerkle.merkleize(ReferenceMerkle.pack([1, 0, 2, 0, 3, 0]), limit: (123 * 2 + 31) / 32), 3)
        let bitsRoot = ReferenceMerkle.mixInLength(ReferenceMerkle.merkleizeProgressive(ReferenceMerkle.pack([0b101])), 3)
        let expected = ReferenceMerkle.mixInActiveFields(
            ReferenceMerkle.merkleizeProgressive([ReferenceMerkle.pack([9])[0], zero, listRoot, zero, bitsRoot]), [1, 0, 1, 0, 1])
        #expect(variable.hashTreeRoot().bytes == expected)
    }
}
