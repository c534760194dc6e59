import Testing
@_spi(Reference) @testable import Snappy

@Suite struct SnappyBlockTests {
    @Test(arguments: sampleInputs())
    func roundTrip(_ sample: SampleInput) throws {
        let input = sample.bytes
        let compressed = try SnappyBlock.compress(input)
        #expect(compressed.count <= SnappyBlock.maxCompressedLength(input.count))
        #expect(try SnappyBlock.uncompressedLength(compressed) == input.count)
        #expect(SnappyBlock.isValid(compressed, maxLength: input.count))
        #expect(try SnappyBlock.decompress(compressed, maxLength: input.count) == input)
        #expect(try SnappyBlock.decompress(compressed[...], maxLength: input.count) == input)
        #expect(try SnappyBlock.compress(input[...]) == compressed)
    }

    @Test func exactMaximumAcceptedOneLessRejected() throws {
        let input = [UInt8](repeating: 0x41, count: 1000)
        let compressed = try SnappyBlock.compress(input)
        #expect(try SnappyBlock.decompress(compressed, maxLength: 1000) == input)
        #expect(throws: SnappyError.lengthExceedsLimit(declared: 1000, limit: 999)) {
            try SnappyBlock.decompress(compressed, maxLength: 999)
        }
        #expect(!SnappyBlock.isValid(compressed, maxLength: 999))
    }

    /// A 5-byte block declaring 4 GiB - 1 is rejected from its preamble alone: the output
    /// is never allocated (an allocation of that size would dominate the test's run time or fail).
    @Test func hugeDeclaredLengthRejectedBeforeAllocation() throws {
        let block: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]
        #expect(throws: SnappyError.lengthExceedsLimit(declared: 0xFFFF_FFFF, limit: 1 << 20)) {
            try SnappyBlock.decompress(block, maxLength: 1 << 20)
        }
        #expect(try SnappyBlock.uncompressedLength(block) == 0xFFFF_FFFF)
    }

    @Test func preambleErrors() throws {
        #expect(throws: SnappyError.truncated) { try SnappyBlock.uncompressedLength([UInt8]()) }
        #expect(throws: SnappyError.truncated) { try SnappyBlock.uncompressedLength([0x80, 0x80]) }
        // The fifth byte may only carry the top four bits of a 32-bit length.
        #expect(throws: SnappyError.corrupt) { try SnappyBlock.uncompressedLength([0xff, 0xff, 0xff, 0xff, 0x10]) }
        #expect(throws: SnappyError.corrupt) { try SnappyBlock.uncompressedLength([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) }
        #expect(try SnappyBlock.uncompressedLength([0x80, 0x01]) == 128)
    }

    /// Each malformed-element class is rejected, never trapping.
    @Test func malformedBlocksRejected() {
        let cases: [[UInt8]] = [
            [0x04, 0x0c, 0x61, 0x62],                    // literal runs past the input
            [0x08, 0x0c, 0x61, 0x62, 0x63, 0x64, 0x01, 0x05], // copy offset 5 before the start
            [0x08, 0x0c, 0x61, 0x62, 0x63, 0x64, 0x01, 0x00], // copy offset 0
            [0x05, 0x0c, 0x61, 0x62, 0x63, 0x64],        // produces 4 bytes, declares 5
            [0x03, 0x0c, 0x61, 0x62, 0x63, 0x64],        // produces 4 bytes, declares 3
            [0x04, 0x0c, 0x61, 0x62, 0x63, 0x64, 0x00],  // trailing element past the declared length
            [0x01],                                      // declares 1, holds nothing
        ]
        for block in cases {
            #expect(throws: SnappyError.self) { try SnappyBlock.decompress(block, maxLength: 1 << 20) }
            #expect(!SnappyBlock.isValid(block, maxLength: 1 << 20))
        }
    }

    @Test func rawReferenceAgrees() throws {
        let input = sampleInputs()[4].bytes
        let ours = try SnappyBlock.compress(input)
        let reference = input.withUnsafeBytes { source in
            [UInt8](unsafeUninitializedCapacity: SnappyRaw.maxCompressedLength(source.count)) { buffer, count in
                count = SnappyRaw.compress(source, into: UnsafeMutableRawBufferPointer(buffer)) ?? 0
            }
        }
        #expect(ours == reference)
        #expect(reference.withUnsafeBytes { SnappyRaw.uncompressedLength($0) } == input.count)
    }
}
