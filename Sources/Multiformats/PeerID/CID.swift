/// Why bytes or text are not a CID.
public enum CIDError: Error, Equatable, Sendable {
    /// The version or codec varint is malformed.
    case malformedVarint(VarintError)
    /// A version other than 1 in binary (or a text form that contradicts its version).
    case unsupportedVersion(UInt64)
    /// The multihash part is malformed.
    case invalidMultihash(MultihashError)
    /// The text is not valid multibase (or base58btc for CIDv0).
    case invalidText(MultibaseError)
}

/// A content identifier: `varint(version) ‖ varint(codec) ‖ multihash` (version 1), or the bare
/// sha2-256 multihash of CIDv0 (text `Qm...`, codec dag-pb).
public struct CID: Sendable, Hashable, CustomStringConvertible {
    /// The multicodec code of a libp2p public key (peer ids as CIDs).
    public static let libp2pKeyCodec: UInt64 = 0x72
    /// The multicodec code of dag-pb (implied by CIDv0).
    public static let dagPBCodec: UInt64 = 0x70

    /// 0 or 1.
    public let version: UInt64
    /// The content type (multicodec).
    public let codec: UInt64
    /// The content hash.
    public let multihash: Multihash

    /// A CIDv1.
    public init(codec: UInt64, multihash: Multihash) {
        self.version = 1
        self.codec = codec
        self.multihash = multihash
    }

    /// Decodes binary CIDv1 (or a 34-byte sha2-256 multihash as CIDv0).
    public init(bytes: some Collection<UInt8>) throws(CIDError) {
        let array = Array(bytes)
        if array.count == 34 && array[0] == 0x12 && array[1] == 0x20 {
            do throws(MultihashError) {
                self.multihash = try Multihash(decoding: array)
            } catch { throw .invalidMultihash(error) }
            self.version = 0
            self.codec = CID.dagPBCodec
            return
        }
        let version: (value: UInt64, length: Int)
        let codec: (value: UInt64, length: Int)
        do throws(VarintError) {
            version = try UVarint.decode(array[...])
            codec = try UVarint.decode(array[version.length...])
        } catch { throw .malformedVarint(error) }
        guard version.value == 1 else { throw .unsupportedVersion(version.value) }
        do throws(MultihashError) {
            self.multihash = try Multihash(decoding: array[(version.length + codec.length)...])
        } catch { throw .invalidMultihash(error) }
        self.version = 1
        self.codec = codec.value
    }

    /// Parses a CID's text: multibase-encoded CIDv1, or base58btc CIDv0 (`Qm...`, 46 characters).
    public init(_ text: some StringProtocol) throws(CIDError) {
        let isVersion0 = text.utf8.count == 46 && text.hasPrefix("Qm")
        let bytes: [UInt8]
        do throws(MultibaseError) {
            bytes = isVersion0
                ? try Multibase.base58BTC.decodeWithoutPrefix(Substring(text))
                : try Multibase.decode(text, maxLength: 1024).bytes
        } catch { throw .invalidText(error) }
        // A multibase prefix always introduces CIDv1; CIDv0 has no prefix.
        if !isVersion0 && bytes.count == 34 && bytes[0] == 0x12 && bytes[1] == 0x20 { throw .unsupportedVersion(0) }
        try self.init(bytes: bytes)
        if isVersion0 && version != 0 { throw .unsupportedVersion(version) }
    }

    /// The binary form (for CIDv0, the multihash alone).
    public var bytes: [UInt8] {
        if version == 0 { return multihash.bytes }
        var out = [UInt8]()
        UVarint.encode(version, into: &out)
        UVarint.encode(codec, into: &out)
        out.append(contentsOf: multihash.bytes)
        return out
    }

    /// The text form in `base` (CIDv1; CIDv0 is always base58btc without a prefix).
    public func string(base: Multibase = .base32) -> String {
        version == 0 ? Multibase.base58BTC.encodeWithoutPrefix(bytes) : base.encode(bytes)
    }

    /// The default text form (base32 for CIDv1).
    public var description: String { string() }
}
