import LibP2PCore
import P2PCrypto

extension NodeRecord {
    /// The node's libp2p identity key: the record's `secp256k1` key as a libp2p public key.
    public var libp2pPublicKey: PublicKey { PublicKey(secp256k1: publicKey) }

    /// The libp2p peer id of the node (the identity multihash of its secp256k1 key protobuf),
    /// which is what the node's libp2p connections authenticate as.
    public var peerID: PeerID { libp2pPublicKey.peerID }

    /// The addresses a libp2p dialer can use: `/ip4/<ip>/tcp/<tcp>/p2p/<peer id>` and
    /// `/ip6/<ip6>/tcp/<tcp6>/p2p/<peer id>` for each address family the record announces with a
    /// TCP port (`tcp6` falls back to `tcp`, as EIP-778 says). Empty when the record has none.
    public var tcpMultiaddrs: [Multiaddr] {
        get throws(ENRError) {
            var addresses: [Multiaddr] = []
            let tcp = try self.tcp
            if let ip = try self.ip, let port = tcp, let address = IPv4Address(bytes: ip) {
                addresses.append(Multiaddr([.ip4(address), .tcp(port), .p2p(peerID)]))
            }
            if let ip6 = try self.ip6, let port = try self.tcp6 ?? tcp, let address = IPv6Address(bytes: ip6) {
                addresses.append(Multiaddr([.ip6(address), .tcp(port), .p2p(peerID)]))
            }
            return addresses
        }
    }
}

extension PeerID {
    /// The secp256k1 key inlined in this peer id, or `nil` when the id does not inline one
    /// (another key type, or a sha2-256 id). A node record belongs to this peer when its
    /// `publicKey` equals this key.
    public var secp256k1PublicKey: Secp256k1.PublicKey? {
        guard let key = try? inlinePublicKey() else { return nil }
        return key.secp256k1Key
    }
}
