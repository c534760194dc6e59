import LibP2PCore
import NIOCore

extension Multiaddr {
    /// `/ip4/…/tcp/…` or `/ip6/…/tcp/…` for a TCP socket address; `nil` for other families.
    public init?(tcp address: SocketAddress) {
        guard let port = address.port, let text = address.ipAddress, let port16 = UInt16(exactly: port) else {
            return nil
        }
        switch address {
        case .v4:
            guard let ip = IPv4Address(text) else { return nil }
            self.init([.ip4(ip), .tcp(port16)])
        case .v6:
            // An IPv4-mapped IPv6 address is the IPv4 peer it stands for.
            if text.lowercased().hasPrefix("::ffff:"), let ip = IPv4Address(text.dropFirst(7)) {
                self.init([.ip4(ip), .tcp(port16)])
                return
            }
            guard let ip = IPv6Address(text) else { return nil }
            self.init([.ip6(ip), .tcp(port16)])
        case .unixDomainSocket:
            return nil
        }
    }
}

/// Where a TCP multiaddr points: host, port and the peer id it names, if any.
public struct TCPMultiaddrTarget: Sendable, Equatable {
    /// An IP literal or a DNS name.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The peer id of a final `/p2p` component.
    public var peerID: PeerID?

    /// Reads `/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/p2p/<id>]`.
    public init(_ address: Multiaddr) throws(P2PError) {
        let components = address.components
        guard components.count == 2 || components.count == 3 else { throw .unsupportedAddress("\(address)") }
        switch components[0] {
        case .ip4(let ip): host = "\(ip)"
        case .ip6(let ip): host = "\(ip)"
        case .dns(let name), .dns4(let name), .dns6(let name): host = name
        default: throw .unsupportedAddress("\(address)")
        }
        guard case .tcp(let port) = components[1] else { throw .unsupportedAddress("\(address)") }
        self.port = Int(port)
        if components.count == 3 {
            guard case .p2p(let peer) = components[2] else { throw .unsupportedAddress("\(address)") }
            peerID = peer
        } else {
            peerID = nil
        }
    }
}
