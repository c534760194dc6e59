/// Writes SSZ bytes into a pre-sized contiguous buffer.
///
/// Encoders first compute the exact length (``SSZEncodable/sszEncodedLength``), then write
/// once; the writer never grows or reallocates.
public struct SSZWriter {
    @usableFromInline let base: UnsafeMutableRawPointer?
    @usableFromInline let capacity: Int
    /// The number of bytes written so far.
    public var position: Int { _position }
    @usableFromInline var _position: Int

    /// A writer over `buffer`, starting at its first byte.
    @inlinable
    public init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress
        capacity = buffer.count
        _position = 0
    }

    @inlinable
    mutating func reserve(_ count: Int) -> UnsafeMutableRawPointer {
        precondition(count >= 0 && capacity - position >= count, "SSZWriter overflow")
        let start = base.unsafelyUnwrapped + position
        _position += count
        return start
    }

    /// Writes raw bytes.
    @inlinable
    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        reserve(bytes.count).copyMemory(from: bytes.baseAddress.unsafelyUnwrapped, byteCount: bytes.count)
    }

    /// Writes raw bytes.
    @inlinable
    public mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Writes an integer in little-endian byte order.
    @inlinable
    public mutating func writeLittleEndian<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        reserve(size).storeBytes(of: value.littleEndian, as: T.self)
    }

    /// Writes a single byte.
    @inlinable
    public mutating func writeByte(_ value: UInt8) {
        reserve(1).storeBytes(of: value, as: UInt8.self)
    }

    /// Writes a 4-byte offset.
    @inlinable
    public mutating func writeOffset(_ offset: Int) {
        precondition(offset >= 0 && offset <= Int(UInt32.max), "SSZ serialization exceeds 2^32 bytes")
        writeLittleEndian(UInt32(truncatingIfNeeded: offset))
    }

    /// Writes `count` zero bytes.
    @inlinable
    public mutating func writeZeros(_ count: Int) {
        guard count > 0 else { return }
        reserve(count).initializeMemory(as: UInt8.self, repeating: 0, count: count)
    }

    /// Hands `count` bytes of the buffer to `body` to fill in place.
    @inlinable
    public mutating func withUnsafeSpace(_ count: Int, _ body: (UnsafeMutableRawBufferPointer) -> Void) {
        guard count > 0 else { return }
        body(UnsafeMutableRawBufferPointer(start: reserve(count), count: count))
    }
}
