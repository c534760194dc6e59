import Crypto

/// A libp2p peer id: the multihash of a peer's `PublicKey` protobuf — the identity multihash
/// when the protobuf is at most 42 bytes (Ed25519, secp256k1), sha2-256 otherwise (RSA, ECDSA).
///
/// Held inline (at most 44 bytes, no heap allocation), so copying, hashing and comparing are
/// cheap. The text form is base58btc (`12D3Koo...`, `Qm...`); ``init(_:)`` also parses CIDv1
/// text (`bafz...`, any multibase, codec libp2p-key).
public struct PeerID: Sendable, Hashable, Comparable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The longest key protobuf inlined with the identity multihash.
    public static let maxInlineKeyLength = 42
    /// The longest text ``init(_:)`` accepts.
    public static let maxTextLength = 512

    @usableFromInline let storage: InlineBytes48
    @usableFromInline let count: UInt8

    /// A peer id from multihash bytes the caller built correctly (identity of at most 42 bytes
    /// or a 32-byte sha2-256), unchecked: for key modules deriving ids from keys.
    package init(validMultihashBytes bytes: [UInt8]) {
        self.storage = InlineBytes48(bytes)
        self.count = UInt8(bytes.count)
    }

    /// A peer id from its multihash bytes: identity of at most 42 bytes, or a 32-byte sha2-256.
    public init(multihashBytes bytes: some Collection<UInt8>) throws(PeerIDError) {
        let multihash: Multihash
        do throws(MultihashError) {
            multihash = try Multihash(decoding: bytes)
        } catch { throw .invalidMultihash(error) }
        try self.init(multihash: multihash)
    }

    /// A peer id from a multihash: identity of at most 42 bytes, or a 32-byte sha2-256.
    public init(multihash: Multihash) throws(PeerIDError) {
        switch multihash.code {
        case .identity where multihash.digest.count <= PeerID.maxInlineKeyLength: break
        case .sha2_256 where multihash.digest.count == 32: break
        default: throw .unsupportedMultihash(code: multihash.code.rawValue, length: multihash.digest.count)
        }
        self.storage = InlineBytes48(multihash.bytes)
        self.count = UInt8(multihash.bytes.count)
    }

    /// Parses either text form: a base58btc multihash (starting `1` or `Qm`) or a multibase CIDv1
    /// with the libp2p-key codec.
    public init(_ text: some StringProtocol) throws(PeerIDError) {
        let length = text.utf8.count
        guard length <= PeerID.maxTextLength else { throw .textTooLong(length) }
        if text.hasPrefix("1") || text.hasPrefix("Qm") {
            let bytes: [UInt8]
            do throws(MultibaseError) {
                bytes = try Multibase.base58BTC.decodeWithoutPrefix(Substring(text))
            } catch { throw .invalidText(error) }
            try self.init(multihashBytes: bytes)
            return
        }
        let bytes: [UInt8]
        do throws(MultibaseError) {
            bytes = try Multibase.decode(text, maxLength: PeerID.maxTextLength).bytes
        } catch { throw .invalidText(error) }
        let cid: CID
        do throws(CIDError) {
            cid = try CID(bytes: bytes)
        } catch { throw .invalidCID(error) }
        guard cid.version == 1 else { throw .invalidCID(.unsupportedVersion(cid.version)) }
        guard cid.codec == CID.libp2pKeyCodec else { throw .notLibp2pKey(codec: cid.codec) }
        try self.init(multihash: cid.multihash)
    }

    /// The multihash bytes (the binary peer id, as carried in multiaddrs and protocols).
    @inlinable
    public var multihashBytes: [UInt8] { storage.prefix(Int(count)) }

    /// The multihash.
    public var multihash: Multihash {
        let bytes = multihashBytes
        let isIdentity = bytes[0] == 0
        return Multihash(uncheckedBytes: bytes, code: isIdentity ? .identity : .sha2_256, digestStart: 2)
    }

    /// The legacy text form: base58btc of the multihash (what libp2p displays).
    public var base58: String { Multibase.base58BTC.encodeWithoutPrefix(multihashBytes) }

    /// The CIDv1 (libp2p-key) of this peer id.
    public var cid: CID { CID(codec: CID.libp2pKeyCodec, multihash: multihash) }

    /// The CIDv1 text form in `base` (base32 by default: `bafz...`).
    public func cidString(base: Multibase = .base32) -> String { cid.string(base: base) }

    /// The base58btc form.
    public var description: String { base58 }
    /// `PeerID(<base58>)`.
    public var debugDescription: String { "PeerID(\(base58))" }

    /// Whether this peer id embeds its public key (identity multihash).
    public var hasInlinePublicKey: Bool { count > 0 && multihashBytes[0] == 0 }

    /// Orders peer ids by their multihash bytes (a stable order for deterministic iteration),
    /// without allocating: routers sort peers on every heartbeat.
    @inlinable
    public static func < (lhs: PeerID, rhs: PeerID) -> Bool {
        // Big-endian words order like their bytes; the zero padding past a shorter id sorts it
        // first when it is a prefix of the other, as lexicographic order wants.
        let (a, b) = (lhs.storage, rhs.storage)
        if a.w0 != b.w0 { return a.w0.bigEndian < b.w0.bigEndian }
        if a.w1 != b.w1 { return a.w1.bigEndian < b.w1.bigEndian }
        if a.w2 != b.w2 { return a.w2.bigEndian < b.w2.bigEndian }
        if a.w3 != b.w3 { return a.w3.bigEndian < b.w3.bigEndian }
        if a.w4 != b.w4 { return a.w4.bigEndian < b.w4.bigEndian }
        if a.w5 != b.w5 { return a.w5.bigEndian < b.w5.bigEndian }
        return lhs.count < rhs.count
    }
}
