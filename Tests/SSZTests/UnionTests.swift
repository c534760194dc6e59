import Testing
@testable import SSZ

@SSZUnion
enum OptionalNumber: Equatable {
    case none
    case number(UInt64)
    case bytes(ByteList<8>)
}

@SSZCompatibleUnion(selectors: [1, 2])
enum Shape: Equatable {
    case square(Square)
    case circle(Circle)
}

@Suite struct UnionTests {
    @Test func roundTripsAndSelectors() throws {
        let values: [OptionalNumber] = [.none, .number(0x0102), .bytes(try ByteList([1, 2, 3]))]
        for value in values {
            #expect(try OptionalNumber(sszEncoded: value.sszEncoded()) == value)
        }
        #expect(OptionalNumber.none.sszEncoded() == [0])
        #expect(OptionalNumber.number(0x0102).sszEncoded() == [1, 2, 1, 0, 0, 0, 0, 0, 0])
        #expect(OptionalNumber.bytes(try ByteList([9])).sszEncoded() == [2, 9])
    }

    @Test func roots() throws {
        let zero = [UInt8](repeating: 0, count: 32)
        var selectorChunk = zero
        #expect(OptionalNumber.none.hashTreeRoot().bytes == ReferenceMerkle.hash(zero, selectorChunk))
        selectorChunk[0] = 1
        #expect(OptionalNumber.number(5).hashTreeRoot().bytes == ReferenceMerkle.hash(ReferenceMerkle.uint64Chunk(5), selectorChunk))
        let circle = Circle(radius: 3, color: 4)
        selectorChunk[0] = 2
        #expect(Shape.circle(circle).hashTreeRoot().bytes == ReferenceMerkle.hash(circle.hashTreeRoot().bytes, selectorChunk))
    }

    @Test func rejectsMalformed() throws {
        #expect(throws: SSZError.make(.wrongSize)) { try OptionalNumber(sszEncoded: []) }
        #expect(throws: SSZError.make(.invalidSelector)) { try OptionalNumber(sszEncoded: [3, 0]) }
        #expect(throws: SSZError.make(.wrongSize)) { try OptionalNumber(sszEncoded: [0, 0]) }
        #expect(throws: SSZError.make(.wrongSize)) { try OptionalNumber(sszEncoded: [1, 0, 0]) }
        #expect(throws: SSZError.make(.limitExceeded)) { try OptionalNumber(sszEncoded: [2] + Array(repeating: 1, count: 9)) }
        #expect(throws: SSZError.make(.invalidSelector)) { try Shape(sszEncoded: [0, 1, 2, 3]) }
        #expect(throws: SSZError.make(.invalidSelector)) { try Shape(sszEncoded: [3, 1, 2, 3]) }
        #expect(throws: SSZError.make(.wrongSize)) { try Shape(sszEncoded: [1, 1, 2]) }
        let square = Shape.square(Square(side: 1, color: 2))
        #expect(try Shape(sszEncoded: square.sszEncoded()) == square)
        #expect(square.sszEncoded() == [1, 1, 0, 2])
    }
}
