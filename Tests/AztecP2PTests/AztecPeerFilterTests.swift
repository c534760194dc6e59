import ENR
import P2PCrypto
import Testing
@testable import AztecP2P

@Suite struct AztecPeerFilterTests {
    func record(aztec: UInt64?, eth: UInt64?, tcp: UInt16? = 40400) throws -> NodeRecord {
        var rng = SplitMix64(seed: 77)
        let key = Secp256k1.PrivateKey.generate(using: &rng)
        var builder = NodeRecordBuilder(sequenceNumber: 1)
        try builder.setIP([127, 0, 0, 1])
        if let tcp { builder.setTCP(tcp) }
        builder.setUDP(40400)
        if let aztec { builder.setAztecChainID(aztec) }
        if let eth { builder.setEthereumChainID(eth) }
        return try builder.signed(with: key)
    }

    @Test func dialsOnlyMatchingChainsWithATCPPort() throws {
        let filter = AztecPeerFilter(aztecChainID: 31337, ethereumChainID: 1)
        #expect(filter.shouldDial(try record(aztec: 31337, eth: 1)))
        #expect(!filter.shouldDial(try record(aztec: 31338, eth: 1)))
        #expect(!filter.shouldDial(try record(aztec: 31337, eth: 11_155_111)))
        #expect(!filter.shouldDial(try record(aztec: nil, eth: 1)))
        #expect(!filter.shouldDial(try record(aztec: 31337, eth: nil)))
        #expect(!filter.shouldDial(try record(aztec: 31337, eth: 1, tcp: nil)))
    }
}
