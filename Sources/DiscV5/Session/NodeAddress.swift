/// A UDP endpoint: IPv4 (4 bytes) or IPv6 (16 bytes) address and port.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    public var ip: [UInt8]
    public var port: UInt16

    public init(ip: [UInt8], port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// Hashes the address as one block (an array hashes byte by byte).
    public func hash(into hasher: inout Hasher) {
        ip.withUnsafeBytes { hasher.combine(bytes: $0) }
        hasher.combine(port)
    }

    public var description: String {
        ip.count == 4 ? ip.map(String.init).joined(separator: ".") + ":\(port)"
            : "[" + ip.map { String($0, radix: 16) }.joined(separator: ":") + "]:\(port)"
    }
}

/// A node as a session is keyed: its id and the endpoint packets come from. A node that
/// changes address gets a new session (the spec ties sessions to both).
public struct NodeAddress: Hashable, Sendable {
    public var nodeID: NodeID
    public var endpoint: Endpoint

    public init(nodeID: NodeID, endpoint: Endpoint) {
        self.nodeID = nodeID
        self.endpoint = endpoint
    }
}
