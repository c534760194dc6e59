import DiscV5

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking IPv4 UDP socket on 127.0.0.1 for tests that speak discv5 by hand (the test target
/// has no SwiftNIO of its own). Use it from one thread.
final class UDPTestSocket {
    private let descriptor: Int32
    /// The bound port.
    let port: UInt16

    /// Binds 127.0.0.1:`port` (0: any free port).
    init(port: UInt16 = 0) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { throw Failure.socket(errno) }
        var address = Self.loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw Failure.bind(errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        self.port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(descriptor) }

    enum Failure: Error { case socket(Int32), bind(Int32) }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// Sends one datagram to 127.0.0.1:`endpoint.port`.
    func send(_ bytes: [UInt8], to endpoint: Endpoint) {
        var address = Self.loopback(port: endpoint.port)
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// The next datagram and its source, or `nil` if none arrives within `milliseconds`.
    func receive(waitingAtMost milliseconds: Int32) -> (bytes: [UInt8], source: Endpoint)? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 2048)
        var source = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &source) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, bytes.baseAddress, bytes.count, 0, $0, &length) }
            }
        }
        guard count >= 0 else { return nil }
        let ip = withUnsafeBytes(of: source.sin_addr.s_addr) { Array($0) }
        return (Array(buffer.prefix(count)), Endpoint(ip: ip, port: UInt16(bigEndian: source.sin_port)))
    }
}
