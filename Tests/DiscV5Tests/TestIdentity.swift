import DiscV5
import ENR
import P2PCrypto

/// A key and signed record for a test node at `ip`:`port`.
struct TestIdentity {
    let key: Secp256k1.PrivateKey
    let record: NodeRecord
    var nodeID: NodeID { NodeID(publicKey: key.publicKey) }
    var endpoint: Endpoint { Endpoint(ip: (try? record.ip) ?? [], port: (try? record.udp) ?? 0) }

    init(
        ip: [UInt8], port: UInt16, aztecChainID: UInt64? = nil, topicDiscovery: Bool = false,
        using random: inout some RandomNumberGenerator
    ) throws {
        key = Secp256k1.PrivateKey.generate(using: &random)
        var builder = NodeRecordBuilder(sequenceNumber: 1)
        try builder.setIP(ip)
        builder.setUDP(port)
        if let aztecChainID { builder.setAztecChainID(aztecChainID) }
        if topicDiscovery { builder.setTopicDiscoveryVersion(TopicDiscovery.version) }
        record = try builder.signed(with: key)
    }
}
