import CSnappy

/// libsnappy's C API with no safety layer, exposed for benchmarks only: the "(reference)"
/// measurements call these to compare this module's API with direct libsnappy use.
///
/// Import with `@_spi(Reference) import Snappy`. Nothing here checks limits; use
/// ``SnappyBlock`` and ``SnappyFrame`` in real code.
@_spi(Reference)
public enum SnappyRaw {
    /// `snappy_max_compressed_length`.
    @inlinable
    public static func maxCompressedLength(_ length: Int) -> Int {
        snappy_max_compressed_length(length)
    }

    /// `snappy_compress`: returns the compressed length, or `nil` when libsnappy fails.
    @inlinable
    public static func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        var length = output.count
        let status = snappy_compress(
            input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
            output.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
        return status == SNAPPY_OK ? length : nil
    }

    /// `snappy_uncompressed_length`: the declared length, or `nil` when libsnappy rejects it.
    @inlinable
    public static func uncompressedLength(_ input: UnsafeRawBufferPointer) -> Int? {
        var length = 0
        let status = snappy_uncompressed_length(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count, &length)
        return status == SNAPPY_OK ? length : nil
    }

    /// `snappy_uncompress`: returns the produced length, or `nil` when libsnappy fails.
    @inlinable
    public static func uncompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        var length = output.count
        let status = snappy_uncompress(
            input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
            output.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
        return status == SNAPPY_OK ? length : nil
    }
}
