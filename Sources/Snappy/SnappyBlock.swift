import CSnappy

/// The Snappy block ("raw") format: a varint preamble holding the uncompressed length,
/// followed by literal and copy elements (see `format_description.txt`).
///
/// Compression and decompression run in libsnappy, directly between contiguous buffers.
/// Decompression is bounded: the declared length is read and checked against the caller's
/// maximum before any output is allocated, and the result must have exactly that length.
public enum SnappyBlock {
    /// The largest uncompressed length the block format can declare (its preamble is a 32-bit varint).
    public static let maxDeclarableLength = Int(UInt32.max)

    /// An upper bound of the compressed size of `length` input bytes.
    @inlinable
    public static func maxCompressedLength(_ length: Int) -> Int {
        snappy_max_compressed_length(length)
    }

    // MARK: Compression

    /// Compresses `input` into a new block.
    ///
    /// - Throws: ``SnappyError/inputTooLarge(length:)`` when `input` is longer than the
    ///   block format can declare (2^32 - 1 bytes).
    @inlinable
    public static func compress(_ input: UnsafeRawBufferPointer) throws(SnappyError) -> [UInt8] {
        guard input.count <= maxDeclarableLength else { throw .inputTooLarge(length: input.count) }
        return [UInt8](unsafeUninitializedCapacity: maxCompressedLength(input.count)) { output, count in
            count = compress(input, into: UnsafeMutableRawBufferPointer(output))
        }
    }

    /// Compresses `input` into a new block.
    ///
    /// - Throws: ``SnappyError/inputTooLarge(length:)`` for inputs over 2^32 - 1 bytes.
    @inlinable
    public static func compress(_ input: [UInt8]) throws(SnappyError) -> [UInt8] {
        try input.withUnsafeBytes { bytes in
            Result<[UInt8], SnappyError> { () throws(SnappyError) in try compress(bytes) }
        }.get()
    }

    /// Compresses `input` into a new block.
    ///
    /// - Throws: ``SnappyError/inputTooLarge(length:)`` for inputs over 2^32 - 1 bytes.
    @inlinable
    public static func compress(_ input: some Collection<UInt8>) throws(SnappyError) -> [UInt8] {
        try withContiguousBytes(input) { bytes throws(SnappyError) in try compress(bytes) }
    }

