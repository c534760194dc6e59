/// An mplex stream: its number and which side opened it. Both sides number their own streams,
/// so the same number can name two different streams, one opened by each side.
public struct MplexStreamID: Hashable, Sendable, CustomStringConvertible {
    /// The number chosen by the stream's initiator.
    public var number: UInt64
    /// Whether this side opened (initiated) the stream.
    public var openedLocally: Bool

    /// Creates a stream identifier.
    @inlinable public init(number: UInt64, openedLocally: Bool) {
        self.number = number
        self.openedLocally = openedLocally
    }

    /// `<number>/local` or `<number>/remote`, by which side opened the stream.
    public var description: String { "\(number)\(openedLocally ? "/local" : "/remote")" }

    /// The flags this side uses when sending on the stream.
    var messageFlag: MplexFlag { openedLocally ? .messageInitiator : .messageReceiver }
    var closeFlag: MplexFlag { openedLocally ? .closeInitiator : .closeReceiver }
    var resetFlag: MplexFlag { openedLocally ? .resetInitiator : .resetReceiver }
}
