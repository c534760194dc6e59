import ArgumentParser
import DiscV5
import ENR
import Foundation
import P2PCrypto

/// `aztec-p2p discv5 footprint`: the memory a node spends on its routing table, session cache,
/// rate-limiter tables and address votes when it knows N nodes (their records included),
/// measured as the growth of this process's resident set.
struct DiscV5FootprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "footprint", abstract: "Measure table + sessions + caches memory with N known nodes (JSON).")

    @Option(help: "Number of known nodes.") var nodes: Int = 10_000

    func run() throws {
        guard (1...1_000_000).contains(nodes) else { throw ValidationError("--nodes must be in 1...1000000") }
        var random = SystemRandomNumberGenerator()
        let localKey = Secp256k1.PrivateKey.generate(using: &random)
        let before = ProcessMemory.residentBytes
        var table = try RoutingTable(localID: NodeID(publicKey: localKey.publicKey))
        var sessions = SessionCache(capacity: nodes)
        var ipLimiter = RateLimiter<[UInt8]>(rate: 200, burst: 200, capacity: nodes)
        var nodeLimiter = RateLimiter<NodeID>(rate: 50, burst: 50, capacity: nodes)
        var votes = AddressVotes(lifetime: .seconds(300))
        for index in 0..<nodes {
            let key = Secp256k1.PrivateKey.generate(using: &random)
            var builder = NodeRecordBuilder()
            let ip: [UInt8] = [10, UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)]
            try builder.setIP(ip)
            builder.setUDP(9000)
            builder.setTCP(40400)
            builder.setAztecChainID(1337)
            let record = try builder.signed(with: key)
            let endpoint = Endpoint(ip: ip, port: 9000)
            let nodeID = NodeID(publicKey: record.publicKey)
            _ = table.insert(TableEntry(record: record, endpoint: endpoint, lastSeen: .zero))
            var keyBytes: [UInt8] = []
            for _ in 0..<4 { withUnsafeBytes(of: random.next()) { keyBytes += $0 } }
            sessions.insert(
                Session(writeKey: Array(keyBytes[0..<16]), readKey: Array(keyBytes[16..<32]), record: record),
                for: NodeAddress(nodeID: nodeID, endpoint: endpoint))
            _ = ipLimiter.allow(ip, now: .zero)
            _ = nodeLimiter.allow(nodeID, now: .zero)
            votes.record(Endpoint(ip: [1, 2, 3, 4], port: 9000), from: nodeID, now: .zero)
        }
        let after = ProcessMemory.residentBytes
        StandardOutput.line(DiscV5JSON.string([
            "nodes": nodes,
            "tableEntries": table.count,
            "sessions": sessions.count,
            "limiterEntries": ipLimiter.trackedCount + nodeLimiter.trackedCount,
            "votes": votes.count,
            "residentBytes": max(0, after - before),
        ] as [String: Any]))
        withExtendedLifetime((table, sessions, ipLimiter, nodeLimiter, votes)) {}
    }
}
