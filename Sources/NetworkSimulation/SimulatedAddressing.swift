import DiscV5

/// Where simulated node `i` lives: by default its own /24 (as most nodes on the internet are), so
/// discovery's per-subnet table limits see distinct hosts, and the address encodes the index, so
/// a datagram's destination is found without a table. Nodes placed in shared /24s (sybils, see
/// ``CensorSettings/subnets``) get addresses in `10.x.y.0/24`, found through the simulation's table.
enum SimulatedAddressing {
    static let udpPort: UInt16 = 9000
    static let tcpPort: UInt16 = 40400
    static let capacity = (255 - 11) << 16
    /// The first byte of shared-subnet addresses, and how many such /24s there are.
    static let sharedSubnetPrefix: UInt8 = 10
    static let sharedSubnetCapacity = 1 << 16

    /// Host `host` (1...254) of shared /24 number `subnet`.
    static func sharedIP(subnet: Int, host: Int) -> [UInt8] {
        [sharedSubnetPrefix, UInt8(subnet >> 8), UInt8(subnet & 0xFF), UInt8(host)]
    }

    static func ip(of node: Int) -> [UInt8] {
        [UInt8(11 + (node >> 16)), UInt8((node >> 8) & 0xFF), UInt8(node & 0xFF), 7]
    }

    static func endpoint(of node: Int) -> Endpoint { Endpoint(ip: ip(of: node), port: udpPort) }

    /// The node at `endpoint`, or `nil` for an address no simulated node has.
    static func node(at endpoint: Endpoint) -> Int? {
        let ip = endpoint.ip
        guard ip.count == 4, ip[0] >= 11, ip[3] == 7, endpoint.port == udpPort else { return nil }
        return Int(ip[0] - 11) << 16 | Int(ip[1]) << 8 | Int(ip[2])
    }
}
