import P2PCrypto
import RLP

extension NodeRecord {
    /// The payload of `key`'s value when it is a byte string; `nil` when the key is absent.
    /// Throws ``ENRError/invalidValue(key:)`` when the value is a list.
    public func bytes(forKey key: String) throws(ENRError) -> ArraySlice<UInt8>? {
        guard let encoded = encodedValue(forKey: key) else { return nil }
        var reader = RLPReader(encoded)
        do throws(RLPError) {
            return try reader.readBytes()
        } catch {
            throw .invalidValue(key: key)
        }
    }

    /// `key`'s value as a canonical unsigned integer (minimal big-endian, at most 8 bytes);
    /// `nil` when absent.
    public func uint64(forKey key: String) throws(ENRError) -> UInt64? {
        guard let payload = try bytes(forKey: key) else { return nil }
        do throws(RLPError) {
            return try RLP.uint64(fromMinimalBigEndian: payload)
        } catch {
            throw .invalidValue(key: key)
        }
    }

    /// `key`'s value as a port number; `nil` when absent.
    public func port(forKey key: String) throws(ENRError) -> UInt16? {
        guard let value = try uint64(forKey: key) else { return nil }
        guard let port = UInt16(exactly: value) else { throw .invalidValue(key: key) }
        return port
    }

    private func fixedBytes(forKey key: String, count: Int) throws(ENRError) -> [UInt8]? {
        guard let payload = try bytes(forKey: key) else { return nil }
        guard payload.count == count else { throw .invalidValue(key: key) }
        return Array(payload)
    }

    /// The identity scheme name; always "v4" for a decoded record.
    public var identityScheme: String { "v4" }

    /// The `secp256k1` entry: the compressed public key, 33 bytes.
    public var compressedPublicKey: [UInt8] { publicKey.compressedRepresentation }

    /// The `ip` entry: an IPv4 address, 4 bytes.
    public var ip: [UInt8]? { get throws(ENRError) { try fixedBytes(forKey: ENRKey.ip, count: 4) } }
    /// The `ip6` entry: an IPv6 address, 16 bytes.
    public var ip6: [UInt8]? { get throws(ENRError) { try fixedBytes(forKey: ENRKey.ip6, count: 16) } }
    /// The `tcp` port.
    public var tcp: UInt16? { get throws(ENRError) { try port(forKey: ENRKey.tcp) } }
    /// The `udp` port.
    public var udp: UInt16? { get throws(ENRError) { try port(forKey: ENRKey.udp) } }
    /// The `tcp6` port (absent: ``tcp`` applies to IPv6 too).
    public var tcp6: UInt16? { get throws(ENRError) { try port(forKey: ENRKey.tcp6) } }
    /// The `udp6` port (absent: ``udp`` applies to IPv6 too).
    public var udp6: UInt16? { get throws(ENRError) { try port(forKey: ENRKey.udp6) } }
    /// The `aztec` entry: the Aztec chain id.
    public var aztecChainID: UInt64? { get throws(ENRError) { try uint64(forKey: ENRKey.aztec) } }
    /// The `eth` entry: the Ethereum chain id.
    public var ethereumChainID: UInt64? { get throws(ENRError) { try uint64(forKey: ENRKey.eth) } }
    /// The `ng` topic discovery version.
    public var topicDiscoveryVersion: UInt64? { get throws(ENRError) { try uint64(forKey: ENRKey.topicDiscovery) } }
}
