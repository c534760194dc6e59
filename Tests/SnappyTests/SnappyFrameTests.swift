import Testing
@testable import Snappy
import TestSupport

@Suite struct SnappyFrameTests {
    @Test(arguments: sampleInputs())
    func roundTrip(_ sample: SampleInput) throws {
        let input = sample.bytes
        let framed = SnappyFrame.encode(input)
        #expect(Array(framed.prefix(10)) == SnappyFrame.streamIdentifier)
        #expect(try SnappyFrame.decode(framed, maxLength: input.count) == input)
        #expect(try decodeIncrementally(framed, pieceSize: 1000, maxLength: input.count) == input)
        #expect(SnappyFrame.encode(input[...]) == framed)
    }

    @Test func emptyInputIsStreamIdentifierOnly() throws {
        #expect(SnappyFrame.encode([UInt8]()) == SnappyFrame.streamIdentifier)
        #expect(try SnappyFrame.decode([UInt8](), maxLength: 0) == [])
    }

    @Test func chunksAreAtMost64KiBAndCompressedOnlyWhenItPays() throws {
        var random = SeededRandom(seed: 3)
        let incompressible = random.bytes(65536 * 2 + 1)
        let chunks = try chunkHeaders(SnappyFrame.encode(incompressible))
        #expect(chunks.map(\.type) == [0xff, 0x01, 0x01, 0x01])
        #expect(chunks.map(\.length) == [6, 65540, 65540, 5])

        let repetitive = [UInt8](repeating: 0x55, count: 65536 + 1000)
        #expect(try chunkHeaders(SnappyFrame.encode(repetitive)).map(\.type) == [0xff, 0x00, 0x00])

        // libsnappy stores inputs this short as one literal, which saves less than an eighth.
        let shortTail = [UInt8](repeating: 0x55, count: 65536 + 10)
        #expect(try chunkHeaders(SnappyFrame.encode(shortTail)).map(\.type) == [0xff, 0x00, 0x01])
    }

