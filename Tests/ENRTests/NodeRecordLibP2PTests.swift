import ENR
import LibP2PCore
import P2PCrypto
import Testing

@Suite struct NodeRecordLibP2PTests {
    /// The EIP-778 example record (127.0.0.1, udp 30303, no tcp).
    static let example =
        "enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8"

    @Test func peerIDOfTheExampleRecord() throws {
        let record = try NodeRecord(text: Self.example)
        // Computed independently: base58btc(0x00 0x25 || 08 02 12 21 || compressed key).
        #expect(record.peerID.base58 == "16Uiu2HAmSH2XVgZqYHWucap5kuPzLnt2TsNQkoppVxB5eJGvaXwm")
        #expect(record.peerID.secp256k1PublicKey == record.publicKey)
        #expect(try record.tcpMultiaddrs.isEmpty, "the example announces no tcp port")
    }

    @Test func dialableAddressesCarryThePeerID() throws {
        var rng = SystemRandomNumberGenerator()
        let key = Secp256k1.PrivateKey.generate(using: &rng)
        var builder = NodeRecordBuilder()
        try builder.setIP([10, 0, 0, 7])
        builder.setTCP(40400)
        try builder.setIP6([0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1])
        let record = try builder.signed(with: key)
        let peer = PrivateKey(secp256k1: key).peerID
        #expect(record.peerID == peer)
        let addresses = try record.tcpMultiaddrs.map(\.description)
        #expect(addresses == ["/ip4/10.0.0.7/tcp/40400/p2p/\(peer)", "/ip6/2001:db8::1/tcp/40400/p2p/\(peer)"])
    }

    @Test func peerIDsWithoutASecp256k1KeyHaveNone() throws {
        var rng = SystemRandomNumberGenerator()
        let ed25519 = PrivateKey.generateEd25519(using: &rng)
        #expect(ed25519.peerID.secp256k1PublicKey == nil)
    }
}
