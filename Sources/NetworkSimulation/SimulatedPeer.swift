import GossipSub

/// A simulated node as the GossipSub router sees it: its index, as four big-endian bytes on the wire.
public struct SimulatedPeer: GossipPeerID {
    public let index: UInt32

    public init(_ index: Int) {
        self.index = UInt32(truncatingIfNeeded: index)
    }

    public var wireBytes: [UInt8] { withUnsafeBytes(of: index.bigEndian) { Array($0) } }

    public static func < (a: SimulatedPeer, b: SimulatedPeer) -> Bool { a.index < b.index }
}
