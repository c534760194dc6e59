import Testing
@testable import SSZ
import TestSupport

@Suite struct CodecTests {
    @Test func rejectsEachMalformedClass() throws {
        // Wrong fixed size, invalid boolean.
        #expect(throws: SSZError.make(.wrongSize)) { try UInt32(sszEncoded: [1, 2, 3]) }
        #expect(throws: SSZError.make(.invalidBoolean)) { try Bool(sszEncoded: [2]) }
        // Container offsets: first offset mismatch, out of bounds, out of order, trailing bytes.
        let good = VarTestStruct(A: 1, B: try SSZList([5]), C: 2).sszEncoded()
        #expect(good == [1, 0, 7, 0, 0, 0, 2, 5, 0])
        #expect(throws: SSZError.make(.firstOffsetMismatch)) { try VarTestStruct(sszEncoded: [1, 0, 8, 0, 0, 0, 2, 5, 0]) }
        #expect(throws: SSZError.make(.firstOffsetMismatch)) { try VarTestStruct(sszEncoded: [1, 0, 6, 0, 0, 0, 2, 5, 0]) }
        #expect(throws: SSZError.make(.firstOffsetMismatch)) { try VarTestStruct(sszEncoded: [1, 0, 0xff, 0xff, 0xff, 0xff, 2]) }
        #expect(throws: SSZError.make(.wrongSize)) { try VarTestStruct(sszEncoded: [1, 0, 7, 0, 0]) }
        #expect(throws: SSZError.make(.wrongSize)) { try VarTestStruct(sszEncoded: good + [0]) }  // odd bytes for List[uint16]
        #expect(throws: SSZError.make(.wrongSize)) { try FixedTestStruct(sszEncoded: Array(repeating: 0, count: 14)) }
        // Lists of variable-size elements: misaligned, out of order, out of bounds.
        typealias Nested = SSZList<ByteList<4>, 4>
        let nested = try Nested([try ByteList([1]), try ByteList([2, 3])])
        #expect(nested.sszEncoded() == [8, 0, 0, 0, 9, 0, 0, 0, 1, 2, 3])
        #expect(try Nested(sszEncoded: nested.sszEncoded()) == nested)
        #expect(throws: SSZError.make(.misalignedOffsets)) { try Nested(sszEncoded: [7, 0, 0, 0, 9, 0, 0, 0, 1, 2, 3]) }
        #expect(throws: SSZError.make(.offsetsOutOfOrder)) { try Nested(sszEncoded: [8, 0, 0, 0, 7, 0, 0, 0, 1, 2, 3]) }
        #expect(throws: SSZError.make(.offsetOutOfBounds)) { try Nested(sszEncoded: [8, 0, 0, 0, 12, 0, 0, 0, 1, 2, 3]) }
        #expect(throws: SSZError.make(.offsetOutOfBounds)) { try Nested(sszEncoded: [0xf0, 0xff, 0xff, 0xff]) }
        #expect(throws: SSZError.make(.limitExceeded)) { try SSZList<ByteList<4>, 1>(sszEncoded: nested.sszEncoded()) }
        #expect(throws: SSZError.make(.misalignedOffsets)) { try Nested(sszEncoded: [0, 0, 0, 0]) }
        // Limits, bitlist delimiter, bitvector padding, zero-length vectors.
        #expect(throws: SSZError.make(.limitExceeded)) { try ByteList<3>(sszEncoded: [1, 2, 3, 4]) }
        #expect(throws: SSZError.make(.limitExceeded)) { try SSZList<UInt16, 1>(sszEncoded: [1, 0, 2, 0]) }
        #expect(throws: SSZError.make(.missingBitlistDelimiter)) { try Bitlist<16>(sszEncoded: [0xff, 0x00]) }
        #expect(throws: SSZError.make(.limitExceeded)) { try Bitlist<3>(sszEncoded: [0b10000]) }
        #expect(throws: SSZError.make(.nonZeroPaddingBits)) { try Bitvector<3>(sszEncoded: [0b1000]) }
        #expect(throws: SSZError.make(.illegalType)) { try SSZVector<UInt8, 0>(sszEncoded: []) }
        #expect(throws: SSZError.make(.wrongSize)) { try ByteVector<4>(sszEncoded: [1, 2, 3]) }
    }

    @Test func listOfByteVectorsDecodesIntoOneContiguousArray() throws {
        var bytes: [UInt8] = []
        for index in 0 ..< 64 { bytes += Array(repeating: UInt8(index), count: 32) }
        let list = try SSZList<ByteVector<32>, 64>(sszEncoded: bytes)
        #expect(list.count == 64)
        #expect(list[63][31] == 63)
        #expect(MemoryLayout<ByteVector<32>>.stride == 32)
        #expect(list.sszEncoded() == bytes)
        #expect(throws: SSZError.make(.limitExceeded)) { try SSZList<ByteVector<32>, 63>(sszEncoded: bytes) }
    }

    @Test func rootsMatchReference() throws {
        let bytes = (0 ..< 1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let list = try ByteList<4096>(bytes)
        let expected = ReferenceMerkle.mixInLength(ReferenceMerkle.merkleize(ReferenceMerkle.pack(bytes), limit: 128), 1000)
        #expect(list.hashTreeRoot().bytes == expected)
        let vector = try ByteVector<48>(bytes.prefix(48))
        #expect(vector.hashTreeRoot().bytes == ReferenceMerkle.merkleize(ReferenceMerkle.pack(Array(bytes.prefix(48)))))
        // Zero-hash table agrees with hashing zero subtrees by hand.
        var zero = [UInt8](repeating: 0, count: 32)
        for depth in 0 ... 64 {
            #expect(Merkleizer.zeroHashes[depth].bytes == zero)
            zero = ReferenceMerkle.hash(zero, zero)
        }
        #expect(UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639935") == .max)
        #expect(UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639936") == nil)
        #expect(UInt256.max.description == "115792089237316195423570985008687907853269984665640564039457584007913129639935")
    }

    @Test func propertyRoundTrips() throws {
        var generator = SeededRandom(seed: 7)
        for _ in 0 ..< 200 {
            let listCount = Int.random(in: 0 ... 20, using: &generator)
            let inner = try SSZList<UInt16, 1024>((0 ..< listCount).map { _ in UInt16.random(in: 0 ... .max, using: &generator) })
            let value = VarTestStruct(A: .random(in: 0 ... .max, using: &generator), B: inner, C: .random(in: 0 ... .max, using: &generator))
            let encoded = value.sszEncoded()
            let decoded = try VarTestStruct(sszEncoded: encoded)
            #expect(decoded == value)
            #expect(decoded.hashTreeRoot() == value.hashTreeRoot())
            let bits = (0 ..< Int.random(in: 0 ... 40, using: &generator)).map { _ in Bool.random(using: &generator) }
            let bitlist = try Bitlist<40>(bits)
            #expect(try Bitlist<40>(sszEncoded: bitlist.sszEncoded()).bits == bits)
            // Truncations of a valid encoding never trap.
            for cut in 0 ..< encoded.count {
                _ = try? VarTestStruct(sszEncoded: Array(encoded.prefix(cut)))
            }
        }
    }
}