    @Test func limitIsOnTheWholeStream() throws {
        let input = [UInt8](repeating: 1, count: 100_000)
        let framed = SnappyFrame.encode(input)
        #expect(try SnappyFrame.decode(framed, maxLength: 100_000) == input)
        #expect(throws: SnappyError.lengthExceedsLimit(declared: 100_000, limit: 99_999)) {
            try SnappyFrame.decode(framed, maxLength: 99_999)
        }
        #expect(throws: SnappyError.lengthExceedsLimit(declared: 100_000, limit: 99_999)) {
            try decodeIncrementally(framed, pieceSize: 4096, maxLength: 99_999)
        }
    }

    @Test func repeatedStreamIdentifiersAreAllowed() throws {
        let a = SnappyFrame.encode(Array("hello ".utf8))
        let b = SnappyFrame.encode(Array("world".utf8))
        #expect(try SnappyFrame.decode(a + b, maxLength: 100) == Array("hello world".utf8))
    }

    @Test func paddingAndSkippableChunksAreIgnored() throws {
        let payload = SnappyFrame.encode(Array("data".utf8))
        let padding: [UInt8] = [0xfe, 0x03, 0x00, 0x00, 0, 0, 0]
        let skippable: [UInt8] = [0x80, 0x00, 0x00, 0x00]
        let stream = Array(payload[..<10]) + padding + skippable + Array(payload[10...]) + padding
        #expect(try SnappyFrame.decode(stream, maxLength: 4) == Array("data".utf8))
        #expect(try decodeIncrementally(stream, pieceSize: 1, maxLength: 4) == Array("data".utf8))
    }

    @Test func malformedStreamsRejected() throws {
        let good = SnappyFrame.encode(Array("some data, some data, some data".utf8))
        let identifier = SnappyFrame.streamIdentifier
        var badChecksum = good
        badChecksum[14] ^= 1
        var badIdentifier = good
        badIdentifier[9] = 0x79
        let cases: [([UInt8], SnappyError)] = [
            (Array(good[10...]), .missingStreamIdentifier),
            ([0x00], .missingStreamIdentifier),
            (Array(good.dropLast()), .truncated),
            (Array(good.prefix(12)), .truncated),
            (identifier + [0x02, 0x00, 0x00, 0x00], .unskippableChunk(type: 0x02)),
            (identifier + [0x7f, 0x00, 0x00, 0x00], .unskippableChunk(type: 0x7f)),
            (identifier + [0x01, 0x03, 0x00, 0x00, 0, 0, 0], .corrupt),
            (identifier + [0x01, 0x05, 0x00, 0x01], .chunkTooLarge(length: 65537, limit: 65536)),
            (identifier + [0xff, 0x05, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70], .badStreamIdentifier),
            (badIdentifier, .badStreamIdentifier),
            (badChecksum, .badChecksum(stored: checksum(badChecksum), computed: checksum(good))),
            (identifier + [0x00, 0x05, 0x00, 0x00, 0, 0, 0, 0, 0x80], .truncated),
        ]
        for (stream, error) in cases {
            #expect(throws: error, "\(stream.prefix(16))") { try SnappyFrame.decode(stream, maxLength: 1 << 20) }
            #expect(throws: error, "\(stream.prefix(16))") {
                try decodeIncrementally(stream, pieceSize: 1, maxLength: 1 << 20)
            }
        }
    }

    @Test func compressedChunkDeclaringOver64KiBRejected() throws {
        let block = try SnappyBlock.compress([UInt8](repeating: 0, count: 65537))
        let crc = CRC32C.mask(CRC32C.checksum([UInt8](repeating: 0, count: 65537)))
        let length = block.count + 4
        let stream = SnappyFrame.streamIdentifier
            + [0x00, UInt8(length & 0xff), UInt8(length >> 8 & 0xff), UInt8(length >> 16)]
            + withUnsafeBytes(of: crc.littleEndian) { Array($0) } + block
        #expect(throws: SnappyError.chunkTooLarge(length: 65537, limit: 65536)) {
            try SnappyFrame.decode(stream, maxLength: 1 << 20)
        }
    }

    @Test func incrementalDecoderByteByByteMatchesWholeBuffer() throws {
        for input in sampleInputs().map(\.bytes) {
            let framed = SnappyFrame.encode(input)
            #expect(try decodeIncrementally(framed, pieceSize: 1, maxLength: input.count) == input)
        }
    }

    @Test func decoderIsStickyAfterAnError() {
        var decoder = SnappyFrameDecoder(maxTotalLength: 100)
        decoder.append([0x00, 0x00, 0x00, 0x00])
        #expect(throws: SnappyError.missingStreamIdentifier) { try decoder.next() }
        decoder.append(SnappyFrame.streamIdentifier)
        #expect(throws: SnappyError.missingStreamIdentifier) { try decoder.next() }
        #expect(throws: SnappyError.missingStreamIdentifier) { try decoder.finish() }
    }

    @Test func decoderBuffersAtMostOnePartialChunk() throws {
        let input = [UInt8](repeating: 9, count: 200_000)
        let framed = SnappyFrame.encode(input)
        var decoder = SnappyFrameDecoder(maxTotalLength: input.count)
        var output: [UInt8] = []
        var offset = 0
        while offset < framed.count {
            let end = min(offset + 3000, framed.count)
            decoder.append(framed[offset..<end])
            while let chunk = try decoder.next() { output += chunk }
            #expect(decoder.bufferedByteCount < 3000 + SnappyFrame.maxCompressedChunkDataLength + 8)
            offset = end
        }
        try decoder.finish()
        #expect(output == input)
        #expect(decoder.decodedByteCount == input.count)
    }

    /// A 1 MiB padding chunk is discarded as it arrives, never buffered whole.
    @Test func decoderDoesNotBufferSkippableChunks() throws {
        let paddingLength = 1 << 20
        let padding = [0xfe, 0x00, 0x00, 0x10] + [UInt8](repeating: 0, count: paddingLength)
        let stream = SnappyFrame.streamIdentifier + padding + Array(SnappyFrame.encode(Array("tail".utf8))[10...])
        var decoder = SnappyFrameDecoder(maxTotalLength: 4)
        var output: [UInt8] = []
        var offset = 0
        while offset < stream.count {
            let end = min(offset + 10_000, stream.count)
            decoder.append(stream[offset..<end])
            while let chunk = try decoder.next() { output += chunk }
            #expect(decoder.bufferedByteCount < 10_000)
            offset = end
        }
        try decoder.finish()
        #expect(output == Array("tail".utf8))
        #expect(try SnappyFrame.decode(stream, maxLength: 4) == Array("tail".utf8))
    }

    private func checksum(_ stream: [UInt8]) -> UInt32 {
        UInt32(stream[14]) | UInt32(stream[15]) << 8 | UInt32(stream[16]) << 16 | UInt32(stream[17]) << 24
    }
}

/// Feeds `stream` to a ``SnappyFrameDecoder`` in pieces of `pieceSize` bytes, draining it after each.
func decodeIncrementally(_ stream: [UInt8], pieceSize: Int, maxLength: Int) throws(SnappyError) -> [UInt8] {
    var decoder = SnappyFrameDecoder(maxTotalLength: maxLength)
    var output: [UInt8] = []
    var offset = 0
    while offset < stream.count {
        let end = min(offset + pieceSize, stream.count)
        decoder.append(stream[offset..<end])
        while let chunk = try decoder.next() { output += chunk }
        offset = end
    }
    try decoder.finish()
    return output
}

/// The (type, length) of every chunk of a well-formed stream.
func chunkHeaders(_ stream: [UInt8]) throws -> [(type: UInt8, length: Int)] {
    var headers: [(type: UInt8, length: Int)] = []
    var offset = 0
    while offset < stream.count {
        try #require(stream.count - offset >= 4)
        let length = Int(stream[offset + 1]) | Int(stream[offset + 2]) << 8 | Int(stream[offset + 3]) << 16
        headers.append((stream[offset], length))
        offset += 4 + length
    }
    return headers
}
