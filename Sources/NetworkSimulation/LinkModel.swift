/// The simulator's network: every node's access link, shared by all its connections.
///
/// A message is sent in three steps (the model the network-simulator issue asks for):
/// 1. it occupies the sender's uplink for `size / upload capacity`, after whatever the uplink is
///    already sending (one FIFO per node, whichever connection the bytes belong to);
/// 2. it travels for the connection's one-way latency;
/// 3. it occupies the receiver's downlink for `size / download capacity`, after whatever arrived
///    before it (one FIFO per node, in order of arrival).
///
/// Stream messages (libp2p over TCP) are reliable and ordered per connection: a message never
/// arrives before one sent earlier on the same connection, whatever the jitter. Datagrams
/// (discovery) are neither: the caller drops the lost ones and they may overtake each other.
///
/// Steps 1–2 happen at send time (``send(bytes:from:to:latency:ordered:now:)``, which returns when
/// the message reaches the receiver); step 3 must happen when it arrives
/// (``receive(bytes:at:now:)``), so that the downlink serves messages in the order they arrive.
public struct LinkModel: Sendable {
    struct Access: Sendable {
        var bandwidth: Bandwidth
        var uplinkFreeAt = SimulatedInstant.zero
        var downlinkFreeAt = SimulatedInstant.zero
        var bytesSent: UInt64 = 0
        var bytesReceived: UInt64 = 0
    }

    private var nodes: [Access]
    /// Latest arrival per directed connection (`from << 32 | to`), for ordered delivery.
    private var lastArrival: [UInt64: SimulatedInstant] = [:]

    /// Idle links for `bandwidths.count` nodes, node `i` with access link `bandwidths[i]`.
    public init(bandwidths: [Bandwidth]) {
        nodes = bandwidths.map { Access(bandwidth: $0) }
    }

    /// Nodes in the model; their indices are `0..<nodeCount`.
    public var nodeCount: Int { nodes.count }

    /// Adds a node (a process that joins later); its index is the previous ``nodeCount``.
    public mutating func addNode(bandwidth: Bandwidth) {
        nodes.append(Access(bandwidth: bandwidth))
    }

    /// Bytes node `node` has sent and received so far.
    public func traffic(of node: Int) -> (sent: UInt64, received: UInt64) {
        (nodes[node].bytesSent, nodes[node].bytesReceived)
    }

    /// Node `node`'s access link.
    public func bandwidth(of node: Int) -> Bandwidth { nodes[node].bandwidth }

    /// Puts `bytes` on `from`'s uplink towards `to` and returns when they reach `to`'s downlink.
    /// - Parameters:
    ///   - bytes: the message's size on the wire.
    ///   - from: the sending node's index.
    ///   - to: the receiving node's index.
    ///   - latency: the link's one-way delay, jitter included.
    ///   - ordered: a stream message (kept in order on its connection) rather than a datagram.
    ///   - now: the time the sender hands the message to its uplink.
    public mutating func send(bytes: Int, from: Int, to: Int, latency: SimulatedInstant, ordered: Bool,
                              now: SimulatedInstant) -> SimulatedInstant {
        transmit(bytes: bytes, from: from, to: to, latency: latency, ordered: ordered, now: now).arrives
    }

    /// ``send(bytes:from:to:latency:ordered:now:)``, also returning when the last byte leaves the
    /// uplink (when the sender may start its next transmission).
    public mutating func transmit(bytes: Int, from: Int, to: Int, latency: SimulatedInstant, ordered: Bool,
                                  now: SimulatedInstant) -> (leaves: SimulatedInstant, arrives: SimulatedInstant) {
        let start = max(now, nodes[from].uplinkFreeAt)
        let leaves = start + Bandwidth.transmissionTime(bytes: bytes, bitsPerSecond: nodes[from].bandwidth.uploadBitsPerSecond)
        nodes[from].uplinkFreeAt = leaves
        nodes[from].bytesSent += UInt64(bytes)
        var arrives = leaves + latency
        if ordered {
            let connection = UInt64(UInt32(truncatingIfNeeded: from)) << 32 | UInt64(UInt32(truncatingIfNeeded: to))
            if let last = lastArrival[connection], last > arrives { arrives = last }
            lastArrival[connection] = arrives
        }
        return (leaves, arrives)
    }

    /// Takes `bytes` that reached `node` at `now` through its downlink; returns when the node has them.
    public mutating func receive(bytes: Int, at node: Int, now: SimulatedInstant) -> SimulatedInstant {
        let start = max(now, nodes[node].downlinkFreeAt)
        let done = start + Bandwidth.transmissionTime(bytes: bytes, bitsPerSecond: nodes[node].bandwidth.downloadBitsPerSecond)
        nodes[node].downlinkFreeAt = done
        nodes[node].bytesReceived += UInt64(bytes)
        return done
    }
}
