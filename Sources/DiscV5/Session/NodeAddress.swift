/// A UDP endpoint: IPv4 (4 bytes) or IPv6 (16 bytes) address and port.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// The IP address: 4 bytes (IPv4) or 16 (IPv6), network order.
    public var ip: [UInt8]
    /// The UDP port.
    public var port: UInt16

    /// The endpoint `ip`:`port`.
    public init(ip: [UInt8], port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// Hashes the address as one block (an array hashes byte by byte).
    public func hash(into hasher: inout Hasher) {
        ip.withUnsafeBytes { hasher.combine(bytes: $0) }
        hasher.combine(port)
    }

    /// `a.b.c.d:port` for IPv4; for IPv6 `[x:x:…:x]:port`, each of the 16 bytes in hex.
    public var description: String {
        ip.count == 4 ? ip.map(String.init).joined(separator: ".") + ":\(port)"
            : "[" + ip.map { String($0, radix: 16) }.joined(separator: ":") + "]:\(port)"
    }
}

/// A node as a session is keyed: its id and the endpoint packets come from. A node that
/// changes address gets a new session (the spec ties sessions to both).
public struct NodeAddress: Hashable, Sendable {
    /// The node's id.
    public var nodeID: NodeID
    /// The UDP endpoint its packets come from, and this node's go to.
    public var endpoint: Endpoint

    /// The address of node `nodeID` at `endpoint`.
    public init(nodeID: NodeID, endpoint: Endpoint) {
        self.nodeID = nodeID
        self.endpoint = endpoint
    }
}
