/// An incremental (sans-IO) decoder for the Snappy framing format, for streams that arrive
/// in pieces: ``append(_:)-(UnsafeRawBufferPointer)`` bytes as they come, then call ``next()`` until it
/// returns `nil`, and ``finish()`` at the end of the stream.
///
/// A data chunk is decoded only once all of it has arrived; until then its bytes stay
/// buffered. Padding and reserved skippable chunks, which may be up to 16 MiB long, are
/// discarded as they arrive instead of being buffered. After an error, the decoder keeps
/// throwing that error.
public struct SnappyFrameDecoder: Sendable {
    /// The most uncompressed bytes the whole stream may produce.
    public let maxTotalLength: Int
    /// The uncompressed bytes produced so far.
    public private(set) var decodedByteCount = 0

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Bytes of a skippable chunk still to be discarded as they arrive.
    private var skipRemaining = 0
    private var sawIdentifier = false
    private var failure: SnappyError?

    /// Creates a decoder for a stream producing at most `maxTotalLength` uncompressed bytes.
    public init(maxTotalLength: Int) {
        self.maxTotalLength = maxTotalLength
    }

    /// The received bytes not yet decoded (at most one incomplete chunk after ``next()`` returned `nil`).
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var bytes = bytes
        if skipRemaining > 0 {
            let skipped = min(skipRemaining, bytes.count)
            skipRemaining -= skipped
            bytes = UnsafeRawBufferPointer(rebasing: bytes[skipped...])
        }
        guard !bytes.isEmpty else { return }
        if readIndex > 0 && readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { append($0) }
        }
    }

    /// The uncompressed data of the next complete data chunk, or `nil` when more bytes are
    /// needed. Stream identifiers, padding, skippable and empty data chunks are consumed silently.
    public mutating func next() throws(SnappyError) -> [UInt8]? {
        if let failure { throw failure }
        do throws(SnappyError) {
            return try nextChunk()
        } catch {
            failure = error
            throw error
        }
    }

    /// Checks that the stream ended at a chunk boundary.
    ///
    /// Call after ``next()`` returned `nil` for the last received bytes.
    /// - Throws: ``SnappyError/truncated`` when part of a chunk is still pending.
    public mutating func finish() throws(SnappyError) {
        if let failure { throw failure }
        if bufferedByteCount > 0 {
            let first = buffer[readIndex]
            failure = !sawIdentifier && first != SnappyFrame.ChunkType.streamIdentifier
                ? .missingStreamIdentifier : .truncated
        } else if skipRemaining > 0 {
            failure = .truncated
        }
        if let failure { throw failure }
    }

    private mutating func nextChunk() throws(SnappyError) -> [UInt8]? {
        while skipRemaining == 0 {
            let available = buffer.count - readIndex
            guard available > 0 else {
                // Everything received is consumed: reuse the storage from its start.
                buffer.removeAll(keepingCapacity: true)
                readIndex = 0
                return nil
            }
            guard available >= SnappyFrame.chunkHeaderLength else {
                if !sawIdentifier && buffer[readIndex] != SnappyFrame.ChunkType.streamIdentifier {
                    throw .missingStreamIdentifier
                }
                return nil
            }
            let (start, seen, produced, limit) = (readIndex, sawIdentifier, decodedByteCount, maxTotalLength)
            let outcome = try buffer.withUnsafeBytes { bytes in
                Result<Step, SnappyError> { () throws(SnappyError) in
                    try Self.step(
                        UnsafeRawBufferPointer(rebasing: bytes[start...]), sawIdentifier: seen,
                        produced: produced, limit: limit)
                }
            }.get()
            switch outcome {
            case .needMore:
                return nil
            case .consumed(let count):
                readIndex += count
            case .identifier(let count):
                readIndex += count
                sawIdentifier = true
            case .skip(let consumed, let remaining):
                readIndex += consumed
                skipRemaining = remaining
            case .data(let consumed, let data):
                readIndex += consumed
                decodedByteCount += data.count
                if !data.isEmpty { return data }
            }
        }
        return nil
    }

    private enum Step {
        case needMore
        case consumed(Int)
        case identifier(Int)
        case skip(consumed: Int, remaining: Int)
        case data(consumed: Int, [UInt8])
    }

    /// Handles the chunk at the start of `bytes` (which holds at least a header), in a stream
    /// that has produced `produced` of at most `limit` bytes so far.
    private static func step(
        _ bytes: UnsafeRawBufferPointer, sawIdentifier: Bool, produced: Int, limit: Int
    ) throws(SnappyError) -> Step {
        let header = SnappyFrame.ChunkHeader(bytes, at: 0)
        let kind = try header.kind(afterIdentifier: sawIdentifier)
        let headerLength = SnappyFrame.chunkHeaderLength
        let bodyAvailable = bytes.count - headerLength
        if kind == .skippable {
            let consumed = min(header.length, bodyAvailable)
            return .skip(consumed: headerLength + consumed, remaining: header.length - consumed)
        }
        guard bodyAvailable >= header.length else { return .needMore }
        let body = UnsafeRawBufferPointer(rebasing: bytes[headerLength..<(headerLength + header.length)])
        let chunkLength = headerLength + header.length
        switch kind {
        case .streamIdentifier:
            try SnappyFrame.checkStreamIdentifier(body)
            return .identifier(chunkLength)
        case .compressed, .uncompressed:
            let length = try SnappyFrame.dataLength(kind, body)
            guard length <= limit - produced else {
                throw .lengthExceedsLimit(declared: produced + length, limit: limit)
            }
            var failure: SnappyError?
            let data = [UInt8](unsafeUninitializedCapacity: length) { output, count in
                do throws(SnappyError) {
                    try SnappyFrame.decodeData(kind, body, into: UnsafeMutableRawBufferPointer(output))
                    count = length
                } catch {
                    failure = error
                    count = 0
                }
            }
            if let failure { throw failure }
            return .data(consumed: chunkLength, data)
        case .skippable:
            return .consumed(chunkLength)
        }
    }
}
