/// A type that serializes to SSZ.
///
/// Fixed-size types report their size in ``sszFixedSize``; variable-size types report `nil`.
/// Encoding writes into a pre-sized ``SSZWriter`` of exactly ``sszEncodedLength`` bytes.
public protocol SSZEncodable: Sendable {
    /// The serialized size of every value of the type, or `nil` for a variable-size type.
    static var sszFixedSize: Int? { get }
    /// The serialized size of this value.
    var sszEncodedLength: Int { get }
    /// Appends the serialization of the value to `writer`.
    func encodeSSZ(into writer: inout SSZWriter)
}

/// A type that deserializes from SSZ.
public protocol SSZDecodable: Sendable {
    /// The serialized size of every value of the type, or `nil` for a variable-size type.
    static var sszFixedSize: Int? { get }
    /// Decodes a value that occupies exactly `bytes` (its whole scope), rejecting malformed input.
    init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError)
}

/// A type with an SSZ `hash_tree_root`.
public protocol SSZMerkleizable {
    /// For basic types (`uintN`, `boolean`), the byte size used when packing them into chunks;
    /// `nil` for composite types, which contribute one chunk (their root) each.
    static var sszPackedSize: Int? { get }
    /// The SSZ `hash_tree_root` of the value.
    func hashTreeRoot() -> SSZRoot
}

extension SSZMerkleizable {
    /// Composite by default.
    @inlinable public static var sszPackedSize: Int? { nil }
}

/// A type that SSZ can encode, decode and merkleize.
public typealias SSZType = SSZEncodable & SSZDecodable & SSZMerkleizable

extension SSZEncodable {
    /// The SSZ serialization of the value, in one allocation of exactly the right size.
    @inlinable
    public func sszEncoded() -> [UInt8] {
        let length = sszEncodedLength
        return [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            var writer = SSZWriter(UnsafeMutableRawBufferPointer(buffer))
            encodeSSZ(into: &writer)
            precondition(writer.position == length, "sszEncodedLength disagrees with encodeSSZ")
            initialized = length
        }
    }

    /// The size the value takes in the fixed part of an enclosing container: its own size, or a 4-byte offset.
    @inlinable
    public static var sszFixedPartSize: Int { sszFixedSize ?? SSZConstants.offsetSize }
}

extension SSZDecodable {
    /// Decodes a value from a complete serialization.
    @inlinable
    public init(sszEncoded bytes: [UInt8]) throws(SSZError) {
        let result = bytes.withUnsafeBytes { raw -> Result<Self, SSZError> in
            do throws(SSZError) { return .success(try Self(sszBytes: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }
}

/// Namespace for SSZ constants and helpers.
public enum SSZConstants {
    /// `BYTES_PER_LENGTH_OFFSET`.
    public static let offsetSize = 4
    /// `BYTES_PER_CHUNK`.
    public static let chunkSize = 32
}
