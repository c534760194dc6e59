/// The Snappy framing ("stream") format: a stream identifier chunk followed by compressed,
/// uncompressed, padding and reserved chunks, each data chunk carrying the masked CRC-32C of
/// at most 65536 uncompressed bytes (see `framing_format.txt`).
///
/// ``encode(_:)-(UnsafeRawBufferPointer)`` and ``decode(_:maxLength:)-(UnsafeRawBufferPointer,_)`` work on
/// whole buffers; ``SnappyFrameDecoder`` decodes a stream that arrives in pieces.
public enum SnappyFrame {
    /// The stream identifier chunk every stream starts with: type `0xff`, length 6, `"sNaPpY"`.
    public static let streamIdentifier: [UInt8] = [0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]

    /// The most uncompressed bytes one data chunk may carry.
    public static let maxChunkDataLength = 65536

    /// The largest compressed body (after the checksum) accepted for a compressed chunk:
    /// libsnappy's bound for ``maxChunkDataLength`` bytes.
    public static let maxCompressedChunkDataLength = SnappyBlock.maxCompressedLength(maxChunkDataLength)

    /// The length of a chunk header: one type byte and a 24-bit little-endian length.
    public static let chunkHeaderLength = 4

    // MARK: Encoding

    /// Frames `input`: a stream identifier, then one chunk per 64 KiB of input, compressed
    /// unless compression saves less than an eighth of the chunk, in which case the chunk is
    /// stored uncompressed.
    @inlinable
    public static func encode(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let chunkCount = (input.count + maxChunkDataLength - 1) / maxChunkDataLength
        var bound = streamIdentifier.count + chunkCount * (chunkHeaderLength + 4)
        if chunkCount > 0 {
            let last = input.count - (chunkCount - 1) * maxChunkDataLength
            bound += (chunkCount - 1) * maxCompressedChunkDataLength + SnappyBlock.maxCompressedLength(last)
        }
        return [UInt8](unsafeUninitializedCapacity: bound) { output, count in
            let output = UnsafeMutableRawBufferPointer(output)
            streamIdentifier.withUnsafeBytes { output.copyMemory(from: $0) }
            var written = streamIdentifier.count
            var offset = 0
            while offset < input.count {
                let data = UnsafeRawBufferPointer(rebasing: input[offset..<min(offset + maxChunkDataLength, input.count)])
                written += encodeChunk(data, into: UnsafeMutableRawBufferPointer(rebasing: output[written...]))
                offset += data.count
            }
            count = written
        }
    }

    /// Frames `input` (see ``encode(_:)-(UnsafeRawBufferPointer)``).
    @inlinable
    public static func encode(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { encode($0) }
    }

    /// Frames `input` (see ``encode(_:)-(UnsafeRawBufferPointer)``).
    @inlinable
    public static func encode(_ input: some Collection<UInt8>) -> [UInt8] {
        (try? withContiguousBytes(input) { bytes throws(SnappyError) in encode(bytes) }) ?? []
    }

    /// Writes one data chunk for `data` (at most ``maxChunkDataLength`` bytes) into `output`,
    /// which has room for `8 + maxCompressedLength(data.count)` bytes; returns the bytes written.
    @inlinable
    static func encodeChunk(_ data: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        let checksum = CRC32C.mask(CRC32C.checksum(data))
        let body = UnsafeMutableRawBufferPointer(rebasing: output[(chunkHeaderLength + 4)...])
        let compressedLength = SnappyBlock.compress(data, into: body)
        let type: UInt8
        let bodyLength: Int
        if compressedLength > 0 && compressedLength < data.count - data.count / 8 {
            type = ChunkType.compressed
            bodyLength = compressedLength
        } else {
            type = ChunkType.uncompressed
            bodyLength = data.count
            if let source = data.baseAddress, let target = body.baseAddress {
                target.copyMemory(from: source, byteCount: data.count)
            }
        }
        let length = UInt32(bodyLength + 4)
        output[0] = type
        output[1] = UInt8(truncatingIfNeeded: length)
        output[2] = UInt8(truncatingIfNeeded: length >> 8)
        output[3] = UInt8(truncatingIfNeeded: length >> 16)
        output.storeBytes(of: checksum.littleEndian, toByteOffset: chunkHeaderLength, as: UInt32.self)
        return chunkHeaderLength + 4 + bodyLength
    }

