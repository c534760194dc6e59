extension SnappyFrame {
    /// Chunk type bytes of the framing format.
    @usableFromInline
    enum ChunkType {
        @usableFromInline static let compressed: UInt8 = 0x00
        @usableFromInline static let uncompressed: UInt8 = 0x01
        @usableFromInline static let padding: UInt8 = 0xfe
        @usableFromInline static let streamIdentifier: UInt8 = 0xff
    }

    /// What a chunk is, once its header has been checked.
    @usableFromInline
    enum ChunkKind: Equatable {
        case streamIdentifier
        case compressed
        case uncompressed
        /// Padding (`0xfe`) and reserved skippable chunks (`0x80...0xfd`): ignored.
        case skippable
    }

    /// A chunk header: one type byte and a 24-bit little-endian body length.
    @usableFromInline
    struct ChunkHeader {
        @usableFromInline let type: UInt8
        @usableFromInline let length: Int

        /// Reads the header at `offset`; the caller guarantees four bytes are there.
        @inlinable
        init(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
            type = bytes[offset]
            length = Int(bytes[offset + 1]) | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]) << 16
        }

        /// Classifies the chunk and checks its length against its type's limits.
        @inlinable
        func kind(afterIdentifier sawIdentifier: Bool) throws(SnappyError) -> ChunkKind {
            guard sawIdentifier || type == ChunkType.streamIdentifier else { throw .missingStreamIdentifier }
            switch type {
            case ChunkType.streamIdentifier:
                guard length == streamIdentifier.count - chunkHeaderLength else { throw .badStreamIdentifier }
                return .streamIdentifier
            case ChunkType.compressed:
                guard length >= 4 else { throw .corrupt }
                guard length - 4 <= maxCompressedChunkDataLength else {
                    throw .chunkTooLarge(length: length - 4, limit: maxCompressedChunkDataLength)
                }
                return .compressed
            case ChunkType.uncompressed:
                guard length >= 4 else { throw .corrupt }
                guard length - 4 <= maxChunkDataLength else {
                    throw .chunkTooLarge(length: length - 4, limit: maxChunkDataLength)
                }
                return .uncompressed
            case 0x02...0x7f:
                throw .unskippableChunk(type: type)
            default:
                return .skippable
            }
        }
    }

    /// Checks the body of a stream identifier chunk: exactly `"sNaPpY"`.
    @inlinable
    static func checkStreamIdentifier(_ body: UnsafeRawBufferPointer) throws(SnappyError) {
        let expected = streamIdentifier.withUnsafeBytes { identifier in
            body.elementsEqual(UnsafeRawBufferPointer(rebasing: identifier[chunkHeaderLength...]))
        }
        guard expected else { throw .badStreamIdentifier }
    }

    /// The uncompressed length of a data chunk's body (checksum included), at most
    /// ``maxChunkDataLength``: for a compressed chunk the length its block declares.
    @inlinable
    static func dataLength(_ kind: ChunkKind, _ body: UnsafeRawBufferPointer) throws(SnappyError) -> Int {
        let payload = UnsafeRawBufferPointer(rebasing: body[4...])
        let length = kind == .compressed ? try SnappyBlock.Preamble(parsing: payload).length : payload.count
        guard length <= maxChunkDataLength else { throw .chunkTooLarge(length: length, limit: maxChunkDataLength) }
        return length
    }

    /// Decodes a data chunk's body into `output`, which has exactly the length
    /// ``dataLength(_:_:)`` returned, and checks the masked CRC-32C.
    @inlinable
    static func decodeData(
        _ kind: ChunkKind, _ body: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(SnappyError) {
        let stored = UInt32(littleEndian: body.loadUnaligned(as: UInt32.self))
        let payload = UnsafeRawBufferPointer(rebasing: body[4...])
        if kind == .compressed {
            guard SnappyBlock.decompress(payload, declaredLength: output.count, into: output) else { throw .corrupt }
        } else if let source = payload.baseAddress, let target = output.baseAddress {
            target.copyMemory(from: source, byteCount: payload.count)
        }
        let computed = CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(output)))
        guard computed == stored else { throw .badChecksum(stored: stored, computed: computed) }
    }
}
