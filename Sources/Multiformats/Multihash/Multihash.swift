/// A self-describing hash: `varint(code) ‖ varint(length) ‖ digest`.
///
/// Stored in its encoded form; equality and hashing compare the encoded bytes.
public struct Multihash: Sendable, Hashable, CustomStringConvertible {
    /// The longest identity "digest" accepted when decoding (the identity code hashes nothing,
    /// so its length is otherwise unbounded).
    public static let maxIdentityLength = 1024

    /// The encoded bytes.
    public let bytes: [UInt8]
    /// The hash function.
    public let code: MultihashCode
    @usableFromInline let digestStart: Int

    /// The digest bytes.
    @inlinable
    public var digest: ArraySlice<UInt8> { bytes[digestStart...] }

    /// The multihash of `data` under `code`, truncated to `length` bytes when given.
    public init(hashing data: some Collection<UInt8>, with code: MultihashCode, truncatedTo length: Int? = nil)
        throws(MultihashError)
    {
        var digest = code.digest(data)
        if let length {
            guard length >= 0, length <= digest.count else { throw .invalidTruncation }
            digest.removeLast(digest.count - length)
        }
        try self.init(code: code, digest: digest)
    }

    /// A multihash from a code and an already computed (possibly truncated) digest.
    public init(code: MultihashCode, digest: some Collection<UInt8>) throws(MultihashError) {
        let limit = code.digestLength ?? Multihash.maxIdentityLength
        guard digest.count <= limit else { throw .digestTooLong(code: code.rawValue, length: UInt64(digest.count)) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(digest.count + 4)
        UVarint.encode(code.rawValue, into: &bytes)
        UVarint.encode(UInt64(digest.count), into: &bytes)
        let start = bytes.count
        bytes.append(contentsOf: digest)
        self.bytes = bytes
        self.code = code
        self.digestStart = start
    }

    /// Decodes exactly one multihash occupying all of `bytes`.
    public init(decoding bytes: some Collection<UInt8>) throws(MultihashError) {
        let array = Array(bytes)
        let (multihash, length) = try Multihash.decodePrefix(array[...])
        guard length == array.count else { throw .trailingBytes }
        self = multihash
    }

    /// Decodes the multihash at the start of `bytes`, returning it and the bytes it took.
    public static func decodePrefix(_ bytes: ArraySlice<UInt8>) throws(MultihashError) -> (Multihash, Int) {
        let code: (value: UInt64, length: Int)
        let length: (value: UInt64, length: Int)
        do throws(VarintError) {
            code = try UVarint.decode(bytes)
            length = try UVarint.decode(bytes.dropFirst(code.length))
        } catch {
            throw .malformedVarint(error)
        }
        guard let known = MultihashCode(rawValue: code.value) else { throw .unsupportedCode(code.value) }
        let limit = known.digestLength ?? Multihash.maxIdentityLength
        guard length.value <= UInt64(limit) else { throw .digestTooLong(code: code.value, length: length.value) }
        let headerLength = code.length + length.length
        let total = headerLength + Int(length.value)
        guard bytes.count >= total else { throw .truncatedDigest }
        let start = bytes.startIndex
        return (Multihash(uncheckedBytes: Array(bytes[start..<(start + total)]), code: known, digestStart: headerLength),
                total)
    }

    @usableFromInline
    init(uncheckedBytes: [UInt8], code: MultihashCode, digestStart: Int) {
        self.bytes = uncheckedBytes
        self.code = code
        self.digestStart = digestStart
    }

    /// Whether both multihashes have the same encoded bytes (code, length and digest).
    public static func == (lhs: Multihash, rhs: Multihash) -> Bool { lhs.bytes == rhs.bytes }
    /// Hashes the encoded bytes, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    /// `code-name:hex-digest`.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return code.name + ":" + String(decoding: hex, as: UTF8.self)
    }
}
