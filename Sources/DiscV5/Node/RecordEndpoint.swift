import ENR

extension NodeRecord {
    /// The UDP endpoint the record announces (`ip` + `udp`, else `ip6` + `udp6`/`udp`); `nil`
    /// when it announces none or an entry is malformed.
    public var udpEndpoint: Endpoint? {
        if let ip = try? self.ip, let port = try? self.udp { return Endpoint(ip: ip, port: port) }
        if let ip6 = try? self.ip6, let port = (try? self.udp6) ?? (try? self.udp) {
            return Endpoint(ip: ip6, port: port)
        }
        return nil
    }

    /// The record's node id as a ``NodeID``.
    public var discoveryNodeID: NodeID { NodeID(publicKey: publicKey) }
}
