import DiscV5
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Endpoint {
    /// The endpoint of an IPv4 or IPv6 socket address; `nil` for Unix domain sockets.
    public init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            var raw = v4.address.sin_addr
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            self.init(ip: bytes, port: UInt16(address.port ?? 0))
        case .v6(let v6):
            var raw = v6.address.sin6_addr
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            self.init(ip: bytes, port: UInt16(address.port ?? 0))
        case .unixDomainSocket:
            return nil
        }
    }

    /// The socket address of this endpoint.
    public func socketAddress() throws -> SocketAddress {
        var buffer = ByteBuffer()
        buffer.writeBytes(ip)
        return try SocketAddress(packedIPAddress: buffer, port: Int(port))
    }
}
