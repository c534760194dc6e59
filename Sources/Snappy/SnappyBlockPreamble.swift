extension SnappyBlock {
    /// The varint at the start of a block: the uncompressed length, at most 2^32 - 1,
    /// in one to five little-endian base-128 groups.
    @usableFromInline
    struct Preamble {
        /// The declared uncompressed length.
        @usableFromInline let length: Int
        /// The number of bytes the varint occupies.
        @usableFromInline let size: Int

        /// Reads the preamble of `input`, accepting exactly what libsnappy accepts: at most five
        /// bytes, the fifth holding only the top four bits of a 32-bit value.
        @inlinable
        init(parsing input: UnsafeRawBufferPointer) throws(SnappyError) {
            var value: UInt32 = 0
            var index = 0
            while true {
                guard index < input.count else { throw .truncated }
                let byte = input[index]
                if index == 4 {
                    guard byte < 0x10 else { throw .corrupt }
                    value |= UInt32(byte) << 28
                    index += 1
                    break
                }
                value |= UInt32(byte & 0x7f) << (7 * index)
                index += 1
                if byte < 0x80 { break }
            }
            length = Int(value)
            size = index
        }
    }
}