    /// Compresses `input` into `output`, which must hold at least
    /// `maxCompressedLength(input.count)` bytes, and returns the number of bytes written.
    /// `input.count` must not exceed ``maxDeclarableLength``.
    @inlinable
    static func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        var written = output.count
        let status = withNonNullPointers(input, output) { source, target in
            snappy_compress(source, input.count, target, &written)
        }
        // With an output of libsnappy's own bound, compression cannot fail.
        return status == SNAPPY_OK ? written : 0
    }

    // MARK: Decompression

    /// The uncompressed length that `input` declares in its preamble.
    ///
    /// Only the preamble is read: a valid-looking length says nothing about the rest of the block.
    /// - Throws: ``SnappyError/truncated`` when the input ends inside the varint,
    ///   ``SnappyError/corrupt`` when the varint does not fit in 32 bits.
    @inlinable
    public static func uncompressedLength(_ input: UnsafeRawBufferPointer) throws(SnappyError) -> Int {
        try Preamble(parsing: input).length
    }

    /// The uncompressed length that `input` declares in its preamble (see ``uncompressedLength(_:)-(UnsafeRawBufferPointer)``).
    @inlinable
    public static func uncompressedLength(_ input: some Collection<UInt8>) throws(SnappyError) -> Int {
        try withContiguousBytes(input) { bytes throws(SnappyError) in try uncompressedLength(bytes) }
    }

    /// Decompresses a block whose declared length is at most `maxLength` bytes.
    ///
    /// The declared length is checked against `maxLength` before the output is allocated; the
    /// output is then allocated with exactly that length, and libsnappy must fill it exactly.
    /// - Throws: ``SnappyError/lengthExceedsLimit(declared:limit:)`` when the block declares
    ///   more than `maxLength` bytes, ``SnappyError/truncated`` or ``SnappyError/corrupt``
    ///   for malformed input.
    @inlinable
    public static func decompress(_ input: UnsafeRawBufferPointer, maxLength: Int) throws(SnappyError) -> [UInt8] {
        let declared = try Preamble(parsing: input).length
        guard declared <= maxLength else { throw .lengthExceedsLimit(declared: declared, limit: maxLength) }
        var succeeded = false
        let output = [UInt8](unsafeUninitializedCapacity: declared) { buffer, count in
            succeeded = decompress(input, declaredLength: declared, into: UnsafeMutableRawBufferPointer(buffer))
            count = succeeded ? declared : 0
        }
        guard succeeded else { throw .corrupt }
        return output
    }

    /// Decompresses a block whose declared length is at most `maxLength` bytes
    /// (see ``decompress(_:maxLength:)-(UnsafeRawBufferPointer,_)``).
    @inlinable
    public static func decompress(_ input: [UInt8], maxLength: Int) throws(SnappyError) -> [UInt8] {
        try input.withUnsafeBytes { bytes in
            Result<[UInt8], SnappyError> { () throws(SnappyError) in try decompress(bytes, maxLength: maxLength) }
        }.get()
    }

    /// Decompresses a block whose declared length is at most `maxLength` bytes
    /// (see ``decompress(_:maxLength:)-(UnsafeRawBufferPointer,_)``).
    @inlinable
    public static func decompress(_ input: some Collection<UInt8>, maxLength: Int) throws(SnappyError) -> [UInt8] {
        try withContiguousBytes(input) { bytes throws(SnappyError) in try decompress(bytes, maxLength: maxLength) }
    }

    /// Whether `input` is a well-formed block declaring at most `maxLength` bytes.
    /// Nothing is allocated: libsnappy checks the block without writing the output.
    @inlinable
    public static func isValid(_ input: UnsafeRawBufferPointer, maxLength: Int) -> Bool {
        guard let declared = try? Preamble(parsing: input).length, declared <= maxLength else { return false }
        let status = withNonNullPointers(input, UnsafeMutableRawBufferPointer(start: nil, count: 0)) { source, _ in
            snappy_validate_compressed_buffer(source, input.count)
        }
        return status == SNAPPY_OK
    }

    /// Whether `input` is a well-formed block declaring at most `maxLength` bytes.
    @inlinable
    public static func isValid(_ input: some Collection<UInt8>, maxLength: Int) -> Bool {
        (try? withContiguousBytes(input) { bytes throws(SnappyError) in isValid(bytes, maxLength: maxLength) }) ?? false
    }

    /// Decompresses `input`, whose preamble declares `declaredLength` bytes, into `output`,
    /// which must be exactly `declaredLength` bytes long. Returns whether libsnappy accepted
    /// the block and produced exactly `declaredLength` bytes.
    @inlinable
    static func decompress(
        _ input: UnsafeRawBufferPointer, declaredLength: Int, into output: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard output.count == declaredLength else { return false }
        var produced = declaredLength
        let status = withNonNullPointers(input, output) { source, target in
            snappy_uncompress(source, input.count, target, &produced)
        }
        return status == SNAPPY_OK && produced == declaredLength
    }
}

/// Runs `body` with `input`'s bytes as one contiguous buffer, copying only when the
/// collection has no contiguous storage.
@inlinable
func withContiguousBytes<Result>(
    _ input: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) throws(SnappyError) -> Result
) throws(SnappyError) -> Result {
    let direct = input.withContiguousStorageIfAvailable { buffer in
        Swift.Result<Result, SnappyError> { () throws(SnappyError) in try body(UnsafeRawBufferPointer(buffer)) }
    }
    if let direct { return try direct.get() }
    return try Array(input).withUnsafeBytes { buffer in
        Swift.Result<Result, SnappyError> { () throws(SnappyError) in try body(buffer) }
    }.get()
}

/// Calls `body` with C pointers for `input` and `output`, substituting a valid one-byte
/// scratch address for an empty buffer's `nil` base address (libsnappy expects non-null pointers).
@inlinable
func withNonNullPointers<Result>(
    _ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer,
    _ body: (UnsafePointer<CChar>, UnsafeMutablePointer<CChar>) -> Result
) -> Result {
    var scratch: CChar = 0
    return withUnsafeMutablePointer(to: &scratch) { spare in
        // An empty input reads no byte of `spare`, an empty output writes none.
        let source = input.baseAddress?.assumingMemoryBound(to: CChar.self) ?? UnsafePointer(spare)
        let target = output.baseAddress?.assumingMemoryBound(to: CChar.self) ?? spare
        return body(source, target)
    }
}
