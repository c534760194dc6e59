import Mplex
import Yamux

/// A stream of a multiplexed connection, whichever muxer carries it.
public struct MuxedStreamID: Hashable, Sendable, CustomStringConvertible {
    /// The muxer-specific identifier.
    public enum Raw: Hashable, Sendable {
        /// A yamux stream.
        case yamux(YamuxStreamID)
        /// An mplex stream (numbers are scoped by the side that opened the stream).
        case mplex(MplexStreamID)
    }

    /// The muxer-specific identifier.
    public var raw: Raw

    /// Wraps a muxer-specific identifier.
    public init(_ raw: Raw) { self.raw = raw }

    /// `yamux:<id>` or `mplex:<id>`.
    public var description: String {
        switch raw {
        case .yamux(let id): "yamux:\(id)"
        case .mplex(let id): "mplex:\(id)"
        }
    }
}
