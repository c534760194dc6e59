/// The gossipsub v1.3 Extensions control message (`ControlMessage.extensions`): the optional
/// features its sender supports. A v1.3 peer that supports any sends it once, in the first RPC
/// on its stream; extensions it does not know are ignored, so a decoded value holds only the
/// ones this implementation knows.
public struct ControlExtensions: Sendable, Hashable {
    /// The Test Extension (`extensions/experimental/test-extension.md`): peers that both
    /// advertise it each send one ``RPC/testExtension`` message. It exists to check that two
    /// implementations exchange extensions at all.
    public var testExtension: Bool
    /// PREAMBLE / IMRECEIVING (``PreambleExtension``): peers that both advertise it announce
    /// large messages before their bodies and say which messages they are receiving.
    public var preamble: Bool
    /// Lazy mesh push (``AnnounceExtension``, the gossipsub v2.0 draft's IANNOUNCE / INEED): peers
    /// that both advertise it may send each other message ids in place of forwarded messages.
    public var announce: Bool

    /// An Extensions message advertising the given extensions (by default none).
    public init(testExtension: Bool = false, preamble: Bool = false, announce: Bool = false) {
        self.testExtension = testExtension
        self.preamble = preamble
        self.announce = announce
    }

    /// Advertises nothing: a peer with no extensions may omit the message.
    public var isEmpty: Bool { !testExtension && !preamble && !announce }

    /// The extensions both sets hold (what two peers that advertised them may use).
    public func intersection(_ other: ControlExtensions) -> ControlExtensions {
        ControlExtensions(testExtension: testExtension && other.testExtension, preamble: preamble && other.preamble,
                          announce: announce && other.announce)
    }

    /// The extensions either set holds (two Extensions messages merged, as protobuf merges them).
    public func union(_ other: ControlExtensions) -> ControlExtensions {
        ControlExtensions(testExtension: testExtension || other.testExtension, preamble: preamble || other.preamble,
                          announce: announce || other.announce)
    }
}

/// Field numbers of the v1.3 extensions, in `ControlExtensions` and in `RPC`. Experimental
/// extensions use random numbers above 0x200000 (at least four varint bytes).
enum ExtensionField {
    /// `ControlMessage.extensions`.
    static let control = 6
    /// The Test Extension, in both `ControlExtensions` (a bool) and `RPC` (an empty message).
    static let testExtension = 6_492_434
    /// PREAMBLE / IMRECEIVING, in both `ControlExtensions` (a bool) and `RPC`
    /// (``PreambleExtension``), as nim-libp2p numbers it.
    static let preamble = 4_194_304
    /// Lazy mesh push (``AnnounceExtension``): this project's experimental number, in both
    /// `ControlExtensions` (a bool) and `RPC`, until the gossipsub v2.0 draft settles one.
    static let announce = 2_958_913
}