    // MARK: Decoding

    /// Decodes a whole framed stream whose data totals at most `maxLength` bytes.
    ///
    /// The chunk headers are checked first and the declared lengths summed and checked
    /// against `maxLength`; the output is then allocated once, with exactly that length, and
    /// every chunk is decoded into it and checked against its CRC. An empty input is an empty
    /// stream. A stream that ends inside a chunk is ``SnappyError/truncated``.
    @inlinable
    public static func decode(_ input: UnsafeRawBufferPointer, maxLength: Int) throws(SnappyError) -> [UInt8] {
        let total = try scan(input, maxLength: maxLength)
        var failure: SnappyError?
        let output = [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            do throws(SnappyError) {
                try decodeChunks(input, into: UnsafeMutableRawBufferPointer(buffer))
                count = total
            } catch {
                failure = error
                count = 0
            }
        }
        if let failure { throw failure }
        return output
    }

    /// Decodes a whole framed stream (see ``decode(_:maxLength:)-(UnsafeRawBufferPointer,_)``).
    @inlinable
    public static func decode(_ input: [UInt8], maxLength: Int) throws(SnappyError) -> [UInt8] {
        try input.withUnsafeBytes { bytes in
            Result<[UInt8], SnappyError> { () throws(SnappyError) in try decode(bytes, maxLength: maxLength) }
        }.get()
    }

    /// Decodes a whole framed stream (see ``decode(_:maxLength:)-(UnsafeRawBufferPointer,_)``).
    @inlinable
    public static func decode(_ input: some Collection<UInt8>, maxLength: Int) throws(SnappyError) -> [UInt8] {
        try withContiguousBytes(input) { bytes throws(SnappyError) in try decode(bytes, maxLength: maxLength) }
    }

    /// First pass: checks every chunk header and stream identifier, and returns the total
    /// uncompressed length the data chunks declare (at most `maxLength`).
    @inlinable
    static func scan(_ input: UnsafeRawBufferPointer, maxLength: Int) throws(SnappyError) -> Int {
        var offset = 0
        var total = 0
        var sawIdentifier = false
        while offset < input.count {
            guard input.count - offset >= chunkHeaderLength else {
                if !sawIdentifier && input[offset] != ChunkType.streamIdentifier { throw .missingStreamIdentifier }
                throw .truncated
            }
            let header = ChunkHeader(input, at: offset)
            let kind = try header.kind(afterIdentifier: sawIdentifier)
            let bodyStart = offset + chunkHeaderLength
            guard input.count - bodyStart >= header.length else { throw .truncated }
            let body = UnsafeRawBufferPointer(rebasing: input[bodyStart..<(bodyStart + header.length)])
            switch kind {
            case .streamIdentifier:
                try checkStreamIdentifier(body)
                sawIdentifier = true
            case .compressed, .uncompressed:
                let length = try dataLength(kind, body)
                guard length <= maxLength - total else {
                    throw .lengthExceedsLimit(declared: total + length, limit: maxLength)
                }
                total += length
            case .skippable:
                break
            }
            offset = bodyStart + header.length
        }
        return total
    }

    /// Second pass over a stream that ``scan(_:maxLength:)`` accepted: decodes every data
    /// chunk into `output`, which has exactly the length `scan` returned.
    @inlinable
    static func decodeChunks(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(SnappyError) {
        var offset = 0
        var written = 0
        while offset < input.count {
            let header = ChunkHeader(input, at: offset)
            let kind = try header.kind(afterIdentifier: true)
            let bodyStart = offset + chunkHeaderLength
            let body = UnsafeRawBufferPointer(rebasing: input[bodyStart..<(bodyStart + header.length)])
            if kind == .compressed || kind == .uncompressed {
                let length = try dataLength(kind, body)
                try decodeData(kind, body, into: UnsafeMutableRawBufferPointer(rebasing: output[written..<(written + length)]))
                written += length
            }
            offset = bodyStart + header.length
        }
        guard written == output.count else { throw .corrupt }
    }
}
