/// A peer known by a number: the nodes of a simulation, or of a test. On the wire it is the
/// number as four big-endian bytes.
///
/// The router's entry points are specialised for it as they are for `PeerID`, so a simulator
/// of thousands of routers in another module runs them compiled for it, not generically.
public struct IndexedPeer: GossipPeerID, CustomStringConvertible {
    /// The peer's number.
    public let index: UInt32

    /// The peer numbered `index`, truncated to its low 32 bits.
    public init(_ index: Int) {
        self.index = UInt32(truncatingIfNeeded: index)
    }

    /// ``index`` as four big-endian bytes.
    public var wireBytes: [UInt8] { withUnsafeBytes(of: index.bigEndian) { Array($0) } }

    /// `peer <index>`.
    public var description: String { "peer \(index)" }

    /// Orders by ``index``.
    public static func < (a: IndexedPeer, b: IndexedPeer) -> Bool { a.index < b.index }
}
