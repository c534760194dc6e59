/// The IP subnet an address counts against for diversity limits: the first 3 bytes of an IPv4
/// address (/24) or the first 8 bytes of an IPv6 address (/64).
public struct Subnet: Hashable, Sendable {
    /// The prefix bytes (3 for IPv4, 8 for IPv6).
    public let prefix: [UInt8]

    /// The subnet of `ip` (4 or 16 bytes); `nil` for any other length.
    public init?(ip: [UInt8]) {
        switch ip.count {
        case 4: prefix = Array(ip[0..<3])
        case 16: prefix = Array(ip[0..<8])
        default: return nil
        }
    }
}
